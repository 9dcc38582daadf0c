"""Every way a callback can go wrong ends on the friendly page with a 4xx (or 502/504 for the provider's own
failures), a "Thử lại" link, no 500 and nobody signed in."""

import time

import pytest

from portal.accounts.models import ExternalIdentity
from tests.sso.fakes import closed_port, silent_port
from tests.sso.flows import assert_friendly_failure, callback, signed_in, sso_start

pytestmark = pytest.mark.django_db


def _nobody_created(op) -> bool:
    return not ExternalIdentity.objects.filter(issuer=op.issuer).exists()


def test_a_tampered_state_is_refused(client, sso):
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")

    response = callback(client, answer, state=flow.state[:-1] + ("x" if flow.state[-1] != "x" else "y"))

    assert_friendly_failure(response, 400, "stale")
    assert signed_in(client) is None
    assert _nobody_created(sso)


def test_a_callback_without_state_is_refused(client, sso):
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")

    response = callback(client, answer, state=None)

    assert_friendly_failure(response, 400, "stale")
    assert signed_in(client) is None


def test_a_callback_in_another_browser_is_refused(client, sso):
    """A stolen or forwarded callback address: the other browser never started a sign-in."""
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    other_browser = client.__class__()

    response = callback(other_browser, answer)

    assert_friendly_failure(response, 400, "stale")
    assert signed_in(other_browser) is None
    assert _nobody_created(sso)


def test_a_replayed_callback_gets_the_friendly_page(client, sso):
    """The back button after signing in: the answer was used once and is not accepted again."""
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    assert callback(client, answer).status_code == 302
    user = signed_in(client)

    response = callback(client, answer)

    assert_friendly_failure(response, 400, "stale")
    assert signed_in(client) == user  # the replay neither signs anyone else in nor breaks the session
    assert ExternalIdentity.objects.filter(issuer=sso.issuer).count() == 1


def test_a_second_tab_completes_without_a_second_account(client, sso):
    first_tab, second_tab = sso_start(client), sso_start(client)
    agent = sso.user_agent()
    first_answer = agent.sign_in(first_tab.authorization_url, "citizen")
    second_answer = agent.authorize(second_tab.authorization_url)  # already signed in at the provider

    assert callback(client, first_answer).status_code == 302
    user = signed_in(client)
    assert callback(client, second_answer).status_code == 302

    assert signed_in(client) == user
    assert ExternalIdentity.objects.filter(issuer=sso.issuer).count() == 1
    assert_friendly_failure(callback(client, first_answer), 400, "stale")


def test_cancelling_at_the_provider_is_refused_and_cannot_be_replayed(client, sso):
    flow = sso_start(client)
    answer = sso.user_agent().cancel(flow.authorization_url)
    assert "error=access_denied" in answer

    response = callback(client, answer)

    assert_friendly_failure(response, 403, "refused")
    assert signed_in(client) is None
    assert_friendly_failure(callback(client, answer), 400, "stale")


def test_an_empty_callback_is_refused(client, sso):
    assert_friendly_failure(client.get("/oidc/callback/"), 400, "stale")
    assert_friendly_failure(client.get("/oidc/callback/?error=access_denied&state=forged"), 400, "stale")


def test_a_code_carried_into_another_flow_of_the_same_browser_is_refused(client, sso):
    """PKCE: the code was issued against the other flow's challenge, so the provider refuses to redeem it."""
    flow_a, flow_b = sso_start(client), sso_start(client)
    answer_b = sso.user_agent().sign_in(flow_b.authorization_url, "citizen")

    response = callback(client, answer_b, state=flow_a.state)

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None
    assert _nobody_created(sso)


def test_a_wrong_nonce_is_refused(client, sso, settings):
    """With PKCE off, the nonce alone catches a code from another flow: the token carries the other nonce."""
    settings.OIDC_USE_PKCE = False
    flow_a, flow_b = sso_start(client), sso_start(client)
    assert "code_challenge" not in flow_a.params
    answer_b = sso.user_agent().sign_in(flow_b.authorization_url, "citizen")

    response = callback(client, answer_b, state=flow_a.state)

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None
    assert _nobody_created(sso)


def test_a_provider_that_is_down_gets_the_friendly_page(client, sso, settings):
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{closed_port()}/token"

    response = callback(client, answer)

    assert_friendly_failure(response, 502, "unavailable")
    assert signed_in(client) is None


def test_a_provider_whose_keys_cannot_be_fetched_gets_the_friendly_page(client, sso, settings):
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    settings.OIDC_OP_JWKS_ENDPOINT = f"{closed_port()}/jwks"

    response = callback(client, answer)

    assert_friendly_failure(response, 502, "unavailable")
    assert signed_in(client) is None
    assert _nobody_created(sso)


def test_a_slow_provider_gets_the_friendly_page_within_the_timeout(client, sso, settings):
    flow = sso_start(client)
    answer = sso.user_agent().sign_in(flow.authorization_url, "citizen")
    settings.OIDC_TIMEOUT = 1
    with silent_port() as hanging:
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{hanging}/token"
        started = time.monotonic()
        response = callback(client, answer)
        elapsed = time.monotonic() - started

    assert_friendly_failure(response, 504, "timeout")
    assert elapsed < 3
    assert signed_in(client) is None


def test_a_provider_error_on_the_token_endpoint_gets_the_friendly_page(client, canned):
    canned.status, canned.body = 500, b"<html>Internal Server Error</html>"
    flow = sso_start(client)

    response = callback(client, f"http://testserver/oidc/callback/?code=x&state={flow.state}")

    assert_friendly_failure(response, 502, "unavailable")
    assert canned.requests == ["POST /token"]


def test_a_token_endpoint_that_answers_html_gets_the_friendly_page(client, canned):
    canned.body = b"<html>Maintenance</html>"
    flow = sso_start(client)

    response = callback(client, f"http://testserver/oidc/callback/?code=x&state={flow.state}")

    assert_friendly_failure(response, 502, "unavailable")


def test_the_friendly_page_offers_to_try_again(client, sso):
    response = client.get("/oidc/callback/?code=x&state=y")

    page = response.content.decode()
    assert 'href="/oidc/authenticate/"' in page
    assert "Phiên đăng nhập không còn hiệu lực" in page


def test_a_failed_sign_in_leaves_an_existing_session_alone(client, sso, make_user):
    """Someone signed in locally who follows a stale link stays who they were."""
    user = make_user("lan_local")
    client.force_login(user)

    response = client.get("/oidc/callback/?code=x&state=y")

    assert response.status_code == 400
    assert signed_in(client) == user
