"""The test OpenID provider: ``provider.mjs`` (the npm package oidc-provider, 8.x) started on loopback, and a user
agent that signs in on its login page by plain HTTP.

The RSA signing key is generated here and handed to the provider, so a test can also sign tokens of its own with
the provider's key (``TestProvider.sign``) to present a forged one through a canned token endpoint
(``tests/sso/fakes.py``). The success path always goes through the real provider.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = REPO_ROOT / "node_modules" / "oidc-provider" / "package.json"
START_TIMEOUT_S = 20
HTTP_TIMEOUT_S = 5
PASSWORD = "mat-khau-thu-nghiem"
KEY_ID = "test-signing-key"

# The accounts the provider's login form accepts, with the claims it releases for them.
ACCOUNTS: dict[str, dict] = {
    "citizen": {
        "TechID": "TECH-0001-8a2f",
        "SoDinhDanh": "001090012345",
        "HoVaTen": "Nguyễn Thị Lan",
        "NgayThangNamSinh": "15/08/1990",
        "ThuDienTu": "lan.nguyen@example.vn",
        "SoDienThoai": "0912 345 678",
        "LoaiTaiKhoan": "1",
        "loAs": ["LoA1", "LoA2"],
    },
    # Only the standard OpenID Connect claims, and no TechID: keyed on issuer and subject.
    "standard": {
        "name": "Trần Văn Bình",
        "email": "binh.tran@example.vn",
        "phone_number": "+84 913 000 111",
        "birthdate": "1985-02-03",
    },
    "organisation": {
        "TechID": "TECH-ORG-77c1",
        "HoVaTen": "Công ty TNHH Sông Hậu",
        "ThuDienTu": "ketoan@songhau.example.vn",
        "LoaiTaiKhoan": "2",
        "MaSoThue": "1600123456",
    },
    # What a forged or broken profile looks like: a 10,000-character name, a personal id that is not 12 digits,
    # a phone number that is not one, and no e-mail at all.
    "forged": {
        "TechID": "TECH-FORGED-0bad",
        "HoVaTen": "Nguyễn " + "A" * 9993,
        "SoDinhDanh": "12345",
        "SoDienThoai": "gọi cho tôi",
        "NgayThangNamSinh": "31/02/2990",
        "LoaiTaiKhoan": "1",
    },
    "mai": {"TechID": "TECH-0002-51c0", "HoVaTen": "Lê Thị Mai", "ThuDienTu": "mai.le@example.vn"},
}


def unavailable_reason() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (the single sign-on tests start oidc-provider with it)"
    if not PACKAGE.is_file():
        return f"the npm package oidc-provider is missing ({PACKAGE.relative_to(REPO_ROOT)}); run `npm ci`"
    return None


def skip_or_fail_unavailable() -> None:
    if reason := unavailable_reason():
        if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1: the provider tests must run)", pytrace=False)
        pytest.skip(reason)


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)

    def as_config(self) -> dict:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
            "post_logout_redirect_uris": self.post_logout_redirect_uris,
        }


def new_signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TestProvider:
    """One provider process. ``start()`` returns once it answers; ``stop()`` ends it."""

    __test__ = False  # not a test class, despite the name

    def __init__(
        self,
        *,
        workdir: Path,
        clients: list[Client],
        accounts: dict[str, dict] | None = None,
        clock_skew_seconds: int = 0,
        id_token_ttl: int = 600,
    ):
        self.workdir = workdir
        self.clients = {client.client_id: client for client in clients}
        self.accounts = ACCOUNTS if accounts is None else accounts
        self.clock_skew_seconds = clock_skew_seconds
        self.id_token_ttl = id_token_ttl
        self.key = new_signing_key()
        self.process: subprocess.Popen | None = None
        self.issuer = ""
        self.metadata: dict = {}

    # --- lifecycle ---

    def start(self) -> TestProvider:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key))
        jwk.pop("key_ops", None)  # PyJWT marks a private key "sign" only; the provider also verifies with it
        jwk.update(kid=KEY_ID, alg="RS256", use="sig")
        config = {
            "host": "127.0.0.1",
            "jwk": jwk,
            "clients": [client.as_config() for client in self.clients.values()],
            "accounts": {
                login: {"password": PASSWORD, "claims": claims} for login, claims in self.accounts.items()
            },
            "clockSkewSeconds": self.clock_skew_seconds,
            "idTokenTtl": self.id_token_ttl,
        }
        self.workdir.mkdir(parents=True, exist_ok=True)
        config_path = self.workdir / "provider.json"
        config_path.write_text(json.dumps(config))
        self._stdout = (self.workdir / "stdout.log").open("w+")
        self._stderr = (self.workdir / "stderr.log").open("w+")
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(config_path)],
            cwd=REPO_ROOT,
            stdout=self._stdout,
            stderr=self._stderr,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            line = (self.workdir / "stdout.log").read_text().split("\n", 1)[0]
            if line.startswith("{"):
                self.issuer = json.loads(line)["issuer"]
                break
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        if not self.issuer:
            self.stop()
            raise RuntimeError(f"the test OpenID provider did not start:\n{self.logs()}")
        discovery = f"{self.issuer}/.well-known/openid-configuration"
        self.metadata = requests.get(discovery, timeout=HTTP_TIMEOUT_S).json()
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        for stream in (getattr(self, "_stdout", None), getattr(self, "_stderr", None)):
            if stream is not None:
                stream.close()

    def logs(self) -> str:
        parts = []
        for name in ("stdout.log", "stderr.log"):
            path = self.workdir / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text()[-4000:]}")
        return "\n".join(parts)

    # --- what the portal is configured with ---

    def settings(self, client_id: str = "portal") -> dict:
        """The portal's settings for this provider (as a deployment would set them in the environment)."""
        client = self.clients[client_id]
        return {
            "OIDC_RP_CLIENT_ID": client.client_id,
            "OIDC_RP_CLIENT_SECRET": client.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.metadata["authorization_endpoint"],
            "OIDC_OP_TOKEN_ENDPOINT": self.metadata["token_endpoint"],
            "OIDC_OP_USER_ENDPOINT": self.metadata["userinfo_endpoint"],
            "OIDC_OP_JWKS_ENDPOINT": self.metadata["jwks_uri"],
            "OIDC_OP_LOGOUT_ENDPOINT": self.metadata["end_session_endpoint"],
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_STORE_ID_TOKEN": True,
            "AUTHENTICATION_BACKENDS": [
                "portal.accounts.backends.PasswordBackend",
                "portal.accounts.oidc.NationalSSOBackend",
            ],
        }

    # --- acting as other parties ---

    def user_agent(self) -> ProviderUserAgent:
        return ProviderUserAgent(self)

    def authorization_url(self, *, client_id: str, redirect_uri: str, nonce: str, state: str = "s") -> str:
        query = urlencode(
            {
                "client_id": client_id,
                "response_type": "code",
                "scope": "openid",
                "redirect_uri": redirect_uri,
                "state": state,
                "nonce": nonce,
            }
        )
        return f"{self.metadata['authorization_endpoint']}?{query}"

    def exchange(self, callback_url: str, *, client_id: str) -> dict:
        """Redeem a code as ``client_id`` would (the portal never sees this token)."""
        client = self.clients[client_id]
        code = parse_qs(urlsplit(callback_url).query)["code"][0]
        response = requests.post(
            self.metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": client.redirect_uris[0],
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
            timeout=HTTP_TIMEOUT_S,
        )
        response.raise_for_status()
        return response.json()

    def sign(self, claims: dict, *, key: rsa.RSAPrivateKey | None = None, algorithm: str = "RS256") -> str:
        """A token signed with the provider's key (or ``key``), as the provider's key id."""
        return jwt.encode(claims, key or self.key, algorithm=algorithm, headers={"kid": KEY_ID})


