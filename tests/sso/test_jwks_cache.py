"""The provider's key set is kept for a few minutes instead of being fetched on every callback; a token whose key id
the kept set lacks (the provider rotated its keys) fetches it again, once.

The portal reads the keys of the real provider through a loopback relay that counts the fetches and can publish one
more key, as a provider does when it rotates in a new one.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
import requests
from django.test import Client
from jwt.algorithms import RSAAlgorithm

from tests.sso.flows import assert_friendly_failure, signed_in, sso_login, sso_start
from tests.sso.op import new_signing_key
from tests.sso.test_tokens import _claims, _present

pytestmark = pytest.mark.django_db

ROTATED_KID = "rotated-signing-key"


class KeySetRelay:
    """Serves the provider's key set (fetched from it on each request), plus ``extra_keys``; counts the fetches."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.extra_keys: list[dict] = []
        self.fetches = 0
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                relay.fetches += 1
                key_set = requests.get(relay.upstream, timeout=5).json()
                body = json.dumps({"keys": [*key_set["keys"], *relay.extra_keys]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/jwks"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def relay(settings, sso):
    relay = KeySetRelay(sso.metadata["jwks_uri"])
    settings.OIDC_OP_JWKS_ENDPOINT = relay.url  # a new address per test: nothing kept from another test
    yield relay
    relay.stop()


def _public_jwk(key, kid: str) -> dict:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=kid, alg="RS256", use="sig")
    return jwk


def test_two_sign_ins_fetch_the_providers_keys_once(sso, relay):
    first, second = Client(), Client()

    assert sso_login(first, sso, "citizen").status_code == 302
    assert sso_login(second, sso, "standard").status_code == 302

    assert signed_in(first) is not None and signed_in(second) is not None
    assert relay.fetches == 1


def _sign_in_with_the_providers_key(sso, canned) -> None:
    """A first sign-in (through the canned token endpoint, with a token signed by the provider's key): the keys are
    fetched and kept."""
    earlier = Client()
    flow = sso_start(earlier)
    assert _present(earlier, canned, flow, sso.sign(_claims(sso, flow))).status_code == 302


def test_a_key_rotated_in_since_the_keys_were_kept_is_fetched_once_and_signs_in(client, sso, relay, canned):
    _sign_in_with_the_providers_key(sso, canned)
    assert relay.fetches == 1
    rotated = new_signing_key()
    relay.extra_keys = [_public_jwk(rotated, ROTATED_KID)]
    flow = sso_start(client)
    token = jwt.encode(_claims(sso, flow), rotated, algorithm="RS256", headers={"kid": ROTATED_KID})

    response = _present(client, canned, flow, token)

    assert response.status_code == 302
    assert signed_in(client).full_name == "Nguyễn Thị Lan"
    assert relay.fetches == 2


def test_a_key_id_the_provider_does_not_publish_fetches_once_more_and_is_refused(client, sso, relay, canned):
    _sign_in_with_the_providers_key(sso, canned)
    assert relay.fetches == 1
    flow = sso_start(client)
    token = jwt.encode(
        _claims(sso, flow), new_signing_key(), algorithm="RS256", headers={"kid": "unknown-kid"}
    )

    response = _present(client, canned, flow, token)

    assert_friendly_failure(response, 403, "token")
    assert signed_in(client) is None
    assert relay.fetches == 2
