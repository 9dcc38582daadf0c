"""Signing in through the national portal's provider: who gets signed in, with what, and where they land."""

import datetime
import logging

import pytest
from django.urls import reverse

from portal.accounts.models import ExternalIdentity, User
from tests.sso.flows import signed_in, sso_login, sso_start
from tests.sso.op import ACCOUNTS

pytestmark = pytest.mark.django_db


def test_first_sign_in_creates_a_citizen_account_from_the_national_claims(client, sso):
    response = sso_login(client, sso, "citizen")

    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:my_dossiers")
    identity = ExternalIdentity.objects.select_related("user").get(issuer=sso.issuer, subject="citizen")
    user = identity.user
    assert signed_in(client) == user
    assert user.username.startswith("vneid-")
    assert not user.has_usable_password()
    assert user.role == User.Role.CITIZEN
    assert user.full_name == "Nguyễn Thị Lan"
    assert user.personal_id == "001090012345"
    assert user.birth_date == datetime.date(1990, 8, 15)
    assert user.email == "lan.nguyen@example.vn"
    assert user.phone == "0912345678"
    assert identity.tech_id == "TECH-0001-8a2f"
    assert identity.is_organisation is False
    assert identity.last_login_at is not None
    assert identity.claims["HoVaTen"] == "Nguyễn Thị Lan"
    assert "SoDinhDanh" not in identity.claims


def test_second_sign_in_finds_the_same_account(client, sso):
    sso_login(client, sso, "citizen")
    first = signed_in(client)
    client.logout()
    users_before = User.objects.count()

    response = sso_login(client, sso, "citizen")

    assert response.status_code == 302
    assert signed_in(client) == first
    assert User.objects.count() == users_before
    assert ExternalIdentity.objects.filter(issuer=sso.issuer).count() == 1


def test_standard_oidc_claims_fill_the_profile_and_the_subject_is_the_key(client, sso):
    sso_login(client, sso, "standard")

    user = signed_in(client)
    identity = user.external_identities.get()
    assert (identity.subject, identity.tech_id) == ("standard", "")
    assert user.full_name == "Trần Văn Bình"
    assert user.email == "binh.tran@example.vn"
    assert user.phone == "+84913000111"
    assert user.birth_date == datetime.date(1985, 2, 3)
    assert user.personal_id == ""


def test_an_organisation_account_is_marked_as_such(client, sso):
    sso_login(client, sso, "organisation")

    identity = signed_in(client).external_identities.get()
    assert identity.is_organisation is True
    assert identity.claims["MaSoThue"] == "1600123456"


def test_a_local_account_with_the_same_email_is_not_taken_over(client, sso, make_user):
    local = make_user("mai_local", email="mai.le@example.vn", full_name="Mai (tài khoản của Cổng)")

    response = sso_login(client, sso, "mai")

    assert response.status_code == 302
    user = signed_in(client)
    assert user != local
    assert user.email == local.email == "mai.le@example.vn"
    local.refresh_from_db()
    assert local.full_name == "Mai (tài khoản của Cổng)"
    assert not local.external_identities.exists()
    assert local.check_password("Mat-khau-du-dai-123")


def test_forged_claims_are_cut_or_dropped_and_the_sign_in_goes_on(client, sso, caplog):
    caplog.set_level(logging.DEBUG)

    response = sso_login(client, sso, "forged")

    assert response.status_code == 302
    user = signed_in(client)
    assert len(user.full_name) == 150
    assert user.full_name.startswith("Nguyễn AAA")
    assert user.personal_id == ""  # "12345" is not 12 digits
    assert user.phone == ""
    assert user.email == ""  # none was sent, which is fine
    assert user.birth_date is None  # 31/02/2990 is no date
    assert "SoDinhDanh" in caplog.text
    assert ACCOUNTS["forged"]["SoDinhDanh"] not in caplog.text


def test_the_personal_id_number_never_reaches_the_logs(client, sso, caplog):
    caplog.set_level(logging.DEBUG)

    sso_login(client, sso, "citizen")

    assert signed_in(client).personal_id == ACCOUNTS["citizen"]["SoDinhDanh"]
    assert ACCOUNTS["citizen"]["SoDinhDanh"] not in caplog.text
    assert "event=sso_sign_in" in caplog.text


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "http://testserver.evil.example/"]
)
def test_next_pointing_to_another_site_is_ignored(client, sso, target):
    response = sso_login(client, sso, "citizen", next=target)

    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:my_dossiers")
    assert signed_in(client) is not None


def test_next_on_this_site_is_where_the_user_lands(client, sso):
    response = sso_login(client, sso, "citizen", next="/so-do-trang/")

    assert response["Location"] == "/so-do-trang/"


def test_the_authorization_request_asks_for_openid_at_loa1_with_pkce_nonce_and_state(client, sso):
    flow = sso_start(client)

    assert flow.authorization_url.startswith(sso.metadata["authorization_endpoint"] + "?")
    assert flow.params["scope"] == "openid"
    assert flow.params["acr_values"] == "LoA1"
    assert flow.params["response_type"] == "code"
    assert flow.params["client_id"] == "portal"
    assert flow.params["redirect_uri"] == "http://testserver/oidc/callback/"
    assert flow.params["code_challenge_method"] == "S256"
    assert len(flow.params["code_challenge"]) >= 43
    assert len(flow.state) >= 32 and len(flow.nonce) >= 32


def test_a_locked_account_is_not_signed_in(client, sso):
    sso_login(client, sso, "citizen")
    user = signed_in(client)
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = sso_login(client, sso, "citizen")

    assert response.status_code == 403
    assert 'data-sso-failure="inactive"' in response.content.decode()
    assert signed_in(client) is None
