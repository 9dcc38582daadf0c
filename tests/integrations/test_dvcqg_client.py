"""The national portal client against the running stand-in (its own process, real HTTP): what arrives, how each
fault is classified, the session, idempotency, the catalogue, incoming dossiers and their documents."""

import base64
import gzip
import logging
import time
from datetime import datetime
from pathlib import Path

import pytest

from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.dates import VIETNAM
from integrations.dvcqg.errors import NotConfigured, PermanentError, SessionExpired, TemporaryError

CATALOGUE = Path(__file__).resolve().parents[2] / "portal" / "catalog" / "data" / "procedures-2026.jsonl.gz"


def a_dossier(code="000.00.01.H01-261125-0001", status=2, **fields):
    return {
        "MaHoSo": code,
        "MaTTHC": "1.000253",
        "KenhThucHien": 2,
        "ChuHoSo": {"HoVaTen": "Nguyễn Thị Lan", "SoDinhDanh": "091234567890", "SoDienThoai": "0912345678"},
        "LoaiDoiTuong": 1,
        "NgayTiepNhan": "20261125080000",
        "NgayHenTra": "20261202170000",
        "TrangThaiHoSo": status,
        **fields,
    }


def a_step(code="000.00.01.H01-261125-0001", status=4):
    return {
        "MaHoSo": code,
        "NguoiXuLy": "Trần Văn Bình",
        "ChucDanh": "Chuyên viên",
        "ThoiDiemXuLy": "20261126093000",
        "NoiDungXuLy": "Chuyển phòng chuyên môn thẩm định",
        "TrangThai": status,
    }


@pytest.fixture
def national(standin):
    """A client of the stand-in national portal with short timeouts (a timeout fault costs half a second)."""
    portal = DvcqgClient(
        standin.dvcqg_url, "cong-tinh", "mat-khau-thu-nghiem", "000.00.00.H01", timeout=(1.0, 0.5)
    )
    yield portal
    portal.close()


def test_a_synced_dossier_reaches_the_portal_with_its_status(national, standin):
    answer = national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert answer["error_code"] == 0
    assert standin.statuses("000.00.01.H01-261125-0001") == [2]
    arrived = standin.received("DongBoHoSoMC")[-1]
    assert arrived["key"] == "evt-1"
    assert arrived["body"]["madonvi"] == "000.00.00.H01"
    assert arrived["body"]["data"][0]["ChuHoSo"]["HoVaTen"] == "Nguyễn Thị Lan"
    assert "session" not in arrived["body"]  # the stand-in keeps what arrived, never the session


def test_a_payload_that_cannot_be_written_as_json_is_refused_before_sending(national, standin):
    with pytest.raises(PermanentError) as refused:
        national.dossier_sync(a_dossier(NgayTiepNhan=datetime(2026, 11, 25)), idempotency_key="evt-1")

    assert (refused.value.code, refused.value.field) == ("payload", "data")
    assert standin.delivery_count("evt-1") == 0


def test_a_rate_limit_says_how_long_to_wait(national, standin):
    standin.faults(rate_limit=1.0, services=["DongBoHoSoMC"])

    with pytest.raises(TemporaryError) as limited:
        national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert (limited.value.reason, limited.value.retry_after) == ("http_429", 1.0)


def test_the_same_event_delivered_twice_takes_effect_once(national, standin):
    national.dossier_sync(a_dossier(), idempotency_key="evt-1")
    again = national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert again["error_code"] == 0 and again["result"]["duplicate"] is True
    assert standin.delivery_count("evt-1") == 2
    assert standin.applied_count("evt-1") == 1
    assert standin.statuses("000.00.01.H01-261125-0001") == [2]


def test_the_key_goes_in_the_body_and_the_header(national, standin):
    national.progress_update(a_step(), idempotency_key="evt-7")

    assert standin.received("CapNhatTienDoHoSoMC")[-1]["body"]["IdempotencyKey"] == "evt-7"
    assert standin.applied_count("evt-7") == 1


def test_a_key_reused_for_other_content_is_refused(national, standin):
    national.dossier_sync(a_dossier(status=2), idempotency_key="evt-1")

    with pytest.raises(PermanentError) as refused:
        national.dossier_sync(a_dossier(status=4), idempotency_key="evt-1")

    assert refused.value.field == "IdempotencyKey"
    assert standin.statuses("000.00.01.H01-261125-0001") == [2]


