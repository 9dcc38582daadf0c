"""Single sign-on tests: the portal (Django's test client, in this process) against a real OpenID provider
(oidc-provider under node, tests/sso/op) on loopback. The portal's calls to the provider (token, keys, user info)
are real HTTP from this process; the browser's part at the provider is played by ``ProviderUserAgent``.

The provider is started once for the package. The test client's host is ``testserver``, so the provider knows the
portal as ``http://testserver/oidc/callback/``; nothing needs to listen there, the test carries the answer over.
"""

import pytest

from tests.sso.fakes import CannedEndpoint
from tests.sso.op import Client, TestProvider, skip_or_fail_unavailable

PORTAL = Client(
    client_id="portal",
    client_secret="portal-client-secret-for-tests-only",
    redirect_uris=["http://testserver/oidc/callback/"],
    post_logout_redirect_uris=["http://testserver/"],
)
# Another relying party of the same provider: its tokens must not open a session here.
OTHER = Client(
    client_id="other-portal",
    client_secret="other-client-secret-for-tests-only",
    redirect_uris=["http://other.example/oidc/callback/"],
)


@pytest.fixture(scope="package")
def op(tmp_path_factory):
    """The OpenID provider, running for the whole package."""
    skip_or_fail_unavailable()
    provider = TestProvider(workdir=tmp_path_factory.mktemp("op"), clients=[PORTAL, OTHER]).start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, op):
    """The portal configured for the provider, as a deployment's environment would configure it."""
    for name, value in op.settings().items():
        setattr(settings, name, value)
    return op


@pytest.fixture
def canned(settings, sso):
    """The portal's token and user info endpoints replaced by a canned one (keys still from the real provider)."""
    endpoint = CannedEndpoint().start()
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{endpoint.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{endpoint.url}/me"
    yield endpoint
    endpoint.stop()
