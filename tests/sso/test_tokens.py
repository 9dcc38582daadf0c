"""The ID token is checked for signature, nonce, audience, issuer and times; a bad one opens no session.

Tokens come from the real provider where it can issue them: one issued to another relying party, and ones from a
provider whose clock is wrong. The other defects are signed here with the provider's own key and handed to the
portal by a canned token endpoint; the first test shows that a correct token through that same path signs in, so the
others fail for the defect alone.
"""

import time

import pytest

from portal.accounts.models import ExternalIdentity
from tests.sso.conftest import OTHER, PORTAL
from tests.sso.flows import assert_friendly_failure, callback, signed_in, sso_login, sso_start
from tests.sso.op import ACCOUNTS, TestProvider, new_signing_key, skip_or_fail_unavailable

pytestmark = pytest.mark.django_db


def _claims(op, flow, **changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": op.issuer,
        "sub": "citizen",
        "aud": "portal",
        "iat": now,
        "exp": now + 300,
        "nonce": flow.nonce,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _present(client, canned, flow, id_token: str, userinfo: dict | None = None):
    canned.token = {"access_token": "canned-access-token", "token_type": "Bearer", "id_token": id_token}
    canned.userinfo = {"sub": "citizen", **ACCOUNTS["citizen"]} if userinfo is None else userinfo
    return callback(client, f"http://testserver/oidc/callback/?code=canned&state={flow.state}")


def test_a_correct_token_through_the_canned_endpoint_signs_in(client, canned, sso):
    flow = sso_start(client)

    response = _present(client, canned, flow, sso.sign(_claims(sso, flow)))

    assert response.status_code == 302
    assert signed_in(client).full_name == "Nguyễn Thị Lan"


DEFECTS = {
    "another audience": {"aud": "other-portal"},
    "several audiences, authorised party another": {"aud": ["portal", "other-portal"], "azp": "other-portal"},
    "expired": {"iat": int(time.time()) - 3600, "exp": int(time.time()) - 600},
    "issued in the future": {"iat": int(time.time()) + 3600},
    "wrong nonce": {"nonce": "not-the-nonce-this-browser-sent"},
    "no nonce": {"nonce": None},
    "another issuer": {"iss": "https://idp.evil.example"},
    "no expiry": {"exp": None},
}


@pytest.mark.parametrize("defect", DEFECTS.values(), ids=DEFECTS.keys())
def test_a_defective_token_is_refused(client, canned, sso, defect):
    flow = sso_start(client)

    response = _present(client, canned, flow, sso.sign(_claims(sso, flow, **defect)))

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None
    assert not ExternalIdentity.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, canned, sso):
    flow = sso_start(client)

    response = _present(client, canned, flow, sso.sign(_claims(sso, flow), key=new_signing_key()))

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None


def test_an_unsigned_token_is_refused(client, canned, sso):
    import jwt

    flow = sso_start(client)
    unsigned = jwt.encode(_claims(sso, flow), None, algorithm="none")

    response = _present(client, canned, flow, unsigned)

    assert_friendly_failure(response, 403, "token")


def test_a_token_response_without_an_id_token_is_refused(client, canned, sso):
    flow = sso_start(client)
    canned.token = {"access_token": "canned-access-token", "token_type": "Bearer"}

    response = callback(client, f"http://testserver/oidc/callback/?code=canned&state={flow.state}")

    assert_friendly_failure(response, 403, "token")


def test_user_info_about_someone_else_is_refused(client, canned, sso):
    flow = sso_start(client)

    response = _present(client, canned, flow, sso.sign(_claims(sso, flow)), userinfo={"sub": "standard"})

    assert_friendly_failure(response, 403, "token")
    assert not ExternalIdentity.objects.exists()


def test_a_token_the_provider_issued_to_another_relying_party_is_refused(client, canned, sso):
    """Token substitution: a genuine token of the same provider, with this browser's nonce, but for another
    client (as a malicious relying party could replay one it received)."""
    flow = sso_start(client)
    other_flow = sso.authorization_url(
        client_id=OTHER.client_id, redirect_uri=OTHER.redirect_uris[0], nonce=flow.nonce
    )
    tokens = sso.exchange(sso.user_agent().sign_in(other_flow, "citizen"), client_id=OTHER.client_id)

    response = _present(client, canned, flow, tokens["id_token"])

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None


@pytest.fixture(scope="module", params=[-300, 300], ids=["clock-behind", "clock-ahead"])
def skewed_op(request, tmp_path_factory):
    """A real provider whose clock is five minutes off: behind, its one-minute ID tokens arrive expired; ahead,
    they are issued in the future. Both beyond the portal's OIDC_CLOCK_LEEWAY."""
    skip_or_fail_unavailable()
    provider = TestProvider(
        workdir=tmp_path_factory.mktemp("skewed-op"),
        clients=[PORTAL],
        clock_skew_seconds=request.param,
        id_token_ttl=60,
    ).start()
    yield provider
    provider.stop()


def test_a_token_from_a_provider_with_a_wrong_clock_is_refused(client, settings, skewed_op):
    for name, value in skewed_op.settings().items():
        setattr(settings, name, value)

    response = sso_login(client, skewed_op, "citizen")

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None
    assert not ExternalIdentity.objects.exists()
