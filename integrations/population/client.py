"""A typed client for the national population database through the provincial data-sharing platform (LGSP).

OAuth2 client credentials: ``POST <base>/token`` (``grant_type=client_credentials``, the client's id and secret in
HTTP Basic) gives a bearer token that is kept until shortly before it expires; ``POST <base>/dancu/cong-dan``
``{MaDonVi, SoDinhDanh}`` answers ``{error_code: 0, data: {...} | null}``. When the platform says the token is no
longer valid (HTTP 401, error_code 100) the client gets a new one once and repeats the call once. The paths and
fields are this project's convention for the platform, to be checked against the province's LGSP specification
before production.

The log says what happened and how long it took; never the personal id, the secret or the token.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date

import requests
from django.conf import settings

from integrations.population.errors import NotConfigured, PermanentError, TemporaryError, TokenRefused

logger = logging.getLogger("integrations.population")

TOKEN_MARGIN_SECONDS = 30  # a token this close to its end is renewed before use


@dataclass(frozen=True)
class Citizen:
    """One person as the population database records them."""

    personal_id: str
    full_name: str
    birth_date: date | None
    sex: str  # "male", "female" or "" when the database does not say
    permanent_address: str
    current_address: str
    household_head_name: str
    household_head_relation: str  # the person's relation to the head ("Chủ hộ" when they are the head)
    household_head_personal_id: str = ""

    def as_dict(self) -> dict:
        return {
            "personal_id": self.personal_id,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "sex": self.sex,
            "permanent_address": self.permanent_address,
            "current_address": self.current_address,
            "household_head_name": self.household_head_name,
            "household_head_relation": self.household_head_relation,
            "household_head_personal_id": self.household_head_personal_id,
        }


class PopulationClient:
    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: str,
        agency_code: str,
        timeout: float | tuple[float, float] = (2.0, 5.0),
    ):
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.agency_code = agency_code
        self.timeout = timeout
        self._http = requests.Session()
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the secret or the token
        return f"PopulationClient({self.base_url!r}, client={self.client_id!r})"

    def citizen(self, personal_id: str) -> Citizen | None:
        """The person with this 12-digit personal id, or None when the database has nobody with it."""
        started = time.monotonic()
        token = self._current_token()
        try:
            try:
                data = self._lookup(personal_id, token)
            except TokenRefused:
                logger.info("population lookup outcome=token_refused (getting a new token)")
                self._forget_token(token)
                data = self._lookup(personal_id, self._current_token())
        except TemporaryError as exc:
            logger.warning("population lookup outcome=temporary reason=%s", exc.reason)
            raise
        except PermanentError as exc:
            logger.warning("population lookup outcome=refused code=%s field=%s", exc.code, exc.field or "-")
            raise
        outcome = "found" if data else "not_found"
        logger.info("population lookup outcome=%s ms=%d", outcome, (time.monotonic() - started) * 1000)
        return _citizen(data) if data else None

    # --- transport -------------------------------------------------------------------------------------------

    def _lookup(self, personal_id: str, token: str) -> dict | None:
        response = self._send(
            "post",
            f"{self.base_url}/dancu/cong-dan",
            json={"MaDonVi": self.agency_code, "SoDinhDanh": personal_id},
            headers={"Authorization": f"Bearer {token}"},
        )
        answer = _answer(response)
        data = answer.get("data")
        if data is not None and not isinstance(data, dict):
            raise TemporaryError("malformed", "data is not an object")
        return data

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self._http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise TemporaryError("timeout", type(exc).__name__) from exc
        except requests.RequestException as exc:
            reason = "timeout" if "timed out" in str(exc).lower() else "connection"
            raise TemporaryError(reason, type(exc).__name__) from exc

    # --- token -----------------------------------------------------------------------------------------------

    def _current_token(self) -> str:
        with self._lock:
            if self._token is None or time.monotonic() > self._token_expires - TOKEN_MARGIN_SECONDS:
                self._token, lifetime = self._new_token()
                self._token_expires = time.monotonic() + lifetime
            return self._token

    def _forget_token(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None

    def _new_token(self) -> tuple[str, float]:
        response = self._send(
            "post",
            f"{self.base_url}/token",
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self._secret),
        )
        # Refused credentials fail every lookup the same way until an operator fixes the settings: the citizen
        # is told the service is unavailable and fills the form by hand.
        if response.status_code in (400, 401, 403):
            raise TemporaryError("token_refused", f"http_{response.status_code}")
        if response.status_code != 200:
            raise TemporaryError(f"http_{response.status_code}", "token endpoint")
        data = _decode(response)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            raise TemporaryError("malformed", "token answer without access_token")
        try:
            lifetime = float(data.get("expires_in") or 300)
        except (TypeError, ValueError):
            lifetime = 300.0
        logger.info("population token outcome=ok expires_in=%d", lifetime)
        return token, lifetime


def _decode(response: requests.Response):
    if "json" not in response.headers.get("Content-Type", "").lower():
        raise TemporaryError("not_json", response.headers.get("Content-Type", "") or "no content type")
    try:
        return response.json()
    except ValueError:
        raise TemporaryError("malformed", "undecodable JSON") from None


def _answer(response: requests.Response) -> dict:
    status = response.status_code
    if status in (408, 429) or status >= 500:
        raise TemporaryError(f"http_{status}")
    data = _decode(response)
    if not isinstance(data, dict) or "error_code" not in data:
        raise TemporaryError("malformed", "answer without error_code")
    try:
        code = int(data["error_code"])
    except (TypeError, ValueError):
        raise TemporaryError("malformed", "error_code is not a number") from None
    if code == 0 and status == 200:
        return data
    if code == 100 and status == 401:
        raise TokenRefused(str(data.get("message") or ""))
    raise PermanentError(
        str(code if code else f"http_{status}"),
        str(data.get("message") or ""),
        field=str(data.get("field") or ""),
    )


SEXES = {1: "male", 2: "female", "1": "male", "2": "female", "Nam": "male", "Nữ": "female"}


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _birth_date(value) -> date | None:
    """``yyyyMMdd`` (the platform's form); None when it is missing or not a date."""
    if not isinstance(value, str) or len(value) < 8 or not value[:8].isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


def _citizen(data: dict) -> Citizen:
    head = data.get("ChuHo") if isinstance(data.get("ChuHo"), dict) else {}
    full_name = _text(data, "HoVaTen")
    personal_id = _text(data, "SoDinhDanh")
    if not full_name or not personal_id:
        raise TemporaryError("malformed", "a person without name or personal id")
    return Citizen(
        personal_id=personal_id,
        full_name=full_name,
        birth_date=_birth_date(data.get("NgayThangNamSinh")),
        sex=SEXES.get(data.get("GioiTinh"), ""),
        permanent_address=_text(data, "NoiThuongTru"),
        current_address=_text(data, "NoiOHienTai"),
        household_head_name=_text(head, "HoVaTen"),
        household_head_relation=_text(head, "QuanHe"),
        household_head_personal_id=_text(head, "SoDinhDanh"),
    )


_clients: dict[tuple, PopulationClient] = {}
_clients_lock = threading.Lock()


def population_configured() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


REQUIRED = ("POPULATION_LGSP_URL", "POPULATION_CLIENT_ID", "POPULATION_CLIENT_SECRET")


def population_client() -> PopulationClient:
    """The client for the platform configured in the settings, one per configuration (so its token is reused);
    NotConfigured names what is missing."""
    for name in REQUIRED:
        if not getattr(settings, name, ""):
            raise NotConfigured(f"{name} is not set: the population database is not configured")
    timeout = getattr(settings, "POPULATION_TIMEOUT", (2.0, 5.0))
    timeout = float(timeout) if isinstance(timeout, int | float) else tuple(float(t) for t in timeout)
    if isinstance(timeout, tuple) and len(timeout) == 1:
        timeout = timeout[0]
    key = (
        settings.POPULATION_LGSP_URL,
        settings.POPULATION_CLIENT_ID,
        settings.POPULATION_CLIENT_SECRET,
        getattr(settings, "POPULATION_AGENCY_CODE", "") or settings.PORTAL_PROVINCE_AGENCY_CODE,
        timeout,
    )
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = PopulationClient(*key[:4], timeout=timeout)
        return client


def population_clients_forget() -> None:
    """Drop the kept clients and their tokens (settings changed, or a test starting afresh)."""
    with _clients_lock:
        for client in _clients.values():
            client._http.close()
        _clients.clear()
