"""A signed-in local user links their national identity: afterwards either way of signing in reaches them."""

import pytest
from django.urls import reverse

from portal.accounts.models import ExternalIdentity
from tests.accounts.mfa import staff_login
from tests.sso.flows import assert_friendly_failure, callback, signed_in, sso_login, sso_start

pytestmark = pytest.mark.django_db

LINK = "/tai-khoan/dinh-danh/lien-ket/"


def _link(client, op, login: str):
    flow = sso_start(client, path=LINK, method="post")
    return callback(client, op.user_agent().sign_in(flow.authorization_url, login))


def test_a_signed_in_user_links_the_national_identity(client, sso, make_user):
    local = make_user("lan_local", email="lan.local@example.vn", full_name="Lan")
    client.force_login(local)

    response = _link(client, sso, "citizen")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:identities")
    assert signed_in(client) == local
    identity = ExternalIdentity.objects.get(issuer=sso.issuer, subject="citizen")
    assert identity.user == local
    local.refresh_from_db()
    assert local.full_name == "Nguyễn Thị Lan"  # from the national population data
    assert local.personal_id == "001090012345"
    assert local.email == "lan.local@example.vn"  # the user's own contact address stays
    page = client.get(reverse("accounts:identities")).content.decode()
    assert "Đã liên kết tài khoản định danh quốc gia" in page
    assert sso.issuer in page


def test_after_linking_signing_in_through_the_provider_reaches_the_local_account(client, sso, make_user):
    local = make_user("lan_local")
    client.force_login(local)
    _link(client, sso, "citizen")
    client.logout()

    sso_login(client, sso, "citizen")

    assert signed_in(client) == local


def test_an_identity_that_belongs_to_someone_else_is_not_linked(client, sso, make_user):
    sso_login(client.__class__(), sso, "citizen")
    owner = ExternalIdentity.objects.get(issuer=sso.issuer, subject="citizen").user
    local = make_user("lan_local")
    client.force_login(local)

    response = _link(client, sso, "citizen")

    assert_friendly_failure(response, 409, "taken")
    assert f'href="{reverse("accounts:identities")}"' in response.content.decode()
    assert signed_in(client) == local  # still the local user, not the identity's owner
    assert ExternalIdentity.objects.get(issuer=sso.issuer, subject="citizen").user == owner
    assert not local.external_identities.exists()


def test_a_user_with_an_identity_cannot_link_a_second_one_of_the_same_provider(client, sso, make_user):
    local = make_user("lan_local")
    client.force_login(local)
    _link(client, sso, "citizen")

    response = _link(client, sso, "standard")

    assert_friendly_failure(response, 409, "linked")
    assert list(local.external_identities.values_list("subject", flat=True)) == ["citizen"]


def test_linking_needs_a_signed_in_user_and_a_post(client, sso, make_user):
    response = client.post(LINK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_user("lan_local"))
    assert client.get(LINK).status_code == 405


def test_a_link_finished_after_signing_out_links_nobody(client, sso, make_user):
    local = make_user("lan_local")
    client.force_login(local)
    flow = sso_start(client, path=LINK, method="post")
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    session = client.session
    session.pop("_auth_user_id")
    session.save()

    response = callback(client, answer)

    assert_friendly_failure(response, 400, "stale")
    assert signed_in(client) is None
    assert not ExternalIdentity.objects.exists()


def test_the_admin_shows_a_users_linked_identities(client, sso, make_user):
    sso_login(client, sso, "citizen")
    user = signed_in(client)
    admin = make_user("root", is_superuser=True, is_staff=True)
    staff_login(client, admin)

    page = client.get(reverse("admin:accounts_user_change", args=[user.pk])).content.decode()

    assert "TECH-0001-8a2f" in page
    assert "001090012345" in page  # the personal id, for support staff (superusers only)
