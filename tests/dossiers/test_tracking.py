"""Public tracking by dossier code: the right second factor or the receipt's signed link shows where the dossier is,
anything else shows the same "not found" page, guessing is limited, nobody can lock the owner out, and no personal
data ever appears."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dossiers import filing, services
from dossiers.pdf import qr
from dossiers.views import tracking
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSONAL = ["Lê Thị Thu", "0987654321", "079301234567", "Số 5 đường Hùng Vương", "thu@example.invalid"]
CENTRE = "203.0.113.7"  # a one-stop centre: every citizen in it comes from this one NAT address


@pytest.fixture(autouse=True)
def uploads_here(settings, tmp_path):
    """Stored files under this test's directory (counters are the test's own: tests/conftest.py)."""
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
    registered = filing.dossier_register_at_counter(
        officer=receiver,
        procedure=Procedure.objects.get(code="1.001193"),
        receiving_agency=commune,
        applicant=citizen,
        uploads=[("Tờ khai", SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"))],
        applicant_name="Lê Thị Thu",
        applicant_phone="0987654321",
        applicant_email="thu@example.invalid",
        applicant_id_number="079301234567",
        applicant_address="Số 5 đường Hùng Vương",
    )
    services.dossier_receive(
        dossier=registered,
        actor=receiver,
        due_at=timezone.now() + timedelta(days=10),
        note="Đã nhận của bà Lê Thị Thu, 0987654321",
    )
    registered.refresh_from_db()
    return registered


def track(client, code, factor=None, address=CENTRE):
    params = {"ma": code} if factor is None else {"ma": code, "xac_thuc": factor}
    return client.get("/ho-so/tra-cuu/", params, REMOTE_ADDR=address)


def open_link(client, code, address=CENTRE):
    return client.get(urlsplit(qr.tracking_url(code)).path, REMOTE_ADDR=address)


def shows_the_dossier(response) -> bool:
    return response.status_code == 200 and "Đã tiếp nhận" in response.content.decode()


def main_text(response, code) -> str:
    """What the visitor reads in the page's main area, with the code they typed blanked out."""
    body = response.content.decode()
    main = re.search(r"<main.*?</main>", body, re.S).group(0)
    return main.replace(code, "<MA>")


def wrong_answers(client, code, count, address=CENTRE):
    """``count`` wrong answers for ``code``; the status codes they got."""
    return [track(client, code, f"{n:04d}", address=address).status_code for n in range(count)]


# --- what the page shows -------------------------------------------------------------------------------------------


def test_the_last_four_digits_of_the_phone_show_where_the_dossier_is(client, dossier, commune):
    response = track(client, dossier.code, "4321")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã tiếp nhận" in body and commune.name in body
    assert dossier.due_at.astimezone().strftime("%d/%m/%Y") in body
    assert dossier.received_at.astimezone().strftime("%d/%m/%Y") in body
    assert "Tiếp nhận hồ sơ" in body


def test_the_last_four_digits_of_the_identity_number_work_too_and_spaces_in_the_code_do_not_matter(
    client, dossier
):
    response = track(client, f" {dossier.code.lower()} ", "4567")
    assert "Đã tiếp nhận" in response.content.decode()


def test_personal_data_never_appears_on_the_tracking_page(client, dossier):
    for response in [track(client, dossier.code, "4321"), open_link(Client(), dossier.code)]:
        body = response.content.decode()
        assert "Đã tiếp nhận" in body
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


