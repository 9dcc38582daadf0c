"""Public tracking by dossier code: the right second factor shows where the dossier is, anything else shows the same
"not found" page, guessing is rate-limited, and no personal data ever appears."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dossiers import filing, services
from dossiers.views import tracking
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAL = ["Lê Thị Thu", "0987654321", "079301234567", "Số 5 đường Hùng Vương", "thu@example.invalid"]


@pytest.fixture(autouse=True)
def fresh_counters(monkeypatch, settings, tmp_path):
    """Counters of this test only: the shared cache (Redis in the PostgreSQL run) outlives a test run."""
    salt = uuid.uuid4().hex
    original = tracking._key
    monkeypatch.setattr(tracking, "_key", lambda kind, value: original(kind, f"{salt}:{value}"))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.fixture
def commune():
    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def dossier(make_user, commune):
    citizen = make_user("nguoinop", full_name="Lê Thị Thu", phone="0987654321", email="thu@example.invalid")
    receiver = make_user(
        "motcua9", role=User.Role.ONESTOP_OFFICER, agency_code=commune.code, full_name="Đỗ Văn Cán Bộ"
    )
    draft = filing.dossier_draft_create(
        user=citizen, procedure=Procedure.objects.get(code="1.001193"), receiving_agency=commune
    )
    filing.dossier_details_update(
        dossier=draft,
        user=citizen,
        applicant_id_number="079301234567",
        applicant_address="Số 5 đường Hùng Vương",
    )
    filing.dossier_file_add(
        dossier=draft, user=citizen, upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    )
    services.dossier_submit(dossier=draft, user=citizen)
    draft.refresh_from_db()
    services.dossier_receive(dossier=draft, officer=receiver, note="Đã nhận của bà Lê Thị Thu, 0987654321")
    draft.refresh_from_db()
    return draft


def track(client, code, factor=None, address="203.0.113.7"):
    params = {"ma": code} if factor is None else {"ma": code, "xac_thuc": factor}
    return client.get("/ho-so/tra-cuu/", params, REMOTE_ADDR=address)


def main_text(response, code) -> str:
    """What the visitor reads in the page's main area, with the code they typed blanked out."""
    body = response.content.decode()
    main = re.search(r"<main.*?</main>", body, re.S).group(0)
    return main.replace(code, "<MA>")


def test_the_last_four_digits_of_the_phone_show_where_the_dossier_is(client, dossier, commune):
    response = track(client, dossier.code, "4321")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in body and commune.name in body
    assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in body
    assert dossier.received_at.astimezone().strftime("%d/%m/%Y") in body
    assert "Nộp hồ sơ" in body and "Tiếp nhận hồ sơ" in body


def test_the_last_four_digits_of_the_identity_number_work_too_and_spaces_in_the_code_do_not_matter(
    client, dossier
):
    response = track(client, f" {dossier.code.lower()} ", "4567")
    assert "Đã tiếp nhận" in response.content.decode()


def test_personal_data_never_appears_on_the_tracking_page(client, dossier):
    body = track(client, dossier.code, "4321").content.decode()
    for value in PERSONAL + ["Đỗ Văn Cán Bộ"]:
        assert value not in body


def test_a_wrong_factor_and_an_unknown_code_give_the_same_page(client, dossier):
    wrong = track(client, dossier.code, "0000")
    unknown_code = dossier.code[:-4] + "9999"
    unknown = track(client, unknown_code, "4321")
    assert wrong.status_code == unknown.status_code == 200
    assert main_text(wrong, dossier.code) == main_text(unknown, unknown_code)
    assert "Không tìm thấy hồ sơ" in main_text(wrong, dossier.code)
    assert "Đã tiếp nhận" not in wrong.content.decode()


def test_a_code_from_the_receipts_qr_code_is_filled_in_and_the_digits_asked_for(client, dossier):
    response = track(client, dossier.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in body and 'name="xac_thuc"' in body
    assert "Không tìm thấy" not in body and "Đã tiếp nhận" not in body


def test_a_malformed_factor_is_explained(client, dossier):
    response = track(client, dossier.code, "12")
    assert response.status_code == 400 and "Nhập đúng 4 chữ số" in response.content.decode()


def test_five_wrong_guesses_lock_the_code_even_from_other_addresses(client, dossier):
    for attempt in range(tracking.FAILURES_PER_CODE):
        assert (
            track(client, dossier.code, f"{attempt:04d}", address=f"198.51.100.{attempt}").status_code == 200
        )
    locked = track(client, dossier.code, "4321", address="192.0.2.99")
    assert locked.status_code == 429
    assert "thử lại sau" in locked.content.decode() and locked["Retry-After"] == "600"
    assert "Đã tiếp nhận" not in locked.content.decode()


def test_one_address_may_try_ten_times_in_ten_minutes(client, dossier):
    for attempt in range(tracking.ATTEMPTS_PER_ADDRESS):
        code = f"000.00.00.H01-250101-{attempt:04d}"
        assert track(client, code, "1234").status_code == 200
    assert track(client, dossier.code, "4321").status_code == 429
    assert track(client, dossier.code, "4321", address="203.0.113.8").status_code == 200


def test_the_tracking_page_is_never_cached(client, dossier):
    response = track(client, dossier.code, "4321")
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4", REMOTE_ADDR="127.0.0.1")
    assert tracking.client_address(request) == "198.51.100.4"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert tracking.client_address(request) == "127.0.0.1"
