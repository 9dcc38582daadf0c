"""The portal's side of a sign-in, through Django's test client."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client as DjangoClient

from portal.accounts.models import User
from tests.sso.op import TestProvider


@dataclass(frozen=True)
class Flow:
    """A sign-in the portal has started: where it sent the browser, with its state and nonce."""

    authorization_url: str
    state: str
    nonce: str
    params: dict[str, str]


def sso_start(client: DjangoClient, path: str = "/oidc/authenticate/", method: str = "get", **query) -> Flow:
    response = getattr(client, method)(path, query) if method == "get" else client.post(path)
    assert response.status_code == 302, response
    url = response["Location"]
    params = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    return Flow(authorization_url=url, state=params["state"], nonce=params["nonce"], params=params)


def callback(client: DjangoClient, url: str, **replace):
    """Deliver the provider's answer (the address it redirected the browser to) to the portal."""
    parts = urlsplit(url)
    assert parts.path == "/oidc/callback/", url
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(replace)
    query = {key: value for key, value in query.items() if value is not None}
    return client.get(f"/oidc/callback/?{urlencode(query)}")


def sso_login(client: DjangoClient, op: TestProvider, login: str, **query):
    """The whole sign-in: start at the portal, sign in at the provider, come back."""
    flow = sso_start(client, **query)
    return callback(client, op.user_agent().sign_in(flow.authorization_url, login))


def signed_in(client: DjangoClient) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def assert_friendly_failure(response, status: int, reason: str) -> None:
    """The friendly page: the status code, the reason, a "Thử lại" link, never cached."""
    assert response.status_code == status, response.content.decode()[:2000]
    page = response.content.decode()
    assert f'data-sso-failure="{reason}"' in page
    assert "Thử lại" in page
    assert "no-store" in response.get("Cache-Control", "")
