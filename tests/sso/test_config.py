"""Single sign-on is configured from the environment and stays out of the way when it is not."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.sso.flows import assert_friendly_failure

pytestmark = pytest.mark.django_db

SSO_BUTTON = "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia / VNeID"


def test_without_configuration_there_is_no_button_and_no_sign_in_through_the_provider(client, make_user):
    assert SSO_BUTTON not in client.get(reverse("accounts:login")).content.decode()
    assert_friendly_failure(client.get("/oidc/authenticate/"), 404, "off")
    assert_friendly_failure(client.get("/oidc/callback/?code=x&state=y"), 404, "off")
    client.force_login(make_user("lan_local"))
    assert client.post("/tai-khoan/dinh-danh/lien-ket/").status_code == 404
    assert (
        "Liên kết tài khoản Cổng Dịch vụ công quốc gia"
        not in client.get("/tai-khoan/dinh-danh/").content.decode()
    )


def test_with_configuration_the_login_page_offers_the_button_keeping_next(sso, client):
    page = client.get(reverse("accounts:login"), {"next": "/ho-so/"}).content.decode()

    assert SSO_BUTTON in page
    assert 'href="/oidc/authenticate/?next=/ho-so/"' in page


def test_the_librarys_failure_address_shows_the_friendly_page(client):
    assert_friendly_failure(client.get("/tai-khoan/dang-nhap-that-bai/"), 400, "generic")


def test_the_sign_in_and_failure_pages_are_translated(client, sso):
    assert (
        "Sign in with a National Public Service Portal / VNeID account"
        in client.get("/en/tai-khoan/dang-nhap/").content.decode()
    )
    response = client.get("/en/tai-khoan/dang-nhap-that-bai/")
    assert response.status_code == 400
    assert "Try again" in response.content.decode()


def _settings_check(**env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=environ, timeout=120
    )


def test_a_client_id_without_the_endpoints_refuses_to_start():
    result = _settings_check(OIDC_RP_CLIENT_ID="portal", OIDC_OP_TOKEN_ENDPOINT="https://idp.example/token")

    assert result.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET" in result.stderr
    assert "OIDC_OP_AUTHORIZATION_ENDPOINT" in result.stderr
    assert "OIDC_OP_TOKEN_ENDPOINT" not in result.stderr.split("must be too:")[-1]


def test_settings_are_read_from_the_environment_under_the_librarys_names():
    code = (
        "from django.conf import settings as s; "
        "print(s.OIDC_RP_CLIENT_ID, s.OIDC_RP_SIGN_ALGO, s.OIDC_RP_SCOPES, s.OIDC_USE_PKCE, s.OIDC_TIMEOUT, "
        "s.OIDC_AUTH_REQUEST_EXTRA_PARAMS['acr_values'], s.OIDC_STORE_ID_TOKEN, s.AUTHENTICATION_BACKENDS[-1])"
    )
    endpoints = {
        name: f"https://idp.example/{name.lower()}"
        for name in (
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
            "OIDC_OP_LOGOUT_ENDPOINT",
        )
    }
    environ = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    environ.update(
        endpoints,
        OIDC_RP_CLIENT_ID="portal",
        OIDC_RP_CLIENT_SECRET="s",
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "portal",
        "RS256",
        "openid",
        "True",
        "10",
        "LoA1",
        "True",
        "portal.accounts.oidc.NationalSSOBackend",
    ]
