"""The officers' pages: counter registration, the work page with one form per action, the tracking book."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers import filing
from dossiers.errors import ConcurrentChange, TransitionNotAllowed
from dossiers.forms.actions import ACTION_FORMS
from dossiers.models import DailyCounter, Dossier, DossierFile, OutboxEvent, SupplementRequest, VaultDocument
from portal.accounts.models import AgencyMembership, User
from portal.catalog.models import Procedure
from tests.accounts.mfa import staff_login
from tests.people import PDF, PNG, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]
S = Dossier.State


def work_url(dossier):
    return reverse("dossiers:officer_dossier", args=[dossier.pk])


def act(client, dossier, action, **data):
    dossier.refresh_from_db()
    data.setdefault("expected_version", dossier.version)
    return client.post(reverse("dossiers:officer_action", args=[dossier.pk, action]), data)


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_dossier_walks_from_the_counter_to_its_return_through_the_officers_pages(client, staff):
    staff_login(client, staff.receiver)
    page = client.get(reverse("dossiers:officer_counter"), {"q": staff.birth.code})
    assert page.status_code == 200
    assert f'value="{staff.birth.pk}" selected' in page.content.decode()

    response = client.post(
        reverse("dossiers:officer_counter"),
        {
            "receiving_agency": staff.commune.pk,
            "procedure": staff.birth.pk,
            "channel": Dossier.Channel.DIRECT,
            "applicant_kind": Dossier.ApplicantKind.CITIZEN,
            "applicant_name": "Trần Thị Bình",
            "applicant_phone": "0987654321",
            "applicant_username": staff.citizen.username,
            "delivery": Dossier.Delivery.OFFICE,
            "scans": [pdf("to-khai.pdf"), pdf("giay-chung-sinh.pdf")],
        },
    )
    dossier = Dossier.objects.get(applicant=staff.citizen)
    assert response.status_code == 302 and response["Location"] == work_url(dossier)
    assert dossier.state == S.SUBMITTED and dossier.code.startswith(f"{staff.commune.code}-")
    assert dossier.files.count() == 2
    assert (
        VaultDocument.objects.filter(owner=staff.citizen, source=VaultDocument.Source.DIGITISED).count() == 2
    )

    assert act(client, dossier, "receive").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.RECEIVED
    assert dossier.due_at > dossier.received_at and dossier.original_due_at == dossier.due_at
    due = dossier.due_at

    # The transfer form offers the procedure's competent agency first.
    assert f'<option value="{staff.justice.pk}" selected>' in client.get(work_url(dossier)).content.decode()
    assert act(client, dossier, "transfer", handling_agency=staff.justice.pk).status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.PROCESSING and dossier.handling_agency == staff.justice

    staff_login(client, staff.handler)
    result = SimpleUploadedFile("giay-khai-sinh.pdf", PDF, content_type="application/pdf")
    assert act(client, dossier, "propose", note="Đủ điều kiện", result=result).status_code == 302
    staff_login(client, staff.leader)
    assert act(client, dossier, "send_back", reason="Sửa quê quán").status_code == 302
    staff_login(client, staff.handler)
    assert act(client, dossier, "propose", note="Đã sửa").status_code == 302  # the result is already attached
    staff_login(client, staff.leader)
    assert act(client, dossier, "approve").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.AWAITING_RETURN and dossier.finished_at

    staff_login(client, staff.receiver)
    assert act(client, dossier, "return_result").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.RETURNED and dossier.returned_at and dossier.due_at == due

    events = list(dossier.events.order_by("at", "pk"))
    assert [e.action for e in events] == [
        "register",
        "receive",
        "transfer",
        "propose",
        "send_back",
        "propose",
        "approve",
        "return_result",
    ]
    assert [e.actor for e in events] == [staff.receiver] * 3 + [staff.handler, staff.leader] * 2 + [
        staff.receiver
    ]
    assert events[1].step_deadline == due and events[-1].step_deadline == due
    assert events[-1].outcome in {"early", "on_time"}
    statuses = (
        OutboxEvent.objects.filter(dossier=dossier).order_by("pk").values_list("national_status", flat=True)
    )
    assert list(statuses) == [1, 2, 4, 4, 4, 4, 9, 10]
    result_file = dossier.files.get(kind=DossierFile.Kind.RESULT)
    assert result_file.vault_document.owner == staff.citizen


def test_the_work_page_shows_the_dossier_its_applicant_files_history_and_only_the_actions_allowed_now(
    client, staff
):
    dossier = staff.register(name="Lê Văn Cường")
    staff_login(client, staff.receiver)
    html = client.get(work_url(dossier)).content.decode()
    assert dossier.code in html and "Lê Văn Cường" in html and "0912345678" in html
    file = dossier.files.get()
    assert reverse("dossiers:file_download", args=[file.pk]) in html
    assert "Đăng ký hồ sơ" in html  # the history's first step
    for action in ("receive", "request_supplement", "refuse"):
        assert reverse("dossiers:officer_action", args=[dossier.pk, action]) in html
    for action in ("transfer", "approve", "return_result"):
        assert reverse("dossiers:officer_action", args=[dossier.pk, action]) not in html
    assert f'name="expected_version" value="{dossier.version}"' in html


def test_an_officer_of_another_agency_gets_404_on_the_work_page_and_on_every_action(client, staff):
    dossier = staff.register()
    staff_login(client, staff.stranger)
    assert client.get(work_url(dossier)).status_code == 404
    for action in ACTION_FORMS:
        assert act(client, dossier, action, reason="x", items="x").status_code == 404, action
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED and dossier.events.count() == 1


def test_a_handling_officer_cannot_see_a_dossier_before_it_is_transferred_to_their_agency(client, staff):
    dossier = staff.register()
    staff_login(client, staff.handler)
    assert client.get(work_url(dossier)).status_code == 404


def test_staff_pages_are_not_for_citizens_and_ask_visitors_to_sign_in(client, staff):
    dossier = staff.register(applicant=staff.citizen)
    assert client.get(work_url(dossier)).status_code == 302
    client.force_login(staff.citizen)
    assert client.get(work_url(dossier)).status_code == 404
    assert client.get(reverse("dossiers:officer_home")).status_code == 404
    assert act(client, dossier, "receive").status_code == 404


def test_an_action_not_allowed_from_the_current_state_is_refused_with_400_and_says_why(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    response = act(client, dossier, "transfer", handling_agency=staff.justice.pk)
    assert response.status_code == 400
    assert str(TransitionNotAllowed.message) in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED and dossier.handling_agency is None


def test_an_unknown_action_is_404(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    assert act(client, dossier, "submit").status_code == 404
    assert act(client, dossier, "khong-co").status_code == 404


def test_two_officers_acting_on_the_same_version_one_wins_and_the_other_gets_409(client, staff):
    dossier = staff.register()
    version = dossier.version
    first, second = client, Client()
    staff_login(first, staff.receiver)
    staff_login(second, staff.receiver_2)
    assert act(first, dossier, "receive", expected_version=version).status_code == 302
    response = act(second, dossier, "refuse", expected_version=version, reason="Thiếu giấy tờ")
    assert response.status_code == 409
    assert str(ConcurrentChange.message) in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.RECEIVED and dossier.version == version + 1
    assert list(dossier.events.values_list("action", flat=True)) == ["register", "receive"]


def in_own_thread(function):
    """Run ``function`` on its own database connection, outside the test's transaction (its writes commit)."""
    results, errors = [], []

    def run():
        try:
            results.append(function())
        except Exception as error:  # re-raised in the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]
    return results[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locking under concurrency needs PostgreSQL"
)
def test_two_officers_clicking_at_the_same_moment_one_wins_and_the_other_gets_409(staff):
    agency = staff.other_commune
    today = timezone.localdate()
    counter_existed = DailyCounter.objects.filter(agency=agency, day=today).exists()
    tag = uuid.uuid4().hex[:8]

    def set_up():
        officers = []
        for n in (1, 2):
            officer = User.objects.create_user(f"race-{tag}-{n}", role=User.Role.ONESTOP_OFFICER)
            AgencyMembership.objects.create(user=officer, agency=agency)
            officers.append(officer)
        dossier = filing.dossier_register_at_counter(
            officer=officers[0],
            procedure=staff.birth,
            receiving_agency=agency,
            applicant=None,
            uploads=[("", pdf())],
            applicant_name="Đỗ Văn Giang",
        )
        return officers, dossier

    officers, dossier = in_own_thread(set_up)
    barrier, statuses = threading.Barrier(2), []
    later = timezone.localtime() + timedelta(days=3)
    due = {"due_at": later.strftime("%Y-%m-%dT%H:%M"), "note": "Trong ngày làm việc theo quy định"}

    def click(officer, action, data):
        browser = Client()
        staff_login(browser, officer)
        url = reverse("dossiers:officer_action", args=[dossier.pk, action])
        barrier.wait(timeout=30)
        statuses.append(browser.post(url, {"expected_version": dossier.version, **data}).status_code)
        browser.logout()

    try:
        racers = [
            # The threads see only committed rows, where birth registration's time has no unit: the officer
            # gives the date and the reason (services.dossier_receive).
            threading.Thread(target=in_own_thread, args=(lambda: click(officers[0], "receive", due),)),
            threading.Thread(
                target=in_own_thread, args=(lambda: click(officers[1], "refuse", {"reason": "Sai"}),)
            ),
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(60)
        after = in_own_thread(lambda: Dossier.objects.get(pk=dossier.pk))
        actions = in_own_thread(lambda: list(after.events.values_list("action", flat=True)))
        assert sorted(statuses) == [302, 409]
        assert after.version == dossier.version + 1 and after.state in {S.RECEIVED, S.REFUSED}
        assert len(actions) == 2 and actions[0] == "register"
    finally:

        def clean_up():
            from portal.audit.models import AuditEvent

            Dossier.objects.filter(pk=dossier.pk).delete()
            racers = User.objects.filter(username__startswith=f"race-{tag}-")
            AuditEvent.objects.filter(user__in=racers).delete()  # their sign-ins, committed by the threads
            racers.delete()
            if not counter_existed:
                DailyCounter.objects.filter(agency=agency, day=today).delete()

        in_own_thread(clean_up)


def test_the_same_action_posted_twice_with_one_version_happens_once(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    version = dossier.version
    assert act(client, dossier, "receive", expected_version=version).status_code == 302
    assert act(client, dossier, "receive", expected_version=version).status_code == 409
    assert dossier.events.filter(action="receive").count() == 1


def test_a_missing_version_is_refused(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    response = client.post(reverse("dossiers:officer_action", args=[dossier.pk, "receive"]), {})
    assert response.status_code == 400
    assert "Thiếu phiên bản hồ sơ" in response.content.decode()


def test_a_due_date_in_the_past_is_refused_at_reception(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    response = act(client, dossier, "receive", due_at=local_input(timezone.now() - timedelta(days=1)))
    assert response.status_code == 400
    assert "Ngày hẹn trả phải sau thời điểm tiếp nhận." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == S.SUBMITTED


def test_a_due_date_chosen_at_reception_replaces_the_computed_one(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    chosen = (timezone.localtime() + timedelta(days=10)).replace(hour=16, minute=30, second=0, microsecond=0)
    assert act(client, dossier, "receive", due_at=local_input(chosen)).status_code == 302
    dossier.refresh_from_db()
    assert dossier.due_at == chosen


def test_a_refusal_needs_a_reason(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    response = act(client, dossier, "refuse", reason="  ")
    assert response.status_code == 400
    assert "Vui lòng nhập lý do." in response.content.decode()
    assert act(client, dossier, "refuse", reason="Không thuộc thẩm quyền").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.REFUSED


def test_a_supplement_request_lists_one_item_per_line(client, staff):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    items = "Giấy chứng sinh\r\n\r\n  Giấy đăng ký kết hôn  \n"
    assert (
        act(client, dossier, "request_supplement", items=items, reason="Thiếu bản chính").status_code == 302
    )
    dossier.refresh_from_db()
    assert dossier.state == S.SUPPLEMENT
    assert SupplementRequest.objects.get(dossier=dossier).items == ["Giấy chứng sinh", "Giấy đăng ký kết hôn"]
    assert "Giấy đăng ký kết hôn" in client.get(work_url(dossier)).content.decode()


def test_the_first_proposal_needs_a_pdf_result(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    assert act(client, dossier, "propose").status_code == 400
    image = SimpleUploadedFile("anh.png", PNG, content_type="image/png")
    response = act(client, dossier, "propose", result=image)
    assert response.status_code == 400
    dossier.refresh_from_db()
    assert dossier.state == S.PROCESSING and not dossier.files.filter(kind=DossierFile.Kind.RESULT).exists()


def test_a_losing_proposal_stores_no_result(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    result = SimpleUploadedFile("kq.pdf", PDF, content_type="application/pdf")
    response = act(client, dossier, "propose", result=result, expected_version=dossier.version - 1)
    assert response.status_code == 409
    assert not dossier.files.filter(kind=DossierFile.Kind.RESULT).exists()


def test_consultation_financial_obligation_and_stop_go_through_their_forms(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    reply_by = local_input(timezone.now() + timedelta(days=3))
    response = act(
        client, dossier, "consult", agency=staff.commune.pk, question="Xác minh cư trú", reply_by=reply_by
    )
    assert response.status_code == 302
    assert act(client, dossier, "consult_reply", reply="Đúng nơi cư trú").status_code == 302
    assert act(client, dossier, "financial", note="Lệ phí 8.000 đồng").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.FINANCIAL and dossier.paused_at
    assert act(client, dossier, "financial_done").status_code == 302
    staff_login(client, staff.leader)
    assert act(client, dossier, "stop", reason="Người nộp đề nghị dừng").status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == S.STOPPED
    actions = list(dossier.events.values_list("action", flat=True))
    assert actions[-5:] == ["consult", "consult_reply", "financial", "financial_done", "stop"]


def test_a_consultation_needs_a_reply_date_in_the_future(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    past = local_input(timezone.now() - timedelta(hours=2))
    response = act(client, dossier, "consult", agency=staff.commune.pk, question="?", reply_by=past)
    assert response.status_code == 400
    assert "Hạn trả lời phải ở tương lai." in response.content.decode()


def test_an_apology_with_a_new_date_is_given_once_and_the_page_then_says_why_not_again(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    new_due = local_input(dossier.due_at + timedelta(days=5))
    assert (
        act(client, dossier, "apologise", reason="Cần xác minh thêm", new_due_at=new_due).status_code == 302
    )
    dossier.refresh_from_db()
    assert dossier.due_reset and dossier.due_at > dossier.original_due_at

    later = local_input(dossier.due_at + timedelta(days=5))
    response = act(client, dossier, "apologise", reason="Lần nữa", new_due_at=later)
    assert response.status_code == 400
    assert "không được gia hạn thêm" in response.content.decode()
    html = client.get(work_url(dossier)).content.decode()
    assert reverse("dossiers:officer_action", args=[dossier.pk, "apologise"]) not in html
    assert "chỉ được điều chỉnh một lần" in html
    assert dossier.events.filter(action="apologise").count() == 1


def test_counter_registration_refuses_missing_scans_and_an_unknown_citizen_account(client, staff):
    staff_login(client, staff.receiver)
    data = {
        "receiving_agency": staff.commune.pk,
        "procedure": staff.birth.pk,
        "channel": Dossier.Channel.POSTAL,
        "applicant_kind": Dossier.ApplicantKind.CITIZEN,
        "applicant_name": "Phạm Thị Dung",
        "delivery": Dossier.Delivery.POST,
        "delivery_address": "12 Trần Hưng Đạo",
    }
    response = client.post(reverse("dossiers:officer_counter"), data)
    assert response.status_code == 400
    assert "Vui lòng tải lên bản quét giấy tờ của hồ sơ." in response.content.decode()
    response = client.post(
        reverse("dossiers:officer_counter"), {**data, "applicant_username": "khong-ai", "scans": [pdf()]}
    )
    assert response.status_code == 400
    assert "Không tìm thấy tài khoản công dân" in response.content.decode()
    assert not Dossier.objects.exists()

    response = client.post(reverse("dossiers:officer_counter"), {**data, "scans": [pdf()]})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.channel == Dossier.Channel.POSTAL and dossier.applicant is None


def test_counter_registration_refuses_a_procedure_the_agency_does_not_receive(client, staff):
    staff_login(client, staff.receiver)
    unlinked = Procedure.objects.exclude(agency_links__agency=staff.commune).filter(
        is_province_level=True, is_active=True
    )[0]
    response = client.post(
        reverse("dossiers:officer_counter"),
        {
            "receiving_agency": staff.commune.pk,
            "procedure": unlinked.pk,
            "channel": 1,
            "applicant_kind": 1,
            "applicant_name": "A",
            "delivery": "office",
            "scans": [pdf()],
        },
    )
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_counter_registration_is_for_one_stop_officers(client, staff):
    staff_login(client, staff.handler)
    assert client.get(reverse("dossiers:officer_counter")).status_code == 403


def test_the_tracking_book_exports_the_officers_agency_for_a_year(client, staff):
    dossier = staff.walk(staff.register(name="Võ Thị Em"), S.RECEIVED)
    staff_login(client, staff.receiver)
    assert client.get(reverse("dossiers:officer_book")).status_code == 200
    year = timezone.localdate().year
    response = client.get(reverse("dossiers:officer_book"), {"year": year, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert dossier.code in body and "Võ Thị Em" in body
    xlsx = client.get(reverse("dossiers:officer_book"), {"year": year, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert f"{staff.commune.code}-{year}.xlsx" in xlsx["Content-Disposition"]


@pytest.mark.parametrize(
    "params",
    [{"year": "hai-nghin", "format": "csv"}, {"year": "2026", "format": "docx"}, {"year": "3000"}],
)
def test_the_tracking_book_refuses_bad_parameters_with_400(client, staff, params):
    staff_login(client, staff.receiver)
    response = client.get(reverse("dossiers:officer_book"), params)
    assert response.status_code == 400
    assert "Có lỗi cần sửa" in response.content.decode()


def test_the_navigation_shows_staff_counts_only_to_signed_in_officers(client, staff):
    staff.register()
    assert "Xử lý hồ sơ" not in client.get(reverse("home")).content.decode()
    client.force_login(staff.citizen)
    assert "Xử lý hồ sơ" not in client.get(reverse("home")).content.decode()
    staff_login(client, staff.receiver)
    html = client.get(reverse("home")).content.decode()
    assert "Xử lý hồ sơ" in html
    assert '<span class="nav-count">1<span class="visually-hidden"> hồ sơ chờ xử lý' in html


def test_the_work_page_has_an_english_version_with_imperative_buttons(client, staff):
    dossier = staff.walk(staff.register(), S.PROCESSING)
    staff_login(client, staff.handler)
    html = client.get("/en" + work_url(dossier)).content.decode()
    assert ">Propose the result</button>" in html and "Processing history" in html