def test_statuses_of_a_dossier_are_kept_in_arrival_order(national, standin):
    national.dossier_sync(a_dossier(status=2), idempotency_key="evt-1")
    national.progress_update(a_step(status=4), idempotency_key="evt-2")
    national.dossier_sync(a_dossier(status=10), idempotency_key="evt-3")

    assert standin.statuses("000.00.01.H01-261125-0001") == [2, 4, 10]
    assert standin.statuses("000.00.01.H01-261125-0001", service="CapNhatTienDoHoSoMC") == [4]
    assert national.dossier_lookup("000.00.01.H01-261125-0001")["LichSuTrangThai"] == [2, 4, 10]


def test_a_dossier_the_portal_does_not_know_is_looked_up_as_none(national):
    assert national.dossier_lookup("000.00.01.H01-261125-9999") is None


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("reset", "connection"),
        ("timeout", "timeout"),
        ("error", "http_503"),
        ("rate_limit", "http_429"),
        ("html", "not_json"),
        ("malformed", "malformed"),
    ],
)
def test_each_transport_fault_is_a_temporary_error_and_the_retry_succeeds(national, standin, fault, reason):
    national.agencies()  # logged in before the fault, so the fault meets the call itself
    standin.faults(**{fault: 1.0, "timeout_seconds": 2.0})

    with pytest.raises(TemporaryError) as failed:
        national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert failed.value.reason == reason
    assert not isinstance(failed.value, PermanentError)
    assert standin.applied_count("evt-1") == 0
    standin.faults()
    national.dossier_sync(a_dossier(), idempotency_key="evt-1")
    assert standin.applied_count("evt-1") == 1
    assert standin.delivery_count("evt-1") == 2


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"TrangThaiHoSo": 11}, "TrangThaiHoSo", "302"),
        ({"TrangThaiHoSo": "2"}, "TrangThaiHoSo", "302"),
        ({"KenhThucHien": 4}, "KenhThucHien", "302"),
        ({"LoaiDoiTuong": 5}, "LoaiDoiTuong", "302"),
        ({"NgayTiepNhan": "25/11/2026"}, "NgayTiepNhan", "302"),
        ({"NgayHenTra": "20261131170000"}, "NgayHenTra", "302"),
        ({"MaTTHC": ""}, "MaTTHC", "301"),
        ({"ChuHoSo": {"SoDienThoai": "0912345678"}}, "ChuHoSo.HoVaTen", "301"),
        (
            {"TaiLieuNop": [{"TenTepDinhKem": "don.pdf", "DuocLayTuKhoDMDC": "co"}]},
            "TaiLieuNop[0].DuocLayTuKhoDMDC",
            "302",
        ),
        ({"DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": -1}]}, "DanhSachLePhi[0].Gia", "302"),
    ],
)
def test_a_payload_the_portal_refuses_is_a_permanent_error_with_its_field(
    national, standin, change, field, code
):
    with pytest.raises(PermanentError) as refused:
        national.dossier_sync(a_dossier(**change), idempotency_key="evt-1")

    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.reason
    assert standin.applied_count("evt-1") == 0


def test_a_step_without_who_handled_it_is_refused(national):
    step = a_step()
    del step["NguoiXuLy"]

    with pytest.raises(PermanentError) as refused:
        national.progress_update(step, idempotency_key="evt-2")

    assert refused.value.field == "NguoiXuLy"


def test_a_refusal_injected_for_an_event_is_permanent_at_every_delivery(national, standin):
    standin.faults(invalid=1.0)

    for _ in range(2):
        with pytest.raises(PermanentError) as refused:
            national.dossier_sync(a_dossier(), idempotency_key="evt-1")
        assert refused.value.field == "MaTTHC"
    assert standin.applied_count("evt-1") == 0


def test_an_answer_lost_after_the_event_applied_makes_the_retry_a_duplicate_delivery(national, standin):
    standin.faults(duplicate=1.0)
    with pytest.raises(TemporaryError):
        national.dossier_sync(a_dossier(), idempotency_key="evt-1")
    standin.faults()

    national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert (standin.delivery_count("evt-1"), standin.applied_count("evt-1")) == (2, 1)
    assert standin.statuses("000.00.01.H01-261125-0001") == [2]


def test_one_login_serves_many_calls(national, standin):
    for number in range(3):
        national.dossier_sync(a_dossier(code=f"H-{number}"), idempotency_key=f"evt-{number}")

    assert standin.stats()["dvcqg"]["logins"] == 1


