"""The synchronisation with the national portal, against the running stand-in (tests/conftest.py: ``standin``,
``dvcqg_settings``): statuses in order and once in effect, temporary faults retried, refusals parked, the staff
page, the coverage of online services."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dossiers import services
from dossiers.models import Dossier, OutboxEvent, ProcedureNationalSync
from dossiers.national import coverage
from dossiers.national.mapping import dossier_payload, step_payload
from dossiers.national.outbox import idempotency_key, outbox_drain
from integrations.dvcqg.client import dvcqg_client
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db

Sent, Pending, Parked = OutboxEvent.State.SENT, OutboxEvent.State.PENDING, OutboxEvent.State.PARKED


def drain():
    return outbox_drain(client=dvcqg_client())


def rows(dossier):
    return list(OutboxEvent.objects.filter(dossier=dossier).order_by("pk"))


def make_due(dossier=None):
    """Backoff over: the rows waiting for a retry are due now."""
    queryset = OutboxEvent.objects.filter(state=Pending)
    if dossier is not None:
        queryset = queryset.filter(dossier=dossier)
    queryset.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_every_status_reaches_the_portal_once_and_in_order(staff, standin, dvcqg_settings):
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    statuses = [row.national_status for row in rows(dossier)]

    report = drain()

    assert report.sent == len(statuses) and report.parked == 0
    assert all(row.state == Sent and row.sent_at for row in rows(dossier))
    assert standin.statuses(dossier.code) == statuses
    assert all(standin.applied_count(idempotency_key(row)) == 1 for row in rows(dossier))


def test_a_second_drain_sends_nothing_again(staff, standin, dvcqg_settings):
    dossier = staff.dossier_in(Dossier.State.RECEIVED)
    drain()
    delivered = [standin.delivery_count(idempotency_key(row)) for row in rows(dossier)]

    report = drain()

    assert report.sent == 0
    assert [standin.delivery_count(idempotency_key(row)) for row in rows(dossier)] == delivered


@pytest.mark.parametrize(
    "fault, reason",
    [("error", "http_503"), ("reset", "connection"), ("html", "not_json"), ("malformed", "malformed")],
)
def test_a_temporary_fault_is_retried_after_a_backoff_until_it_goes_through(
    staff, standin, dvcqg_settings, fault, reason
):
    dossier = staff.register()
    standin.faults(**{fault: 1.0})

    report = drain()

    (row,) = rows(dossier)
    assert report.sent == 0 and report.retried == 1
    assert row.state == Pending and row.attempts == 1 and row.last_error == reason
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert drain().sent == 0, "not again before the backoff is over"

    standin.faults()
    make_due()
    assert drain().sent == 1
    row.refresh_from_db()
    assert row.state == Sent and row.last_error == ""
    assert standin.statuses(dossier.code) == [row.national_status]


def test_a_portal_that_does_not_answer_in_time_is_tried_again_later(staff, standin, dvcqg_settings):
    dvcqg_settings.DVCQG_TIMEOUT = 0.5
    dossier = staff.register()
    standin.faults(timeout=1.0, timeout_seconds=2)

    report = drain()

    (row,) = rows(dossier)
    assert report.retried == 1 and row.state == Pending and row.last_error == "timeout"


def test_a_portal_that_is_gone_ends_the_drain_after_three_failures_in_a_row(staff, standin, dvcqg_settings):
    dossiers = [staff.register(name=f"Người nộp {n}") for n in range(5)]
    standin.faults(reset=1.0)

    report = drain()

    assert report.retried == 3 and report.sent == 0
    attempts = sorted(row.attempts for dossier in dossiers for row in rows(dossier))
    assert attempts == [0, 0, 1, 1, 1], (
        "the rest of the batch is left for the next drain, not counted as tried"
    )


def test_a_later_status_never_overtakes_an_earlier_one_waiting_for_a_retry(staff, standin, dvcqg_settings):
    dossier = staff.register()
    standin.faults(error=1.0)
    drain()
    standin.faults()
    staff.walk(dossier, Dossier.State.RECEIVED)

    assert drain().sent == 0, "the first status is still in its backoff: the second waits behind it"
    make_due()
    drain()

    assert standin.statuses(dossier.code) == [row.national_status for row in rows(dossier)]


def test_a_refused_event_is_parked_with_its_field_and_reason_and_later_states_still_go(
    staff, standin, dvcqg_settings
):
    dossier = staff.register()
    standin.faults(invalid=1.0)
    report = drain()
    (row,) = rows(dossier)
    assert report.parked == 1
    assert row.state == Parked and row.last_error == "validation" and row.error_field == "MaTTHC"
    assert row.error_detail

    standin.faults()
    staff.walk(dossier, Dossier.State.RECEIVED)
    assert drain().sent == len(rows(dossier)) - 1
    assert [r.state for r in rows(dossier)] == [Parked] + [Sent] * (len(rows(dossier)) - 1)


def test_a_province_admin_sends_a_parked_event_again_and_the_portal_ends_at_the_latest_state(
    staff, standin, dvcqg_settings, client
):
    dossier = staff.register()
    standin.faults(invalid=1.0)
    drain()
    standin.faults()
    staff.walk(dossier, Dossier.State.RECEIVED)
    drain()
    parked = rows(dossier)[0]
    latest_status = rows(dossier)[-1].national_status

    staff_login(client, staff.province_admin)
    response = client.post(reverse("dossiers:officer_national_retry", args=[parked.pk]))

    assert response.status_code == 302
    drain()
    assert all(row.state == Sent for row in rows(dossier))
    assert standin.statuses(dossier.code)[-1] == latest_status


def test_only_a_province_admin_may_send_a_parked_event_again(staff, standin, dvcqg_settings, client):
    dossier = staff.register()
    standin.faults(invalid=1.0)
    drain()
    (parked,) = rows(dossier)

    for person in (staff.receiver, staff.department_admin, staff.leader):
        staff_login(client, person)
        assert client.post(reverse("dossiers:officer_national_retry", args=[parked.pk])).status_code == 404
    parked.refresh_from_db()
    assert parked.state == Parked


def test_an_expired_session_is_renewed_and_the_events_go_through(staff, standin, dvcqg_settings):
    dossiers = [staff.register(name=f"Người nộp {n}") for n in range(6)]
    standin.faults(session_expired=0.5)

    client = dvcqg_client()
    for _ in range(8):
        outbox_drain(client=client)
        make_due()

    assert standin.stats()["faults_injected"].get("session_expired", 0) > 0, standin.stats()
    assert all(row.state == Sent for dossier in dossiers for row in rows(dossier))


def test_a_worker_killed_before_its_batch_committed_sends_the_batch_again_without_double_effect(
    staff, standin, dvcqg_settings
):
    dossier = staff.register()
    with pytest.raises(RuntimeError), transaction.atomic():
        drain()
        raise RuntimeError("kill -9: the worker's transaction never commits")
    (row,) = rows(dossier)
    assert row.state == Pending and standin.delivery_count(idempotency_key(row)) == 1

    drain()

    row.refresh_from_db()
    assert row.state == Sent
    assert standin.delivery_count(idempotency_key(row)) == 2
    assert standin.applied_count(idempotency_key(row)) == 1
    assert standin.statuses(dossier.code) == [row.national_status]


def test_without_a_configured_portal_nothing_is_sent_and_the_page_says_so(staff, settings, client):
    settings.DVCQG_BASE_URL = ""
    dossier = staff.register()

    report = outbox_drain()

    assert report.configured is False
    assert [row.state for row in rows(dossier)] == [Pending]
    staff_login(client, staff.receiver)
    page = client.get(reverse("dossiers:officer_national")).content.decode()
    assert "Chưa cấu hình kết nối Cổng DVCQG" in page


def test_the_staff_page_shows_the_backlog_and_the_failures_by_reason(staff, standin, dvcqg_settings, client):
    waiting = staff.register()
    standin.faults(error=1.0)
    drain()
    refused = staff.register(name="Lê Văn Cường")
    standin.faults(invalid=1.0)
    drain()

    staff_login(client, staff.province_admin)
    page = client.get(reverse("dossiers:officer_national")).content.decode()

    assert "Cổng DVCQG trả lỗi 503" in page
    assert "Cổng DVCQG từ chối dữ liệu" in page and "MaTTHC" in page
    assert refused.code in page and waiting.code not in page.split('id="parked"')[1].split("</section>")[0]
    assert reverse("dossiers:officer_national_retry", args=[rows(refused)[0].pk]) in page


def test_the_work_page_says_whether_the_state_reached_the_portal(staff, standin, dvcqg_settings, client):
    dossier = staff.register()
    staff_login(client, staff.receiver)
    url = reverse("dossiers:officer_dossier", args=[dossier.pk])
    assert "Đang chờ gửi" in client.get(url).content.decode()

    drain()

    assert "Trạng thái hiện tại đã gửi lúc" in client.get(url).content.decode()


def test_the_dossier_payload_carries_every_documented_field(staff):
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    payload = dossier_payload(dossier, 4)

    assert payload["MaHoSo"] == dossier.code
    assert payload["MaTTHC"] == staff.birth.code
    assert payload["MaCoQuan"] == staff.commune.code
    assert payload["KenhThucHien"] == 1
    assert payload["LoaiDoiTuong"] == 1
    assert payload["TrangThaiHoSo"] == 4
    assert payload["ChuHoSo"]["HoVaTen"] == "Nguyễn Văn An"
    assert payload["ChuHoSo"]["SoDienThoai"] == "0912345678"
    assert len(payload["NgayTiepNhan"]) == 14 and payload["NgayTiepNhan"].isdigit()
    local = timezone.localtime(dossier.received_at)
    assert payload["NgayTiepNhan"] == local.strftime("%Y%m%d%H%M%S")
    assert payload["NgayHenTra"] == timezone.localtime(dossier.due_at).strftime("%Y%m%d%H%M%S")
    assert payload["NgayTra"] == ""
    (document,) = payload["TaiLieuNop"]
    assert document["TenTepDinhKem"] == "ban-quet.pdf"
    assert (
        document["DuocSoHoa"] is True and document["DuocTaiSuDung"] is True
    )  # scanned at the counter for an account
    assert document["DuocLayTuKhoDMDC"] is False
    assert payload["DanhSachGiayToKetQua"] == []


def test_a_step_within_a_status_is_sent_as_a_progress_update(staff):
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    event = dossier.events.order_by("-at", "-pk").first()
    payload = step_payload(dossier, event, 4)

    assert payload["MaHoSo"] == dossier.code
    assert payload["ThoiDiemXuLy"] == timezone.localtime(event.at).strftime("%Y%m%d%H%M%S")
    assert payload["TrangThai"] == 4
    assert payload["NoiDungXuLy"]


def test_supplements_and_apologies_carry_the_old_and_new_due_dates(staff):
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    old_due = dossier.due_at
    services.dossier_apologise(
        dossier=dossier, actor=staff.handler, reason="Chờ xác minh", new_due_at=old_due + timedelta(days=5)
    )
    dossier.refresh_from_db()

    (extension,) = dossier_payload(dossier, 4)["DanhSachGiaHan"]

    assert extension["NgayHenTraCu"] == timezone.localtime(old_due).strftime("%Y%m%d%H%M%S")
    assert extension["NgayHenTraMoi"] == timezone.localtime(dossier.due_at).strftime("%Y%m%d%H%M%S")


def test_the_plan_target_starts_at_30_percent_and_grows_by_20_points_a_year(settings):
    settings.PORTAL_NATIONAL_SYNC_FIRST_YEAR = 2026
    assert [coverage.target_percent(y) for y in (2025, 2026, 2027, 2028, 2029, 2030)] == [
        None,
        30,
        50,
        70,
        90,
        100,
    ]


def test_a_province_admin_records_a_synchronised_service_and_the_share_moves(staff, client):
    online = coverage.online_procedures()
    procedure = online.first()
    before = coverage.coverage_now()

    staff_login(client, staff.province_admin)
    response = client.post(
        reverse("dossiers:officer_national_procedure"),
        {"procedure": procedure.code, "synced": "1", "since": "01/07/2026"},
    )

    assert response.status_code == 302
    assert ProcedureNationalSync.objects.get(procedure=procedure).synced_since == date(2026, 7, 1)
    after = coverage.coverage_now()
    assert after.synced == before.synced + 1 and after.online == online.count()
    page = client.get(reverse("dossiers:officer_national")).content.decode()
    assert f"{after.percent:.1f}".replace(".", ",") in page or f"{after.percent:.1f}" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"procedure": "KHONG-CO", "synced": "1"}, "Không có thủ tục mã"),
        ({"procedure": "", "synced": "1"}, "Vui lòng nhập mã thủ tục."),
        ({"procedure": "1.001193", "synced": "1", "since": "31/02/2026"}, "Ngày phải theo dạng"),
    ],
)
def test_bad_coverage_input_gets_a_message_and_changes_nothing(staff, client, data, message):
    staff_login(client, staff.province_admin)
    response = client.post(reverse("dossiers:officer_national_procedure"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProcedureNationalSync.objects.exists()


def test_only_a_province_admin_records_synchronised_services(staff, client):
    staff_login(client, staff.department_admin)
    response = client.post(
        reverse("dossiers:officer_national_procedure"), {"procedure": "1.001193", "synced": "1"}
    )
    assert response.status_code == 404
    assert not ProcedureNationalSync.objects.exists()


def test_high_volume_services_not_yet_synchronised_are_listed_first(staff):
    procedure = staff.birth
    assert procedure.online_scope != "", "the vendored birth registration is an online service"
    staff.register()
    staff.register(name="Lê Thị Hoa")
    missing = coverage.missing_by_volume()
    assert missing[0]["code"] == procedure.code and missing[0]["volume"] == 2


def test_a_step_no_person_took_names_the_unit_as_its_processor(staff):
    dossier = staff.dossier_in(Dossier.State.PROCESSING)
    event = dossier.events.order_by("-at", "-pk").first()
    event.actor = None

    assert step_payload(dossier, event, 4)["NguoiXuLy"] == (
        event.agency.name if event.agency else "Hệ thống thông tin một cửa điện tử"
    )
