"""A result sent by post through the postal service stand-in: the officer creates the shipment (address from the
dossier, fee shown), its tracking number is kept, its status followed on the dossier and the public tracking page,
"delivered" completes the return, "returned" is shown for the counter; faults leave nothing half-made."""

import pytest
from django.urls import reverse

from dossiers import filing, services
from dossiers.models import Dossier
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from postal.models import Shipment
from postal.services import ShipmentRefused, shipment_send_result, shipments_track
from tests.accounts.mfa import staff_login
from tests.people import BIRTH, attach_required

pytestmark = pytest.mark.django_db
ADDRESS = "Số 9 đường Lạc Hồng, Phường Vĩnh Thông, tỉnh An Giang"


@pytest.fixture
def dossier(citizen):
    procedure = Procedure.objects.get(code=BIRTH)
    Channel.objects.filter(procedure=procedure).update(duration_unit="working_day")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
    draft = filing.dossier_draft_create(user=citizen, procedure=procedure, receiving_agency=commune)
    attach_required(draft, citizen)
    services.dossier_submit(dossier=draft, actor=citizen)
    Dossier.objects.filter(pk=draft.pk).update(
        state=Dossier.State.AWAITING_RETURN, delivery=Dossier.Delivery.POST, delivery_address=ADDRESS
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def officer(make_user, dossier):
    return make_user("motcua", role="onestop_officer", agency_code=dossier.receiving_agency.code)


def test_the_officer_sends_the_result_and_delivery_completes_the_return(
    client, dossier, officer, citizen, postal_settings, standin
):
    staff_login(client, officer)
    work = reverse("dossiers:officer_dossier", args=[dossier.pk])
    assert "Tạo vận đơn gửi kết quả" in client.get(work).content.decode()
    assert client.post(reverse("postal:send", args=[dossier.pk])).status_code == 302
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.fee == 32000 and shipment.address == ADDRESS
    sent = standin.postal_shipments()[0]
    assert sent["NguoiNhan"]["DiaChi"] == ADDRESS and sent["MaDonHang"] == f"{dossier.code}-KQ"
    assert "32.000 đ" in client.get(work).content.decode()

    for status in ("picked_up", "in_transit"):
        standin.postal_move(shipment.tracking_number, status)
        shipments_track()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.AWAITING_RETURN
    client.force_login(citizen)
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert shipment.tracking_number in page and "Đang vận chuyển" in page

    standin.postal_move(shipment.tracking_number, "delivered")
    shipments_track()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RETURNED and dossier.returned_at
    event = dossier.events.order_by("-at", "-pk").first()
    assert (event.action, event.params) == ("return_result", {"post": shipment.tracking_number})
    shipments_track()  # a delivered shipment is not asked about again, the return is not repeated
    assert dossier.events.filter(action="return_result").count() == 1


def test_the_public_tracking_page_shows_the_shipment(client, dossier, officer, postal_settings, standin):
    shipment = shipment_send_result(dossier=dossier, officer=officer)
    standin.postal_move(shipment.tracking_number, "picked_up")
    shipments_track()
    page = client.get(reverse("dossiers:track"), {"ma": dossier.code, "xac_thuc": "5678"}).content.decode()
    assert shipment.tracking_number in page and "Bưu điện đã nhận" in page
    assert ADDRESS not in page  # the address is the officers' to see


def test_a_shipment_returned_to_sender_is_shown_and_the_dossier_waits(
    client, dossier, officer, postal_settings, standin
):
    shipment = shipment_send_result(dossier=dossier, officer=officer)
    standin.postal_move(shipment.tracking_number, "returned")
    shipments_track()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.AWAITING_RETURN
    staff_login(client, officer)
    assert (
        "chuyển hoàn" in client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    )


def test_a_second_press_makes_no_second_shipment(dossier, officer, postal_settings, standin):
    first = shipment_send_result(dossier=dossier, officer=officer)
    Shipment.objects.all().delete()  # as if the answer had been lost: the service answers the same shipment
    again = shipment_send_result(dossier=dossier, officer=officer)
    assert again.tracking_number == first.tracking_number
    assert len(standin.postal_shipments()) == 1


def test_a_service_that_is_down_leaves_nothing_half_made(client, dossier, officer, postal_settings, standin):
    standin.faults(error=1.0, services=["TaoVanDon"])
    staff_login(client, officer)
    response = client.post(reverse("postal:send", args=[dossier.pk]), follow=True)
    assert "Chưa kết nối được dịch vụ bưu chính" in response.content.decode()
    assert not Shipment.objects.exists()


def test_a_refused_api_key_is_reported(dossier, officer, postal_settings, standin):
    postal_settings.POSTAL_API_KEY = "sai-khoa"
    with pytest.raises(ShipmentRefused):
        shipment_send_result(dossier=dossier, officer=officer)


def test_tracking_failures_wait_for_the_next_run(dossier, officer, postal_settings, standin):
    shipment = shipment_send_result(dossier=dossier, officer=officer)
    standin.postal_move(shipment.tracking_number, "delivered")
    standin.faults(reset=1.0, services=["TraCuuVanDon"])
    assert shipments_track() == 0
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.AWAITING_RETURN
    standin.faults()
    assert shipments_track() == 1
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RETURNED


def test_office_delivery_offers_no_shipment(client, dossier, officer, postal_settings):
    Dossier.objects.filter(pk=dossier.pk).update(delivery=Dossier.Delivery.OFFICE)
    dossier.refresh_from_db()
    with pytest.raises(ShipmentRefused):
        shipment_send_result(dossier=dossier, officer=officer)
    staff_login(client, officer)
    assert (
        "Tạo vận đơn"
        not in client.get(reverse("dossiers:officer_dossier", args=[dossier.pk])).content.decode()
    )


def test_a_stranger_officer_cannot_send(client, dossier, make_user, postal_settings):
    other = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("-code").first()
    stranger = make_user("khac", role="onestop_officer", agency_code=other.code)
    staff_login(client, stranger)
    assert client.post(reverse("postal:send", args=[dossier.pk])).status_code == 404
    assert not Shipment.objects.exists()
