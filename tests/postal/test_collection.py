"""A paper dossier collected by post at filing, against the running postal stand-in: the applicant chooses it on the
check-your-answers page and sees the fee the service quoted before filing; filing makes the collection shipment
(their address, the agency as receiver, the tracking number kept); its status shows on the applicant's page, the
public tracking answer and the officer's work page; delivery to the agency is a step of the history. A service that
is down, slow or refusing never stops the filing: the collection waits and is tried again, and never twice."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers import filing, services
from dossiers.models import Dossier, OutboxEvent
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from postal.collections import collection_send, collections_send_due
from postal.models import Collection, Shipment
from postal.services import shipments_track
from tests.accounts.mfa import staff_login
from tests.people import BIRTH, attach_required

pytestmark = pytest.mark.django_db
HOME = "Số 12 đường Tôn Đức Thắng, Phường Long Xuyên, tỉnh An Giang"
OFFICE = "Số 1 đường Lê Lợi, Phường Vĩnh Thông, tỉnh An Giang"


@pytest.fixture
def commune():
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    Agency.objects.filter(pk=commune.pk).update(address=OFFICE, phone="02963000000")
    commune.refresh_from_db()
    return commune


@pytest.fixture
def draft(citizen, commune):
    procedure = Procedure.objects.get(code=BIRTH)
    Channel.objects.filter(procedure=procedure).update(duration_unit="working_day")
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    attach_required(draft, citizen)
    return filing.dossier_details_update(dossier=draft, user=citizen, applicant_address=HOME)


@pytest.fixture
def officer(make_user, commune):
    return make_user("motcua", role="onestop_officer", agency_code=commune.code)


def review(client, draft) -> str:
    return client.get(reverse("dossiers:review", args=[draft.pk])).content.decode()


def choose(client, draft, address=HOME):
    return client.post(reverse("postal:collection_choose", args=[draft.pk]), {"dia_chi": address})


def file(client, draft, django_capture_on_commit_callbacks) -> Dossier:
    """Press "Nộp hồ sơ"; what the filing hands to the workers runs once it commits."""
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dossiers:review", args=[draft.pk]), {"expected_version": draft.version}
        )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == Dossier.State.SUBMITTED and draft.code
    return draft


def test_the_fee_is_shown_before_filing_and_filing_makes_the_collection_shipment(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    page = review(client, draft)
    assert "Nộp hồ sơ giấy qua bưu chính" in page and HOME in page  # the address from the dossier, editable
    assert choose(client, draft).status_code == 302
    page = review(client, draft)
    assert "32.000 đ" in page and "Cước phí thu gom" in page and OFFICE in page
    assert not standin.postal_shipments()  # nothing asked of the service before filing

    dossier = file(client, draft, django_capture_on_commit_callbacks)
    collection = Collection.objects.get(dossier=dossier)
    assert collection.state == Collection.State.MADE and collection.attempts == 1
    shipment = collection.shipment
    assert (shipment.kind, shipment.fee, shipment.address) == (Shipment.Kind.COLLECTION, 32000, HOME)
    [sent] = standin.postal_shipments()
    assert sent["SoHieu"] == shipment.tracking_number
    assert sent["MaDonHang"] == f"{dossier.code}-TG" and sent["LoaiDichVu"] == "thu-gom-ho-so"
    assert sent["NguoiGui"]["DiaChi"] == HOME and sent["NguoiGui"]["DienThoai"] == "0912345678"
    assert (
        sent["NguoiNhan"]["DiaChi"] == OFFICE and sent["NguoiNhan"]["HoTen"] == dossier.receiving_agency.name
    )
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert shipment.tracking_number in page and "Thu gom hồ sơ giấy qua bưu chính" in page


def test_the_status_is_followed_and_delivery_is_recorded_on_the_history_once(
    client, citizen, draft, officer, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    choose(client, draft)
    dossier = file(client, draft, django_capture_on_commit_callbacks)
    number = Collection.objects.get(dossier=dossier).shipment.tracking_number
    for status in ("picked_up", "in_transit"):
        standin.postal_move(number, status)
        shipments_track()
    client.logout()
    tracked = client.get(reverse("dossiers:track"), {"ma": dossier.code, "xac_thuc": "5678"}).content.decode()
    assert number in tracked and "Đang vận chuyển" in tracked
    assert HOME not in tracked  # the pick-up address is the applicant's and the officers' to see

    standin.postal_move(number, "delivered")
    shipments_track()
    shipments_track()  # a delivered shipment is not asked about again
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUBMITTED  # the paper arriving moves nothing in the workflow
    [event] = dossier.events.filter(action="paper_received")
    assert event.params == {"post": number} and event.agency == dossier.receiving_agency
    assert event.from_state == event.to_state == Dossier.State.SUBMITTED
    assert OutboxEvent.objects.filter(event=event).count() == 1  # progress for the national portal

    staff_login(client, officer)
    work = client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    assert "Nhận hồ sơ giấy qua bưu chính" in work and f"Bưu gửi số {number}" in work
    assert "Hồ sơ giấy đã được bưu điện chuyển đến nơi tiếp nhận." in work and HOME in work
    client.logout()
    tracked = client.get(reverse("dossiers:track"), {"ma": dossier.code, "xac_thuc": "5678"}).content.decode()
    assert "Nhận hồ sơ giấy qua bưu chính" in tracked and "Đã phát thành công" in tracked


def test_a_postal_service_that_is_down_leaves_the_dossier_filed_and_the_collection_waiting(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    choose(client, draft)
    standin.faults(error=1.0, services=["TaoVanDon"])
    dossier = file(client, draft, django_capture_on_commit_callbacks)
    collection = Collection.objects.get(dossier=dossier)
    assert (collection.state, collection.attempts, collection.last_error) == (
        Collection.State.WAITING,
        1,
        "http_503",
    )
    assert collection.next_attempt_at > timezone.now() and not Shipment.objects.exists()
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Chưa gửi được yêu cầu thu gom tới bưu điện" in page and "Cổng tự gửi lại" in page

    assert collections_send_due() == 0  # not due yet: nothing asked
    Collection.objects.filter(pk=collection.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert collections_send_due() == 0  # still down: waits longer
    collection.refresh_from_db()
    assert collection.attempts == 2
    assert collection.next_attempt_at - timezone.now() > timedelta(minutes=1, seconds=30)  # 2 minutes now

    standin.faults()
    Collection.objects.filter(pk=collection.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert collections_send_due() == 1
    collection.refresh_from_db()
    assert collection.state == Collection.State.MADE and collection.last_error == ""
    assert len(standin.postal_shipments()) == 1


def test_a_lost_answer_and_a_timeout_never_make_a_second_shipment(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    choose(client, draft)
    standin.faults(duplicate=1.0, services=["TaoVanDon"])  # made at the service, the answer lost
    dossier = file(client, draft, django_capture_on_commit_callbacks)
    assert Collection.objects.get(dossier=dossier).state == Collection.State.WAITING
    assert len(standin.postal_shipments()) == 1

    standin.faults(timeout=1.0, timeout_seconds=3, services=["TaoVanDon"])
    Collection.objects.filter(dossier=dossier).update(next_attempt_at=timezone.now())
    collections_send_due()
    assert Collection.objects.get(dossier=dossier).last_error == "timeout"

    standin.faults()
    Collection.objects.filter(dossier=dossier).update(next_attempt_at=timezone.now())
    collections_send_due()
    collection_send(dossier_id=dossier.pk)  # a late task for the same dossier does nothing more
    collection = Collection.objects.get(dossier=dossier)
    [made] = standin.postal_shipments()
    assert collection.state == Collection.State.MADE and collection.shipment.tracking_number == made["SoHieu"]
    assert Shipment.objects.filter(dossier=dossier).count() == 1


def test_a_refused_request_is_kept_with_its_reason_and_the_officer_tries_again(
    client, citizen, draft, officer, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    choose(client, draft)
    standin.faults(invalid=1.0, services=["TaoVanDon"])
    dossier = file(client, draft, django_capture_on_commit_callbacks)
    collection = Collection.objects.get(dossier=dossier)
    assert (collection.state, collection.error_field, collection.next_attempt_at) == (
        Collection.State.REFUSED,
        "NguoiGui.DiaChi",
        None,
    )
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "Bưu điện không nhận yêu cầu thu gom hồ sơ giấy." in page and "Địa chỉ ngoài vùng phục vụ" in page
    assert collections_send_due() == 0  # a refusal is not retried by itself

    staff_login(client, officer)
    retry = reverse("postal:collection_retry", args=[dossier.pk])
    response = client.post(retry, follow=True)
    assert "Bưu điện từ chối yêu cầu thu gom" in response.content.decode()
    standin.faults()
    client.post(retry)
    collection.refresh_from_db()
    assert collection.state == Collection.State.MADE and collection.attempts == 3
    assert client.post(retry).status_code == 404  # nothing left to send


def test_an_api_key_the_service_does_not_know_waits_for_the_operators(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    choose(client, draft)
    postal_settings.POSTAL_API_KEY = "khoa-sai"
    dossier = file(client, draft, django_capture_on_commit_callbacks)
    collection = Collection.objects.get(dossier=dossier)
    assert (collection.state, collection.last_error) == (Collection.State.WAITING, "refused_100")
    postal_settings.POSTAL_API_KEY = "khoa-buu-chinh-thu-nghiem"
    Collection.objects.filter(pk=collection.pk).update(next_attempt_at=timezone.now())
    assert collections_send_due() == 1


def test_without_a_quote_no_collection_is_chosen_and_the_dossier_still_files(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    standin.faults(error=1.0, services=["TinhCuoc"])
    response = choose(client, draft)
    page = client.get(response["Location"]).content.decode()
    assert "Chưa lấy được cước phí từ bưu điện" in page and 'role="alert"' in page
    assert not Collection.objects.exists()
    file(client, draft, django_capture_on_commit_callbacks)
    assert not standin.postal_shipments()


def test_an_empty_address_is_refused_and_a_choice_can_be_given_up(
    client, citizen, draft, postal_settings, standin, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    page = client.get(choose(client, draft, address="   ")["Location"]).content.decode()
    assert "Vui lòng nhập địa chỉ để bưu điện đến lấy hồ sơ giấy." in page
    assert not Collection.objects.exists()
    choose(client, draft, address="Số 3 đường Hùng Vương,\n  Phường Rạch Giá")
    assert Collection.objects.get().address == "Số 3 đường Hùng Vương, Phường Rạch Giá"
    client.post(reverse("postal:collection_cancel", args=[draft.pk]))
    assert not Collection.objects.exists()
    file(client, draft, django_capture_on_commit_callbacks)
    assert not standin.postal_shipments()


def test_no_one_else_chooses_a_collection_for_a_dossier(
    client, citizen, draft, officer, make_user, postal_settings, standin
):
    client.force_login(make_user("khach"))
    assert choose(client, draft).status_code == 404
    staff_login(client, officer)
    assert choose(client, draft).status_code == 404
    assert client.post(reverse("postal:collection_retry", args=[draft.pk])).status_code == 404
    assert not Collection.objects.exists()


def test_a_filed_dossier_cannot_be_given_a_collection_afterwards(
    client, citizen, draft, postal_settings, standin
):
    services.dossier_submit(dossier=draft, actor=citizen)
    client.force_login(citizen)
    response = choose(client, draft)
    assert response["Location"] == draft.get_absolute_url()
    assert not Collection.objects.exists()


def test_a_dossier_withdrawn_before_the_collection_is_made_is_not_collected(
    citizen, draft, postal_settings, standin
):
    Collection.objects.create(dossier=draft, address=HOME, fee_quoted=32000)
    standin.faults(error=1.0, services=["TaoVanDon"])
    services.dossier_submit(dossier=draft, actor=citizen)
    collection_send(dossier_id=draft.pk)
    services.dossier_withdraw(dossier=draft, actor=citizen, reason="Không cần nữa")
    standin.faults()
    Collection.objects.filter(dossier=draft).update(next_attempt_at=timezone.now())
    collections_send_due()
    assert Collection.objects.get(dossier=draft).state == Collection.State.CANCELLED
    assert not standin.postal_shipments()


def test_a_collection_returned_to_the_sender_asks_for_the_papers_at_the_counter(
    client, citizen, draft, postal_settings, standin
):
    Collection.objects.create(dossier=draft, address=HOME, fee_quoted=32000)
    services.dossier_submit(dossier=draft, actor=citizen)
    number = collection_send(dossier_id=draft.pk).shipment.tracking_number
    standin.postal_move(number, "returned")
    shipments_track()
    assert not draft.events.filter(action="paper_received").exists()
    client.force_login(citizen)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Bưu điện chuyển hoàn hồ sơ giấy về người nộp" in page


def test_without_the_postal_service_the_filing_page_offers_no_collection(client, citizen, draft):
    client.force_login(citizen)
    assert "Nộp hồ sơ giấy qua bưu chính" not in review(client, draft)