def test_an_expired_session_is_renewed_once_and_the_call_succeeds(national, standin):
    national.dossier_sync(a_dossier(), idempotency_key="evt-1")
    standin.expire_sessions()

    national.progress_update(a_step(), idempotency_key="evt-2")

    assert standin.applied_count("evt-2") == 1
    assert standin.stats()["dvcqg"]["logins"] == 2


def test_a_session_refused_again_after_a_new_login_is_a_temporary_error(national, standin):
    standin.faults(session_expired=1.0)

    with pytest.raises(SessionExpired):
        national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert standin.stats()["dvcqg"]["logins"] == 2  # one re-login, not a loop
    assert standin.applied_count("evt-1") == 0


def test_refused_credentials_are_temporary_so_nothing_is_parked_for_them(national, standin):
    standin.configure(accounts={"cong-tinh": "mat-khau-khac"})

    with pytest.raises(TemporaryError) as failed:
        national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert failed.value.reason == "login_refused"


def test_a_slow_answer_within_the_timeout_succeeds(national, standin):
    standin.faults(slow=1.0, slow_seconds=0.3)
    national.agencies()
    started = time.monotonic()

    national.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert time.monotonic() - started >= 0.3
    assert standin.applied_count("evt-1") == 1


def test_the_log_names_service_key_and_outcome_but_no_personal_id_or_secret(national, standin, caplog):
    caplog.set_level(logging.DEBUG, logger="integrations.dvcqg")

    national.dossier_sync(a_dossier(), idempotency_key="evt-1")
    standin.faults(invalid=1.0)
    with pytest.raises(PermanentError):
        national.dossier_sync(a_dossier(code="H-2"), idempotency_key="evt-2")

    assert "DongBoHoSoMC key=evt-1 outcome=ok" in caplog.text
    assert "DongBoHoSoMC key=evt-2 outcome=refused code=302 field=MaTTHC" in caplog.text
    for secret in ("091234567890", "mat-khau-thu-nghiem", national._session):
        assert secret not in caplog.text


def test_the_whole_catalogue_comes_page_by_page(standin):
    with gzip.open(CATALOGUE, "rt", encoding="utf-8") as lines:
        vendored = sum(1 for line in lines if line.strip())
    portal = DvcqgClient(standin.dvcqg_url, "u", "p", "000.00.00.H01", page_size=250)

    procedures = portal.procedures()

    assert len(procedures) == vendored
    assert len({p["ma_thu_tuc"] for p in procedures}) == vendored
    assert standin.stats()["dvcqg"]["calls"]["LayDanhSachTTHC"] == -(-vendored // 250)


def test_only_procedures_changed_since_a_moment_come_when_asked(national, standin):
    before = datetime.now(VIETNAM).replace(microsecond=0)
    standin.seed_catalogue([{"ma_thu_tuc": "9.999999", "ten_thu_tuc": "Thủ tục mới công bố"}])

    changed = national.procedures(changed_since=before)

    assert [p["ma_thu_tuc"] for p in changed] == ["9.999999"]
    assert national.procedure("9.999999")["ten_thu_tuc"] == "Thủ tục mới công bố"


def test_a_procedure_the_catalogue_does_not_have_is_a_permanent_error(national):
    with pytest.raises(PermanentError) as refused:
        national.procedure("0.000000")

    assert refused.value.field == "MaTTHC"


def test_agencies_of_the_province_are_listed(national):
    codes = {agency["MaCoQuan"] for agency in national.agencies()}

    assert {"000.00.00.H01", "000.00.01.H01"} <= codes


def test_dossiers_filed_on_the_national_portal_arrive_since_a_moment(national, standin):
    standin.push_incoming(
        [
            {"MaHoSo": "G-OLD", "MaTTHC": "1.000253", "NgayNopHoSo": "20261120080000", "TaiLieu": []},
            {"MaHoSo": "G-NEW", "MaTTHC": "1.000253", "NgayNopHoSo": "20261125080000", "TaiLieu": []},
        ]
    )

    everything = national.incoming_dossiers(since=None)
    recent = national.incoming_dossiers(since=datetime(2026, 11, 24, tzinfo=VIETNAM))

    assert [d["MaHoSo"] for d in everything] == ["G-OLD", "G-NEW"]
    assert [d["MaHoSo"] for d in recent] == ["G-NEW"]


def test_a_document_of_an_incoming_dossier_is_fetched_with_its_type(national, standin):
    content = b"%PDF-1.4 don de nghi"
    [stored] = standin.push_incoming(
        [
            {
                "MaHoSo": "G-1",
                "TaiLieu": [
                    {
                        "TenTepDinhKem": "don.pdf",
                        "NoiDung": base64.b64encode(content).decode(),
                        "LoaiNoiDung": "application/pdf",
                    }
                ],
            }
        ]
    )

    assert national.document(stored["TaiLieu"][0]["DuongDan"], max_bytes=1024) == (content, "application/pdf")


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "without-length"])
def test_a_document_over_the_limit_is_refused_without_reading_it_all(national, standin, chunked):
    [stored] = standin.push_incoming(
        [
            {
                "MaHoSo": "G-1",
                "TaiLieu": [{"TenTepDinhKem": "to.pdf", "KichThuoc": 5_000_000, "chunked": chunked}],
            }
        ]
    )

    with pytest.raises(PermanentError) as refused:
        national.document(stored["TaiLieu"][0]["DuongDan"], max_bytes=1_000_000)

    assert (refused.value.field, refused.value.reason) == ("TaiLieu", "too_large")


