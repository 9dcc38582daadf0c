"""Signing out ends the portal's session and, after a single sign-on, the provider's session (RP-initiated)."""

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.urls import reverse

from tests.sso.flows import callback, signed_in, sso_start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/tai-khoan/dang-xuat/", "/oidc/logout/"])
def test_signing_out_ends_the_providers_session_too(client, sso, path):
    agent = sso.user_agent()
    flow = sso_start(client)
    callback(client, agent.sign_in(flow.authorization_url, "citizen"))
    assert signed_in(client) is not None

    response = client.post(path)

    assert signed_in(client) is None
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(sso.metadata["end_session_endpoint"] + "?")
    query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert jwt.decode(query["id_token_hint"], options={"verify_signature": False})["aud"] == "portal"
    # The provider accepts the request, ends its session and sends the browser back to the portal.
    assert agent.end_session(location) == "http://testserver/"
    again = sso_start(client)
    assert "/interaction/" in agent.http.get(again.authorization_url, timeout=5).url  # asked to sign in again


def test_without_a_provider_logout_endpoint_only_the_portal_session_ends(client, sso, settings):
    settings.OIDC_OP_LOGOUT_ENDPOINT = ""
    flow = sso_start(client)
    callback(client, sso.user_agent().sign_in(flow.authorization_url, "citizen"))

    response = client.post("/tai-khoan/dang-xuat/")

    assert response["Location"] == reverse("home")
    assert signed_in(client) is None


def test_a_local_user_signs_out_without_visiting_the_provider(client, sso, make_user):
    client.force_login(make_user("lan_local"))

    response = client.post("/tai-khoan/dang-xuat/")

    assert response["Location"] == reverse("home")
    assert signed_in(client) is None
