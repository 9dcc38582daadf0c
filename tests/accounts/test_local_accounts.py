"""Local accounts (django-allauth): a sign-up signs in only once its e-mail address is confirmed, sign-in by username
or e-mail address, password rules in Vietnamese, reset by e-mail and change, a limit on wrong passwords, and no way
into another account, an SSO one above all, through its e-mail address."""

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from portal.accounts.models import ExternalIdentity, User
from tests.accounts.mfa import failed_attempts_forget

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-du-dai-123"  # tests/conftest.py make_user
NEW_PASSWORD = "Cau-mat-khau-moi-2026"
SIGNUP = "/tai-khoan/dang-ky/"
LOGIN = "/tai-khoan/dang-nhap/"
RESET = "/tai-khoan/mat-khau/quen/"


def sign_up(client, **fields):
    data = {
        "full_name": "Nguyễn  Thị   Hoa",
        "username": "hoa",
        "email": "hoa@example.vn",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }
    return client.post(SIGNUP, data)


def sign_in(client, login: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def link_in(message, path_prefix: str) -> str:
    match = re.search(rf"https?://testserver({re.escape(path_prefix)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


# --- Sign-up --------------------------------------------------------------------------------------------------------


def test_the_sign_up_page_is_vietnamese_and_asks_for_the_full_name(client):
    page = client.get(SIGNUP).content.decode()

    for label in ["Họ và tên", "Tên đăng nhập", "Thư điện tử", "Mật khẩu", "Nhập lại mật khẩu"]:
        assert f">{label}" in page, label


def test_a_sign_up_is_confirmed_by_email_before_the_account_can_sign_in(client):
    response = sign_up(client)

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-nhan-email/"
    user = User.objects.get(username="hoa")
    assert (user.full_name, user.email, user.role) == ("Nguyễn Thị Hoa", "hoa@example.vn", User.Role.CITIZEN)
    assert signed_in_user(client) is None
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("hoa@example.vn", True, False)
    [message] = mail.outbox
    assert message.to == ["hoa@example.vn"]
    assert "Xác nhận địa chỉ thư điện tử" in message.subject
    confirm = link_in(message, "/tai-khoan/xac-nhan-email/")

    refused = sign_in(client, "hoa")
    assert refused.status_code == 302 and refused["Location"] == "/tai-khoan/xac-nhan-email/"
    assert signed_in_user(client) is None

    assert "Xác nhận" in client.get(confirm).content.decode()
    assert client.post(confirm).status_code == 302
    address.refresh_from_db()
    assert address.verified

    response = sign_in(client, "hoa")
    assert response.status_code == 302 and response["Location"] == "/ho-so/cua-toi/"
    assert signed_in_user(client) == user


def test_a_sign_in_may_use_the_email_address(client, make_user):
    user = make_user("binh", email="binh@example.vn")

    response = sign_in(client, "binh@example.vn")

    assert response.status_code == 302
    assert signed_in_user(client) == user


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ngan-1", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("qwertyuiop", "Mật khẩu này quá phổ biến."),
    ],
)
def test_a_short_or_common_password_is_refused_in_vietnamese(client, password, message):
    response = sign_up(client, password1=password, password2=password)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="hoa").exists()
    assert not mail.outbox


def test_two_different_passwords_are_refused_in_vietnamese(client):
    response = sign_up(client, password2=PASSWORD + "x")

    assert response.status_code == 400
    assert "Hai lần nhập mật khẩu không khớp nhau." in response.content.decode()


def test_usernames_of_single_sign_on_accounts_are_kept_for_them(client):
    response = sign_up(client, username="vneid-0123456789ab")

    assert response.status_code == 400
    assert "dành cho tài khoản đăng nhập một lần" in response.content.decode()


def test_sign_up_can_be_closed(client, settings):
    settings.PORTAL_SIGNUP_OPEN = False

    assert "Chưa mở đăng ký tài khoản" in client.get(SIGNUP).content.decode()
    sign_up(client)
    assert not User.objects.filter(username="hoa").exists()
    assert "Đăng ký tài khoản" not in client.get(LOGIN).content.decode()


def test_the_sign_up_page_has_an_english_version(client):
    page = client.get("/en" + SIGNUP).content.decode()

    assert "Create an account" in page and "Full name" in page and "Username" in page


# --- An e-mail address is no key to someone else's account ----------------------------------------------------------


@pytest.fixture
def sso_user(db) -> User:
    """An account the national single sign-on made: no password, the provider's e-mail address."""
    user = User(username="vneid-3f2a1b4c5d6e", email="lan.nguyen@example.vn", full_name="Nguyễn Thị Lan")
    user.set_unusable_password()
    user.save()
    ExternalIdentity.objects.create(user=user, issuer="https://sso.example.vn", subject="lan")
    return user


