"""Single sign-on in a real Chromium: the browser fixtures of tests/browser (one headless Chromium, the portal
served by a package-scoped live server, ordinary ``django_db`` tests; see tests/browser/conftest.py for why), plus
a provider that knows this live server's callback address."""

import pytest

from tests.browser.conftest import (  # noqa: F401 (fixtures, used by name)
    axe_check,
    browser,
    browser_tools,
    new_context,
    page,
    playwright_runtime,
    portal_server,
    server_url,
)
from tests.sso.op import Client, TestProvider, skip_or_fail_unavailable


@pytest.fixture(scope="package")
def browser_op(tmp_path_factory, portal_server, django_db_blocker):  # noqa: F811 (the imported fixture)
    """The OpenID provider, with the live portal as its client. On PostgreSQL the live server's writes are
    committed by its own connections, so the accounts it created are removed when the package is done."""
    skip_or_fail_unavailable()
    client = Client(
        client_id="portal",
        client_secret="portal-client-secret-for-tests-only",
        redirect_uris=[f"{portal_server.url}/oidc/callback/"],
        post_logout_redirect_uris=[f"{portal_server.url}/"],
    )
    provider = TestProvider(workdir=tmp_path_factory.mktemp("browser-op"), clients=[client]).start()
    yield provider
    provider.stop()
    from portal.accounts.models import ExternalIdentity, User

    with django_db_blocker.unblock():
        user_ids = list(
            ExternalIdentity.objects.filter(issuer=provider.issuer).values_list("user_id", flat=True)
        )
        User.objects.filter(pk__in=user_ids, username__startswith="vneid-").delete()


@pytest.fixture
def browser_sso(settings, browser_op):
    for name, value in browser_op.settings().items():
        setattr(settings, name, value)
    return browser_op
