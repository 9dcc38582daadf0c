"""Dossiers filed on the national portal arrive in the right reception queue, once, with their documents checked
like uploads; bad records are refused with a reason and the rest still arrive; the catalogue is pulled the same
way. Against the running stand-in (tests/conftest.py)."""

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dossiers.models import Dossier, IncomingDossier, OutboxEvent
from dossiers.national.incoming import MAX_ATTEMPTS, incoming_pull
from dossiers.national.outbox import outbox_drain
from dossiers.selectors import Clock, queue_counts
from integrations.dvcqg.client import dvcqg_client
from portal.catalog.models import Procedure
from portal.catalog.national import catalogue_pull
from tests.people import PDF, PNG

pytestmark = pytest.mark.django_db

Outcome, Reason = IncomingDossier.Outcome, IncomingDossier.Reason


def record(staff, code="G22.99-261207-0001", **changes):
    base = {
        "MaHoSo": code,
        "MaTTHC": staff.birth.code,
        "MaCoQuan": staff.commune.code,
        "LoaiDoiTuong": 1,
        "ChuHoSo": {
            "HoVaTen": "Phạm Thị Dung",
            "SoDinhDanh": "089190000123",
            "SoDienThoai": "0987654321",
            "ThuDienTu": "dung@example.invalid",
            "DiaChi": "Ấp Mỹ Hòa",
        },
        "TaiLieu": [
            {
                "TenTepDinhKem": "to-khai.pdf",
                "TenGiayTo": "Tờ khai đăng ký khai sinh",
                "NoiDung": base64.b64encode(PDF).decode(),
                "LoaiNoiDung": "application/pdf",
            }
        ],
    }
    base.update(changes)
    return base


def pull():
    return incoming_pull(client=dvcqg_client())


def test_a_dossier_filed_on_the_national_portal_arrives_in_the_reception_queue(
    staff, standin, dvcqg_settings, uploads_in_tmp
):
    standin.push_incoming([record(staff)])

    report = pull()

    assert report.taken == 1
    incoming = IncomingDossier.objects.get(national_code="G22.99-261207-0001")
    dossier = incoming.dossier
    assert incoming.outcome == Outcome.TAKEN
    assert dossier.channel == Dossier.Channel.NATIONAL_PORTAL
    assert dossier.state == Dossier.State.SUBMITTED
    assert dossier.receiving_agency == staff.commune and dossier.procedure == staff.birth
    assert dossier.code and dossier.code != incoming.national_code, (
        "our own code, the national one kept beside"
    )
    assert dossier.applicant_name == "Phạm Thị Dung"
    (stored,) = dossier.files.all()
    assert stored.label == "Tờ khai đăng ký khai sinh" and stored.content_type == "application/pdf"
    assert queue_counts(staff.receiver, Clock.at()).get("cho-tiep-nhan", 0) >= 1


def test_pulling_again_takes_nothing_twice(staff, standin, dvcqg_settings, uploads_in_tmp):
    standin.push_incoming([record(staff)])
    pull()

    report = pull()

    assert report.taken == 0
    assert Dossier.objects.filter(channel=Dossier.Channel.NATIONAL_PORTAL).count() == 1


def test_its_progress_goes_back_to_the_portal_under_the_national_code(
    staff, standin, dvcqg_settings, uploads_in_tmp
):
    standin.push_incoming([record(staff)])
    pull()
    dossier = Dossier.objects.get(channel=Dossier.Channel.NATIONAL_PORTAL)
    staff.walk(dossier, Dossier.State.RECEIVED)

    outbox_drain(client=dvcqg_client())

    statuses = [row.national_status for row in OutboxEvent.objects.filter(dossier=dossier).order_by("pk")]
    assert standin.statuses("G22.99-261207-0001") == statuses
    assert standin.dossier("G22.99-261207-0001")["record"]["KenhThucHien"] == 2