def test_a_code_alone_is_filled_in_and_the_digits_asked_for(client, dossier):
    response = track(client, dossier.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in body and 'name="xac_thuc"' in body
    assert "Không tìm thấy" not in body and "Đã tiếp nhận" not in body and "error-summary" not in body


def test_a_malformed_factor_is_explained_in_the_error_summary_linked_to_its_field(client, dossier):
    response = track(client, dossier.code, "12")
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body and '<a href="#id_xac_thuc">Nhập đúng 4 chữ số.</a>' in body
    assert "<title>Lỗi:" in body


def test_an_empty_form_names_what_each_field_needs(client):
    body = client.get("/ho-so/tra-cuu/", {"ma": "", "xac_thuc": ""}, REMOTE_ADDR=CENTRE).content.decode()
    assert '<a href="#id_ma">Nhập mã hồ sơ in trên giấy tiếp nhận.</a>' in body
    assert "Nhập 4 chữ số cuối của số điện thoại hoặc số định danh của người nộp." in body
    assert "Trường này là bắt buộc" not in body


def test_not_found_and_too_many_attempts_are_in_the_error_summary(client, dossier):
    not_found = track(client, dossier.code, "0000").content.decode()
    assert re.search(r'class="error-summary".*Không tìm thấy hồ sơ', not_found, re.S)
    wrong_answers(client, dossier.code, tracking.FAILURES_PER_CODE_AND_ADDRESS)
    refused = track(client, dossier.code, "0000").content.decode()
    assert re.search(r'class="error-summary".*thử lại sau 10 phút', refused, re.S)


def test_the_tracking_page_is_never_cached(client, dossier):
    for response in [track(client, dossier.code, "4321"), open_link(client, dossier.code)]:
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(rf, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4", REMOTE_ADDR="127.0.0.1")
    assert tracking.client_address(request) == "198.51.100.4"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert tracking.client_address(request) == "127.0.0.1"


# --- the signed link on the receipt --------------------------------------------------------------------------------


def test_the_receipts_signed_link_opens_the_summary_without_the_digits(dossier):
    url = qr.tracking_url(dossier.code)
    assert "xac_thuc" not in url and dossier.code in url
    response = open_link(Client(), dossier.code)
    assert shows_the_dossier(response) and "Tiếp nhận hồ sơ" in response.content.decode()


@pytest.mark.parametrize("tamper", ["signature", "code"])
def test_a_link_with_a_signature_not_made_for_its_code_shows_nothing(client, dossier, tamper):
    signature = qr.tracking_link_signature(dossier.code)
    if tamper == "signature":
        path = f"/ho-so/tra-cuu/{dossier.code}/{signature[:-2]}AA/"
    else:  # the signature of one dossier put on another's code
        other = dossier.code[:-4] + "0099"
        path = f"/ho-so/tra-cuu/{dossier.code}/{qr.tracking_link_signature(other)}/"
    response = client.get(path, REMOTE_ADDR=CENTRE)
    body = response.content.decode()
    assert response.status_code == 404 and "Đường dẫn tra cứu không đúng" in body
    assert "Đã tiếp nhận" not in body


def test_a_link_is_bound_to_the_secret_key_and_survives_its_rotation_through_the_fallbacks(dossier, settings):
    old_link = urlsplit(qr.tracking_url(dossier.code)).path
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert Client().get(old_link, REMOTE_ADDR=CENTRE).status_code == 404
    settings.SECRET_KEY_FALLBACKS = ["django-insecure-placeholder"]  # not the old key: still refused
    assert Client().get(old_link, REMOTE_ADDR=CENTRE).status_code == 404


def test_an_old_key_kept_in_the_fallbacks_still_opens_the_links_it_signed(dossier, settings):
    old_key = settings.SECRET_KEY
    old_link = urlsplit(qr.tracking_url(dossier.code)).path
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert shows_the_dossier(Client().get(old_link, REMOTE_ADDR=CENTRE))


# --- nobody can lock the owner out; nobody can enumerate ----------------------------------------------------------


def test_twenty_wrong_answers_from_another_client_behind_the_same_address_do_not_lock_the_owner_out(dossier):
    owner = Client()
    assert shows_the_dossier(track(owner, dossier.code, "4321"))  # the device is remembered
    attacker = Client()
    statuses = wrong_answers(attacker, dossier.code, 20)
    assert statuses.count(200) == tracking.FAILURES_PER_CODE_AND_ADDRESS and statuses[-1] == 429
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    assert shows_the_dossier(open_link(Client(), dossier.code))  # and anyone holding the receipt


def test_twenty_wrong_answers_from_another_address_leave_a_new_device_of_the_owner_free(dossier):
    wrong_answers(Client(), dossier.code, 20, address="198.51.100.66")
    assert shows_the_dossier(track(Client(), dossier.code, "4321", address=CENTRE))


def test_the_guesser_gets_no_answer_even_for_the_right_digits_once_over_the_limit(dossier):
    guesser = Client()
    assert wrong_answers(guesser, dossier.code, tracking.FAILURES_PER_CODE_AND_ADDRESS) == [200] * 5
    refused = track(guesser, dossier.code, "4321")
    assert refused.status_code == 429 and refused["Retry-After"] == str(tracking.WINDOW_SECONDS)
    assert "Đã tiếp nhận" not in refused.content.decode()


def test_guessing_from_many_addresses_closes_the_code_for_a_day_except_to_its_owner(dossier):
    owner = Client()
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    for n in range(tracking.FAILURES_PER_CODE):
        assert track(Client(), dossier.code, f"{n:04d}", address=f"198.51.100.{n}").status_code == 200
    refused = track(Client(), dossier.code, "4321", address="192.0.2.99")
    assert refused.status_code == 429 and refused["Retry-After"] == str(24 * 60 * 60)
    assert "Đã tiếp nhận" not in refused.content.decode() and "thử lại sau 24 giờ" in refused.content.decode()
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    assert shows_the_dossier(open_link(Client(), dossier.code, address="192.0.2.99"))


def test_one_address_serves_many_citizens_and_only_its_guessers_fill_its_limit(dossier):
    centre = Client()
    owner = Client()
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    typos = tracking.FAILURES_PER_ADDRESS - 1
    for n in range(typos):  # many citizens, each mistyping their own code once
        assert track(centre, f"000.00.00.H01-250101-{n:04d}", "1234").status_code == 200
    assert shows_the_dossier(track(Client(), dossier.code, "4567"))  # a citizen's first lookup still works
    track(centre, "000.00.00.H01-250101-9999", "1234")
    assert track(Client(), dossier.code, "4567").status_code == 429  # a guesser filled the address's limit
    assert track(Client(), dossier.code, "4321", address="198.51.100.5").status_code == 200
    assert shows_the_dossier(track(owner, dossier.code, "4321"))


def test_the_owners_device_is_answered_even_after_others_used_up_the_codes_limit(dossier):
    owner = Client()
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    wrong_answers(Client(), dossier.code, 20)
    assert shows_the_dossier(track(owner, dossier.code, "4321"))
    assert track(Client(), dossier.code, "4321").status_code == 429  # a new device is held to the limits


def test_the_owners_cookie_holds_neither_the_code_nor_the_digits(client, dossier):
    response = track(client, dossier.code, "4321")
    cookie = response.cookies[tracking.OWNER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert dossier.code not in cookie.value and "4321" not in cookie.value


def test_the_owners_cookie_vouches_only_for_the_answer_it_saw(client, dossier):
    """A shared computer at the centre: the cookie left by one citizen does not help the next one guess."""
    assert shows_the_dossier(track(client, dossier.code, "4321"))
    assert wrong_answers(client, dossier.code, 6)[-1] == 429
    assert track(client, dossier.code, "4567").status_code == 429  # also right, but not the answer it saw
    assert shows_the_dossier(track(client, dossier.code, "4321"))


def test_a_forged_owner_cookie_counts_for_nothing(client, dossier):
    wrong_answers(client, dossier.code, 5)
    client.cookies[tracking.OWNER_COOKIE] = tracking._answer_tag(dossier.code, "4321")
    assert track(client, dossier.code, "4321").status_code == 429