def test_a_document_exactly_at_the_limit_is_accepted(national, standin):
    [stored] = standin.push_incoming(
        [{"MaHoSo": "G-1", "TaiLieu": [{"TenTepDinhKem": "vua.pdf", "KichThuoc": 200_000, "chunked": True}]}]
    )

    content, content_type = national.document(stored["TaiLieu"][0]["DuongDan"], max_bytes=200_000)

    assert len(content) == 200_000 and content.startswith(b"%PDF")
    assert content_type == "application/pdf"


def test_a_document_elsewhere_or_missing_is_refused(national, standin):
    with pytest.raises(PermanentError) as foreign:
        national.document("http://169.254.169.254/latest/meta-data", max_bytes=1024)
    with pytest.raises(PermanentError) as missing:
        national.document("tl-khong-co", max_bytes=1024)

    assert foreign.value.reason == "foreign_url"
    assert (missing.value.field, missing.value.code) == ("TaiLieu", "http_404")


def test_the_client_from_the_settings_talks_to_the_configured_portal(dvcqg_settings, standin):
    assert dvcqg_configured()
    portal = dvcqg_client()

    portal.dossier_sync(a_dossier(), idempotency_key="evt-1")

    assert portal.timeout == (2.0, 2.0)
    assert standin.received("DongBoHoSoMC")[-1]["body"]["madonvi"] == "000.00.00.H01"


@pytest.mark.parametrize("missing", ["DVCQG_BASE_URL", "DVCQG_USERNAME", "DVCQG_PASSWORD"])
def test_without_address_or_credentials_the_client_is_not_configured(dvcqg_settings, missing):
    setattr(dvcqg_settings, missing, "")

    assert not dvcqg_configured()
    with pytest.raises(NotConfigured, match=missing):
        dvcqg_client()


def test_the_province_agency_code_is_used_when_none_is_set(dvcqg_settings):
    dvcqg_settings.DVCQG_AGENCY_CODE = ""

    assert dvcqg_client().agency_code == dvcqg_settings.PORTAL_PROVINCE_AGENCY_CODE


def test_under_mixed_faults_every_event_takes_effect_once_and_in_order(national, standin):
    """A sender that retries only temporary errors, against 5 % of each temporary fault, lost answers and 1 %
    refusals: each event arrives exactly once in effect or is refused, and each dossier's statuses keep order."""
    standin.faults(
        seed=3,
        reset=0.05,
        error=0.05,
        html=0.05,
        malformed=0.05,
        rate_limit=0.05,
        session_expired=0.05,
        duplicate=0.05,
        invalid=0.01,
        services=["DongBoHoSoMC"],
    )
    refused = set()
    for number in range(60):
        for status in (2, 4, 10):
            key = f"evt-{number}-{status}"
            for _ in range(50):
                try:
                    national.dossier_sync(a_dossier(code=f"H-{number}", status=status), idempotency_key=key)
                    break
                except TemporaryError:
                    continue
                except PermanentError:
                    refused.add(key)
                    break

    keys = standin.keys()
    assert all(state["applied"] == (0 if key in refused else 1) for key, state in keys.items())
    assert len(keys) == 180
    for number in range(60):
        expected = [s for s in (2, 4, 10) if f"evt-{number}-{s}" not in refused]
        assert standin.statuses(f"H-{number}") == expected
    assert sum(state["deliveries"] for state in keys.values()) > 180  # the faults did happen
