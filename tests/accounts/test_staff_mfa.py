"""Staff pass a TOTP second factor (allauth.mfa) in every session before any page opens to them; citizens never have
to. Signed in by password, by single sign-on or by any other way, the same rule holds."""

import pytest
from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from portal.accounts.models import ExternalIdentity, User
from tests.accounts.mfa import (
    failed_attempts_forget,
    staff_login,
    totp_enrol,
    totp_now,
    totp_secret,
    totp_wrong,
)
from tests.sso.flows import sso_login

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
SERVICE_CENTRE = "000.00.01.H01"
ENROL = "/tai-khoan/xac-thuc-hai-lop/ung-dung/"
VERIFY = "/tai-khoan/xac-thuc-hai-lop/xac-minh/"
RECOVERY_CODES = "/tai-khoan/xac-thuc-hai-lop/ma-khoi-phuc/"
OFFICER_HOME = "/ho-so/can-bo/"
# Officers' pages, the admin, staff management, and pages anyone may see: all closed until the second factor.
STAFF_PAGES = [OFFICER_HOME, "/ho-so/can-bo/hang-doi/cho-tiep-nhan/", "/quan-tri/", "/ho-so/cua-toi/", "/"]


@pytest.fixture
def officer(make_user) -> User:
    return make_user("motcua_mfa", role=User.Role.ONESTOP_OFFICER, agency_code=SERVICE_CENTRE)


@pytest.fixture
def citizen(make_user) -> User:
    return make_user("congdan_mfa", email="cd@example.vn")


def password_sign_in(client: Client, user: User, **extra):
    return client.post(reverse("accounts:login"), {"login": user.username, "password": PASSWORD, **extra})


def link_the_providers_citizen_account(user: User, provider) -> None:
    ExternalIdentity.objects.create(
        user=user, issuer=provider.issuer, subject="citizen", tech_id="TECH-0001-8a2f"
    )


def second_factor_records(client: Client, user: User) -> list[dict]:
    request = type("Request", (), {"session": client.session})()
    return [record for record in get_authentication_records(request, user) if record["method"] == "mfa"]


# --- Staff without an authenticator ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra", [{"role": User.Role.LEADER}, {"is_staff": True}, {"is_staff": True, "is_superuser": True}]
)
def test_staff_without_an_authenticator_are_sent_to_enrolment_from_every_page(client, make_user, extra):
    client.force_login(make_user("canbo", **extra))

    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{ENROL}?next={page.replace('/', '%2F')}", page