class ProviderUserAgent:
    """A browser at the provider, by plain HTTP: keeps the provider's cookies across requests."""

    def __init__(self, provider: TestProvider):
        self.provider = provider
        self.http = requests.Session()

    def _follow(self, response: requests.Response) -> requests.Response | str:
        """Follow the provider's redirects; return the first address outside the provider (the callback)."""
        while response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(self.provider.issuer + "/"):
                return location
            response = self.http.get(location, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        return response

    def _login_page(self, authorization_url: str) -> requests.Response:
        page = self._follow(self.http.get(authorization_url, allow_redirects=False, timeout=HTTP_TIMEOUT_S))
        assert isinstance(page, requests.Response) and page.status_code == 200, page
        assert "/interaction/" in page.url, page.text
        return page

    def sign_in(self, authorization_url: str, login: str, password: str = PASSWORD) -> str:
        """Sign in on the provider's login page; return the callback address it sends the browser to."""
        page = self._login_page(authorization_url)
        response = self.http.post(
            f"{page.url}/login",
            data={"login": login, "password": password},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT_S,
        )
        callback = self._follow(response)
        assert isinstance(callback, str), f"the provider did not send the browser back: {callback.text}"
        return callback

    def authorize(self, authorization_url: str) -> str:
        """Open an authorization address while already signed in here: the provider answers at once."""
        callback = self._follow(
            self.http.get(authorization_url, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        )
        assert isinstance(callback, str), callback.text
        return callback

    def cancel(self, authorization_url: str) -> str:
        """Press "Hủy" on the provider's login page."""
        page = self._login_page(authorization_url)
        response = self.http.post(f"{page.url}/abort", allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        callback = self._follow(response)
        assert isinstance(callback, str), callback.text
        return callback

    def end_session(self, url: str) -> str:
        """Open the provider's sign-out page and confirm; return where the provider sends the browser then."""
        page = self.http.get(url, allow_redirects=False, timeout=HTTP_TIMEOUT_S)
        assert page.status_code == 200, page.text
        xsrf = re.search(r'name="xsrf" value="([^"]+)"', page.text)
        action = re.search(
            r'id="op.logoutForm"[^>]*action="([^"]+)"|action="([^"]+)"[^>]*id="op.logoutForm"', page.text
        )
        assert xsrf and action, page.text
        response = self.http.post(
            urljoin(url, action.group(1) or action.group(2)),
            data={"xsrf": xsrf.group(1), "logout": "yes"},
            allow_redirects=False,
            timeout=HTTP_TIMEOUT_S,
        )
        done = self._follow(response)
        assert isinstance(done, str), done.text
        return done