def test_an_applicant_with_an_account_finds_the_dossier_among_theirs(
    staff, standin, dvcqg_settings, uploads_in_tmp
):
    staff.citizen.personal_id = "089190000123"
    staff.citizen.save(update_fields=["personal_id"])
    standin.push_incoming([record(staff)])

    pull()

    assert Dossier.objects.get(channel=Dossier.Channel.NATIONAL_PORTAL).applicant == staff.citizen


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"MaTTHC": "9.999999"}, Reason.UNKNOWN_PROCEDURE),
        ({"MaCoQuan": "KHONG-CO"}, Reason.UNKNOWN_AGENCY),
        ({"ChuHoSo": {"HoVaTen": ""}}, Reason.MISSING),
        ({"TaiLieu": []}, Reason.MISSING),
        (
            {"TaiLieu": [{"TenTepDinhKem": "a.exe", "NoiDung": base64.b64encode(b"MZ\x90\x00").decode()}]},
            Reason.DOCUMENT,
        ),
        (
            {"TaiLieu": [{"TenTepDinhKem": "anh.pdf", "NoiDung": base64.b64encode(PNG).decode()}]},
            Reason.DOCUMENT,
        ),
        ({"TaiLieu": [{"TenTepDinhKem": "lon.pdf", "KichThuoc": 60 * 1024 * 1024}]}, Reason.DOCUMENT),
    ],
)
def test_a_bad_record_is_refused_with_its_reason_and_the_others_still_arrive(
    staff, standin, dvcqg_settings, uploads_in_tmp, changes, reason
):
    standin.push_incoming([record(staff, "BAD-1", **changes), record(staff, "GOOD-1")])

    report = pull()

    assert report.taken == 1 and report.refused == 1
    bad = IncomingDossier.objects.get(national_code="BAD-1")
    assert bad.outcome == Outcome.REFUSED and bad.reason == reason and bad.dossier is None
    assert IncomingDossier.objects.get(national_code="GOOD-1").dossier is not None
    assert Dossier.objects.filter(channel=Dossier.Channel.NATIONAL_PORTAL).count() == 1


def test_a_record_whose_documents_cannot_be_fetched_waits_and_arrives_later(
    staff, standin, dvcqg_settings, uploads_in_tmp
):
    standin.push_incoming([record(staff)])
    standin.faults(error=1.0, services=["TaiLieu"])

    report = pull()

    assert (
        report.waiting == 1 and not Dossier.objects.filter(channel=Dossier.Channel.NATIONAL_PORTAL).exists()
    )
    row = IncomingDossier.objects.get()
    assert row.outcome == Outcome.WAITING and row.reason == Reason.UNREACHABLE and row.attempts == 1

    standin.faults()
    assert pull().taken == 1
    row.refresh_from_db()
    assert row.outcome == Outcome.TAKEN and row.dossier is not None


def test_a_record_unreachable_too_many_times_is_refused(staff, standin, dvcqg_settings, uploads_in_tmp):
    standin.push_incoming([record(staff)])
    standin.faults(error=1.0, services=["TaiLieu"])
    for _ in range(MAX_ATTEMPTS):
        pull()

    row = IncomingDossier.objects.get()
    assert row.outcome == Outcome.REFUSED and row.reason == Reason.UNREACHABLE


def test_without_a_configured_portal_nothing_is_pulled(settings):
    settings.DVCQG_BASE_URL = ""
    assert incoming_pull().configured is False


def test_the_national_catalogue_is_upserted_with_the_importers_rules(standin, dvcqg_settings):
    first = catalogue_pull(client=dvcqg_client())
    assert first.created == 0 and first.updated == 0 and first.unchanged == Procedure.objects.count()

    changed = dict(next(r for r in standin_catalogue(standin) if r["ma_thu_tuc"] == "1.001193"))
    changed["ten_thu_tuc"] = "Đăng ký khai sinh (tên mới)"
    standin.seed_catalogue(
        [
            changed,
            {"ma_thu_tuc": "9.000001", "ten_thu_tuc": "Thủ tục mới của bộ"},
            {"ma_thu_tuc": "9.000002", "ten_thu_tuc": ""},  # no name: reported, not written
        ]
    )

    report = catalogue_pull(client=dvcqg_client())

    assert (report.created, report.updated, len(report.errors)) == (1, 1, 1)
    assert Procedure.objects.get(code="1.001193").name == "Đăng ký khai sinh (tên mới)"
    assert Procedure.objects.filter(code="9.000001").exists()


def standin_catalogue(standin):
    return dvcqg_client().procedures()


def test_sync_procedures_says_plainly_when_the_portal_is_not_configured(settings):
    settings.DVCQG_BASE_URL = ""
    with pytest.raises(CommandError, match="Chưa cấu hình kết nối Cổng DVCQG"):
        call_command("sync_procedures")


def test_a_record_in_the_national_services_field_names_is_read_like_the_catalogue_file():
    from portal.catalog.national import national_record

    assert national_record({"MaTTHC": "1.1", "TenTTHC": "Tên", "LinhVuc": "Hộ tịch", "Khac": "x"}) == {
        "ma_thu_tuc": "1.1",
        "ten_thu_tuc": "Tên",
        "linh_vuc": "Hộ tịch",
    }
    assert national_record(["not", "an", "object"]) == ["not", "an", "object"]