def test_the_enrolment_page_says_why_and_enrolling_opens_the_officer_pages_with_a_new_key(client, officer):
    password_sign_in(client, officer)
    assert client.get(OFFICER_HOME)["Location"].startswith(ENROL)

    page = client.get(f"{ENROL}?next={OFFICER_HOME}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tài khoản cán bộ bắt buộc dùng xác thực hai lớp" in text
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in text  # for typing into the app by hand
    key_before = client.session.session_key

    response = client.post(f"{ENROL}?next={OFFICER_HOME}", {"code": totp_now(secret)})

    assert response.status_code == 302
    assert response["Location"] == f"{RECOVERY_CODES}?next=%2Fho-so%2Fcan-bo%2F"
    authenticator = Authenticator.objects.get(user=officer, type=Authenticator.Type.TOTP)
    assert totp_secret(authenticator) == secret
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.session.session_key != key_before
    assert [record.get("enrolled") for record in second_factor_records(client, officer)] == [True]
    codes_page = client.get(response["Location"]).content.decode()
    assert 'href="/ho-so/can-bo/"' in codes_page
    assert client.get(OFFICER_HOME).status_code == 200


def test_a_wrong_code_does_not_enrol(client, officer):
    password_sign_in(client, officer)
    client.get(ENROL)

    response = client.post(ENROL, {"code": totp_wrong(client.session[SECRET_SESSION_KEY])})

    assert response.status_code == 400
    assert "Mã không đúng hoặc đã hết hạn." in response.content.decode()
    assert not Authenticator.objects.filter(user=officer).exists()
    assert client.get(OFFICER_HOME)["Location"].startswith(ENROL)


# --- Staff with an authenticator ------------------------------------------------------------------------------------


def test_staff_with_an_authenticator_but_no_second_factor_yet_are_sent_to_the_code_page(client, officer):
    totp_enrol(officer)
    client.force_login(officer)

    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == f"{VERIFY}?next={page.replace('/', '%2F')}", page


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_page_with_a_new_session_key(client, officer):
    secret = totp_secret(totp_enrol(officer))
    client.force_login(officer)

    refused = client.post(f"{VERIFY}?next={OFFICER_HOME}", {"code": totp_wrong(secret)})

    assert refused.status_code == 400
    assert "Mã không đúng hoặc đã hết hạn." in refused.content.decode()
    assert client.get(OFFICER_HOME).status_code == 302
    key_before = client.session.session_key

    accepted = client.post(f"{VERIFY}?next={OFFICER_HOME}", {"code": totp_now(secret)})

    assert accepted.status_code == 302 and accepted["Location"] == OFFICER_HOME
    assert client.session.session_key != key_before
    assert [record["type"] for record in second_factor_records(client, officer)] == ["totp"]
    assert UserSession.objects.filter(user=officer, session_key=client.session.session_key).exists()
    assert client.get(OFFICER_HOME).status_code == 200


def test_the_code_page_refuses_a_next_address_on_another_site(client, officer):
    secret = totp_secret(totp_enrol(officer))
    client.force_login(officer)

    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": totp_now(secret)})

    assert response.status_code == 302 and response["Location"] == "/ho-so/cua-toi/"


def test_a_code_cannot_be_used_twice(officer):
    secret = totp_secret(totp_enrol(officer))
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(officer)
    code = totp_now(secret)

    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 400


def test_recovery_codes_open_the_pages_once_each(officer):
    totp_enrol(officer)
    code, *_ = RecoveryCodes.activate(officer).get_unused_codes()
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(officer)

    assert first.post(f"{VERIFY}?next={OFFICER_HOME}", {"code": code})["Location"] == OFFICER_HOME
    assert first.get(OFFICER_HOME).status_code == 200
    assert [record["type"] for record in second_factor_records(first, officer)] == ["recovery_codes"]
    assert second.post(VERIFY, {"code": code}).status_code == 400
    codes = Authenticator.objects.get(user=officer, type=Authenticator.Type.RECOVERY_CODES)
    assert code not in RecoveryCodes(codes).get_unused_codes()


def test_wrong_codes_are_limited_per_user(client, officer):
    failed_attempts_forget(f"mfa-auth-user-{officer.pk}")  # what an earlier test with this id may have left
    secret = totp_secret(totp_enrol(officer))
    client.force_login(officer)
    for _ in range(5):
        assert client.post(VERIFY, {"code": "12345"}).status_code == 400

    response = client.post(VERIFY, {"code": totp_now(secret)})

    assert response.status_code == 429
    assert "Bạn đã nhập sai quá nhiều lần" in response.content.decode()
    assert client.get(OFFICER_HOME).status_code == 302


def test_signing_in_with_a_password_asks_for_the_code_before_signing_in(client, officer):
    secret = totp_secret(totp_enrol(officer))

    response = password_sign_in(client, officer, next=OFFICER_HOME)

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-thuc-hai-lop/nhap-ma/"
    assert "_auth_user_id" not in client.session
    response = client.post(response["Location"], {"code": totp_now(secret)})
    assert response.status_code == 302 and response["Location"] == OFFICER_HOME
    assert client.get(OFFICER_HOME).status_code == 200  # allauth's own record: no second code page


def test_staff_cannot_turn_their_authenticator_off(client, officer):
    staff_login(client, officer)

    response = client.post("/tai-khoan/xac-thuc-hai-lop/ung-dung/tat/")

    assert response.status_code == 400
    assert "Cán bộ bắt buộc dùng ứng dụng xác thực" in response.content.decode()
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()


def test_an_htmx_request_is_told_to_load_the_code_page(client, officer):
    totp_enrol(officer)
    client.force_login(officer)

    response = client.get(OFFICER_HOME, headers={"HX-Request": "true"})

    assert response.status_code == 200 and response["HX-Redirect"].startswith(VERIFY)


def test_a_password_alone_does_not_show_the_recovery_codes_that_would_pass_the_code_page(client, officer):
    """Signed in without the code (single sign-on, the admin's login) and the password typed again: the recovery
    codes stay closed, since any one of them passes the code page."""
    totp_enrol(officer)
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    client.force_login(officer)
    assert client.post("/tai-khoan/xac-nhan-mat-khau/", {"password": PASSWORD}).status_code == 302

    for page in (RECOVERY_CODES, f"{RECOVERY_CODES}tai-ve/"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), page
        assert not any(code in response.content.decode() for code in codes)
    assert second_factor_records(client, officer) == []


def test_the_officer_navigation_count_shows_only_after_the_second_factor(client, officer):
    secret = totp_secret(totp_enrol(officer))
    client.force_login(officer)

    code_page = client.get(VERIFY).content.decode()
    client.post(VERIFY, {"code": totp_now(secret)})
    home = client.get("/").content.decode()

    assert 'href="/ho-so/can-bo/"' not in code_page
    assert 'href="/ho-so/can-bo/"' in home


def test_the_helper_signs_staff_in_with_the_second_factor_passed(client, officer):
    staff_login(client, officer)

    assert client.get(OFFICER_HOME).status_code == 200


# --- Single sign-on -------------------------------------------------------------------------------------------------


def test_staff_signed_in_through_single_sign_on_enter_the_code_too(client, sso, officer):
    link_the_providers_citizen_account(officer, sso)
    secret = totp_secret(totp_enrol(officer))

    sso_login(client, sso, "citizen")

    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.get(OFFICER_HOME)["Location"] == f"{VERIFY}?next=%2Fho-so%2Fcan-bo%2F"
    key_before = client.session.session_key
    response = client.post(f"{VERIFY}?next={OFFICER_HOME}", {"code": totp_now(secret)})
    assert response["Location"] == OFFICER_HOME
    assert client.session.session_key != key_before
    assert client.get(OFFICER_HOME).status_code == 200


def test_staff_signed_in_through_single_sign_on_without_an_app_are_sent_to_enrolment(client, sso, officer):
    link_the_providers_citizen_account(officer, sso)

    sso_login(client, sso, "citizen")

    assert client.get(OFFICER_HOME)["Location"].startswith(ENROL)


# --- Citizens -------------------------------------------------------------------------------------------------------


def test_a_citizen_is_never_asked(client, citizen):
    client.force_login(citizen)

    assert client.get("/ho-so/cua-toi/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_citizen_who_turned_the_second_factor_on_is_not_stopped_after_single_sign_on(client, citizen):
    totp_enrol(citizen)
    client.force_login(citizen)  # a sign-in that skipped allauth's code page

    assert client.get("/ho-so/cua-toi/").status_code == 200


def test_a_citizen_signing_in_with_a_password_after_turning_it_on_enters_the_code(client, citizen):
    totp_enrol(citizen)

    response = password_sign_in(client, citizen)

    assert response["Location"] == "/tai-khoan/xac-thuc-hai-lop/nhap-ma/"