def test_a_sign_up_with_an_sso_users_email_makes_no_account_and_opens_nothing(client, sso_user):
    response = sign_up(client, username="ke_mao_danh", email="Lan.Nguyen@example.vn")

    # The same answer as any sign-up, so the page does not tell whether the address is known here.
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/xac-nhan-email/"
    assert not User.objects.filter(username="ke_mao_danh").exists()
    assert User.objects.filter(email__iexact="lan.nguyen@example.vn").count() == 1
    [message] = mail.outbox
    assert message.to == ["lan.nguyen@example.vn"]
    assert "đã có tài khoản" in message.subject
    assert "/tai-khoan/xac-nhan-email/" not in message.body
    sso_user.refresh_from_db()
    assert not sso_user.has_usable_password()
    assert not EmailAddress.objects.exists()

    refused = sign_in(client, "lan.nguyen@example.vn")
    assert refused.status_code == 400
    assert signed_in_user(client) is None


def test_a_password_reset_never_opens_an_sso_account(client, sso_user):
    response = client.post(RESET, {"email": "lan.nguyen@example.vn"})

    assert response.status_code == 302
    [message] = mail.outbox
    assert "/tai-khoan/mat-khau/dat-lai/" not in message.body
    assert "VNeID" in message.body
    sso_user.refresh_from_db()
    assert not sso_user.has_usable_password()


# --- Passwords ------------------------------------------------------------------------------------------------------


def test_a_password_is_reset_through_the_link_in_the_email(client, make_user):
    user = make_user("chau", email="chau@example.vn")

    response = client.post(RESET, {"email": "chau@example.vn"})

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/mat-khau/quen/da-gui/"
    [message] = mail.outbox
    assert message.to == ["chau@example.vn"] and "Đặt lại mật khẩu" in message.subject
    assert "Tên đăng nhập của bạn: chau" in message.body
    link = link_in(message, "/tai-khoan/mat-khau/dat-lai/")
    form_page = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link

    weak = client.post(form_url, {"password1": "12345", "password2": "12345"})
    assert weak.status_code == 400 and "Mật khẩu quá ngắn" in weak.content.decode()
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == "/tai-khoan/mat-khau/dat-lai/xong/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 200 and "không còn hiệu lực" in client.get(link).content.decode()
    assert sign_in(client, "chau", NEW_PASSWORD).status_code == 302
    assert signed_in_user(client) == user
    # An account an administrator made has no e-mail record of its own to confirm: it signs in as before.
    assert not EmailAddress.objects.filter(user=user, primary=True).exists()


def test_a_reset_for_an_unknown_address_looks_the_same_and_mails_no_link(client):
    response = client.post(RESET, {"email": "khong-ai@example.vn"})

    assert response.status_code == 302 and response["Location"] == "/tai-khoan/mat-khau/quen/da-gui/"
    [message] = mail.outbox
    assert "/tai-khoan/mat-khau/dat-lai/" not in message.body


def test_a_signed_in_user_changes_their_password(client, make_user):
    user = make_user("dung", email="dung@example.vn")
    sign_in(client, "dung")
    change = reverse("account_change_password")

    new = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}

    wrong = client.post(change, {"oldpassword": "sai-mat-khau", **new})
    assert wrong.status_code == 400 and "Vui lòng nhập đúng mật khẩu hiện tại." in wrong.content.decode()
    response = client.post(change, {"oldpassword": PASSWORD, **new})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_user(client) == user  # still signed in on this device


# --- Limits ---------------------------------------------------------------------------------------------------------


def test_after_five_wrong_passwords_the_name_is_locked_for_a_while_even_with_the_right_one(client, make_user):
    # The count is per name: a fresh name keeps earlier runs' counts (kept in Redis on PostgreSQL) out of it.
    username = f"nam_{uuid.uuid4().hex[:8]}"
    make_user(username)
    for _ in range(5):
        response = sign_in(client, username, "sai-mat-khau-123")
        assert response.status_code == 400
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()

    response = sign_in(client, username)

    assert response.status_code == 429
    assert "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau vài phút." in response.content.decode()
    assert signed_in_user(client) is None
    failed_attempts_forget(f"testserver:{username}")


def test_wrong_passwords_count_per_account_whether_the_name_or_the_address_was_typed(client, make_user):
    username = f"nam_{uuid.uuid4().hex[:8]}"
    make_user(username, email=f"{username}@example.vn")
    neighbour = make_user(f"lan_{uuid.uuid4().hex[:8]}", email=f"lan_{uuid.uuid4().hex[:8]}@example.vn")
    for login in [
        username,
        username.upper(),
        username,
        f"{username}@example.vn",
        f"{username.upper()}@EXAMPLE.VN",
    ]:
        response = sign_in(client, login, "sai-mat-khau-123")
        assert response.status_code == 400, login
        assert "hoặc mật khẩu không đúng." in response.content.decode()

    for login in [username, f"{username}@example.vn"]:
        response = sign_in(client, login)
        assert response.status_code == 429, login
        assert "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau vài phút." in response.content.decode()
    assert signed_in_user(client) is None

    assert sign_in(client, neighbour.email).status_code == 302
    assert signed_in_user(client) == neighbour


def test_wrong_passwords_for_a_name_of_no_account_are_counted_without_case(client):
    name = f"khong_co_{uuid.uuid4().hex[:8]}"
    for login in [name, name.upper(), name, f" {name.title()}", name]:
        assert sign_in(client, login, "sai-mat-khau-123").status_code == 400

    assert sign_in(client, name, "sai-mat-khau-123").status_code == 429
    failed_attempts_forget(f"testserver:{name}")
