"""A typed client for the national portal's one-stop services (DOMAIN.md §11).

Every call is a JSON POST of ``{session, madonvi, service, …}`` to ``<base>/service`` after a login at
``<base>/login`` (``{username, password}`` → ``{error_code: 0, session}``); documents of dossiers filed there
are fetched from ``<base>/tai-lieu/<id>``. ``error_code`` 0 is success. The session is obtained on the first call
and kept on this instance; when the portal says it has expired the client logs in again once and repeats the call
once. Writes carry an idempotency key (``IdempotencyKey`` in the body, ``Idempotency-Key`` header), so a call
repeated after a lost answer is applied once. The service names and fields follow deployed systems (DOMAIN.md
§11); the three paths are this project's convention, to be checked against the official specification before
production.

Failures are classified (``errors.py``): temporary ones (network, timeout, 5xx, 408, 429, an answer that is not the
expected JSON) may be retried; permanent ones (the portal's refusal, with its field and reason) must not be.
The log says which service, which key and what happened; never the payload, a personal id, the password or the
session.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings

from integrations.dvcqg.dates import format_datetime
from integrations.dvcqg.errors import NotConfigured, PermanentError, SessionExpired, TemporaryError

logger = logging.getLogger("integrations.dvcqg")

# The portal answers an expired or unknown session with HTTP 401 or with this error_code.
SESSION_EXPIRED_CODE = 401
PAGE_SIZE = 100
# A catalogue of a few thousand procedures is a few dozen pages; more than this is a portal that never ends a list.
MAX_PAGES = 1000
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
_READ_CHUNK = 64 * 1024


class DvcqgClient:
    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        agency_code: str,
        timeout: float | tuple[float, float] = (3.05, 15),
        *,
        page_size: int = PAGE_SIZE,
        max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES,
    ):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password = password
        self.agency_code = agency_code
        self.timeout = timeout
        self.page_size = page_size
        self.max_document_bytes = max_document_bytes
        self._http = requests.Session()
        self._session: str | None = None
        self._login_lock = threading.Lock()

    def __repr__(self) -> str:  # never the password or the session
        return f"DvcqgClient({self.base_url!r}, agency={self.agency_code!r})"

    def close(self) -> None:
        self._http.close()

    # --- services --------------------------------------------------------------------------------------------

    def dossier_sync(self, payload: dict, *, idempotency_key: str) -> dict:
        """Create or update a dossier on the national portal (``DongBoHoSoMC``); the portal's answer."""
        return self._call("DongBoHoSoMC", {"data": [payload]}, key=idempotency_key)

    def progress_update(self, payload: dict, *, idempotency_key: str) -> dict:
        """Record one processing step of a dossier (``CapNhatTienDoHoSoMC``); the portal's answer."""
        return self._call("CapNhatTienDoHoSoMC", {"data": [payload]}, key=idempotency_key)

    def feedback_publish(self, payload: dict, *, idempotency_key: str) -> dict:
        """Share an answered, published piece of feedback with the national feedback system (``DongBoPAKN``)."""
        return self._call("DongBoPAKN", {"data": [payload]}, key=idempotency_key)

    def rating_sync(self, payload: dict, *, idempotency_key: str) -> dict:
        """Share a satisfaction rating or a published ranking (``DongBoDanhGia``)."""
        return self._call("DongBoDanhGia", {"data": [payload]}, key=idempotency_key)

    def dossier_lookup(self, code: str) -> dict | None:
        """The dossier as the national portal knows it (``TraCuuHoSo``), or None when it does not know it."""
        result = self._call("TraCuuHoSo", {"MaHoSo": code}).get("result")
        if isinstance(result, list):
            result = result[0] if result else None
        if result is not None and not isinstance(result, dict):
            raise TemporaryError("malformed", "TraCuuHoSo result is not an object")
        return result or None

    def procedures(self, *, changed_since: datetime | None = None) -> list[dict]:
        """The national procedure catalogue (``LayDanhSachTTHC``, every page), or only what changed since."""
        fields = {"NgayCapNhatTu": format_datetime(changed_since)} if changed_since else {}
        return list(self._pages("LayDanhSachTTHC", fields))

    def procedure(self, code: str) -> dict:
        """One procedure of the national catalogue (``LayThuTuc``); PermanentError when it has no such code."""
        result = self._call("LayThuTuc", {"maTTHC": code}).get("result")
        if isinstance(result, list):
            result = result[0] if result else None
        if result is None:
            raise PermanentError("not_found", "no such procedure", field="MaTTHC")
        if not isinstance(result, dict):
            raise TemporaryError("malformed", "LayThuTuc result is not an object")
        return result

    def agencies(self) -> list[dict]:
        """The national list of agencies (``LayDanhMucCoQuan``)."""
        return list(self._pages("LayDanhMucCoQuan", {}))

    def incoming_dossiers(self, *, since: datetime | None) -> list[dict]:
        """Dossiers filed on the national portal for this province (``LayDanhSachHoSoMoi``), since a moment."""
        fields = {"TuNgay": format_datetime(since)} if since else {}
        return list(self._pages("LayDanhSachHoSoMoi", fields))

    def document(self, ref: str, *, max_bytes: int | None = None) -> tuple[bytes, str]:
        """The bytes and content type of a document of a dossier filed on the national portal. ``ref`` is its id
        or an address on the portal itself (any other host is refused). More than ``max_bytes`` is refused with
        PermanentError(field "TaiLieu", reason "too_large") without reading more than one byte past the limit."""
        limit = self.max_document_bytes if max_bytes is None else max_bytes
        url = self._document_url(ref)
        return self._with_session(
            lambda session: self._download(url, session, limit), service="TaiLieu", key="-"
        )

    # --- transport -------------------------------------------------------------------------------------------

    def _call(self, service: str, fields: dict, *, key: str | None = None) -> dict:
        return self._with_session(
            lambda session: self._post(service, fields, session, key), service, key or "-"
        )

    def _with_session(self, send, service: str, key: str):
        started = time.monotonic()
        session = self._current_session()
        try:
            try:
                answer = send(session)
            except SessionExpired:
                logger.info("dvcqg %s key=%s outcome=session_expired (logging in again)", service, key)
                self._forget_session(session)
                answer = send(self._current_session())
        except TemporaryError as exc:
            logger.warning("dvcqg %s key=%s outcome=temporary reason=%s", service, key, exc.reason)
            raise
        except PermanentError as exc:
            logger.warning(
                "dvcqg %s key=%s outcome=refused code=%s field=%s", service, key, exc.code, exc.field or "-"
            )
            raise
        logger.info("dvcqg %s key=%s outcome=ok ms=%d", service, key, (time.monotonic() - started) * 1000)
        return answer

    def _pages(self, service: str, fields: dict) -> Iterator[dict]:
        for page in range(1, MAX_PAGES + 1):
            answer = self._call(service, {**fields, "page": page, "pageSize": self.page_size})
            items = answer.get("result")
            if items is None:
                items = []
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                raise TemporaryError("malformed", f"{service} result is not a list of objects")
            yield from items
            total = answer.get("total")
            seen = (page - 1) * self.page_size + len(items)
            if len(items) < self.page_size or (isinstance(total, int) and seen >= total):
                return
        raise TemporaryError("malformed", f"{service} did not end after {MAX_PAGES} pages")

    def _post(self, service: str, fields: dict, session: str, key: str | None) -> dict:
        body = {"session": session, "madonvi": self.agency_code, "service": service, **fields}
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if key:
            body["IdempotencyKey"] = key
            headers["Idempotency-Key"] = key
        try:
            data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
        except (TypeError, ValueError) as exc:
            # A payload that cannot be written as JSON will not become writable by waiting: refuse it here.
            raise PermanentError("payload", f"not JSON: {exc}", field="data") from None
        response = self._send("post", f"{self.base_url}/service", data=data, headers=headers)
        return _answer(response)

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self._http.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            raise TemporaryError("timeout", type(exc).__name__) from exc
        except requests.RequestException as exc:
            # A read timeout while the body streams in surfaces as a ConnectionError wrapping urllib3's.
            reason = "timeout" if "timed out" in str(exc).lower() else "connection"
            raise TemporaryError(reason, type(exc).__name__) from exc

    # --- session ---------------------------------------------------------------------------------------------

    def _current_session(self) -> str:
        with self._login_lock:
            if self._session is None:
                self._session = self._login()
            return self._session

    def _forget_session(self, session: str) -> None:
        with self._login_lock:
            if self._session == session:  # another thread may have logged in again already
                self._session = None

    def _login(self) -> str:
        response = self._send(
            "post", f"{self.base_url}/login", json={"username": self.username, "password": self._password}
        )
        # Refused credentials are not a fault of the event being sent: every call would fail the same way until
        # an operator fixes the settings, so it is temporary (retried with backoff), never a parked event.
        if response.status_code in (401, 403):
            raise TemporaryError("login_refused", f"http_{response.status_code}")
        try:
            answer = _answer(response)
        except PermanentError as exc:
            raise TemporaryError("login_refused", exc.code) from exc
        except SessionExpired as exc:
            raise TemporaryError("login_refused", "session_expired") from exc
        session = answer.get("session")
        if not isinstance(session, str) or not session:
            raise TemporaryError("malformed", "login answer without a session")
        logger.info("dvcqg login outcome=ok user=%s", self.username)
        return session

    # --- documents -------------------------------------------------------------------------------------------

    def _document_url(self, ref: str) -> str:
        if not ref:
            raise PermanentError("not_found", "empty document reference", field="TaiLieu")
        if "://" in ref:
            # Only the portal's own address: a reference from outside must not make us fetch anything anywhere.
            own = urlsplit(self.base_url)
            theirs = urlsplit(ref)
            if (theirs.scheme, theirs.netloc) != (own.scheme, own.netloc):
                raise PermanentError("foreign_url", "foreign_url", field="TaiLieu")
            return ref
        return f"{self.base_url}/tai-lieu/{quote(ref, safe='')}"

    def _download(self, url: str, session: str, limit: int) -> tuple[bytes, str]:
        response = self._send("get", url, headers={"session": session}, stream=True)
        with response:
            if response.status_code == 404:
                raise PermanentError("http_404", "not_found", field="TaiLieu")
            if response.status_code != 200:
                _answer(response)  # raises the right error for 401, 429, 5xx, other 4xx
                raise TemporaryError("malformed", f"document answer http_{response.status_code}")
            content_type = (
                response.headers.get("Content-Type", "application/octet-stream").split(";")[0].strip()
            )
            if "json" in content_type:
                _answer(response)  # an error_code ≠ 0 in place of the file
                raise TemporaryError("malformed", "JSON in place of a document")
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > limit:
                raise PermanentError("too_large", "too_large", field="TaiLieu")
            return _read_at_most(response, limit), content_type


def _read_at_most(response: requests.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            chunk = response.raw.read(min(_READ_CHUNK, limit + 1 - total), decode_content=True)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise PermanentError("too_large", "too_large", field="TaiLieu")
    except PermanentError:
        raise
    except Exception as exc:  # urllib3's read errors (reset, timeout, protocol) while the body streams in
        reason = "timeout" if "timed out" in str(exc).lower() else "connection"
        raise TemporaryError(reason, type(exc).__name__) from exc
    return b"".join(chunks)


def _answer(response: requests.Response) -> dict:
    """The decoded answer when it says success; otherwise the matching error."""
    status = response.status_code
    if status == 401:
        raise SessionExpired(f"http_{status}")
    if status in (408, 429) or status >= 500:
        raise TemporaryError(f"http_{status}", retry_after=_retry_after(response))
    if status >= 400:
        try:
            data = _decode(response)
        except TemporaryError:
            data = None
        if isinstance(data, dict) and "error_code" in data:
            raise _refusal(data)
        raise PermanentError(f"http_{status}", response.reason or "")
    data = _decode(response)
    if data is None:
        raise TemporaryError("not_json", response.headers.get("Content-Type", "") or "no content type")
    if not isinstance(data, dict) or "error_code" not in data:
        raise TemporaryError("malformed", "answer without error_code")
    try:
        code = int(data["error_code"])
    except (TypeError, ValueError):
        raise TemporaryError("malformed", "error_code is not a number") from None
    if code == 0:
        return data
    if code == SESSION_EXPIRED_CODE:
        raise SessionExpired("error_code 401")
    raise _refusal(data)


def _retry_after(response: requests.Response) -> float | None:
    """The seconds a Retry-After header asks for (its date form is not used by the portal)."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _decode(response: requests.Response):
    """The JSON of an answer that says it is JSON; None when it says something else (an HTML error page)."""
    content_type = response.headers.get("Content-Type", "")
    if "json" not in content_type.lower():
        return None
    try:
        return response.json()
    except ValueError:
        raise TemporaryError("malformed", "undecodable JSON") from None


def _refusal(data: dict) -> PermanentError:
    return PermanentError(
        str(data.get("error_code")), str(data.get("message") or ""), field=str(data.get("field") or "")
    )


def dvcqg_configured() -> bool:
    return bool(
        getattr(settings, "DVCQG_BASE_URL", "")
        and getattr(settings, "DVCQG_USERNAME", "")
        and getattr(settings, "DVCQG_PASSWORD", "")
    )


def dvcqg_client() -> DvcqgClient:
    """The client for the national portal configured in the settings; NotConfigured names what is missing."""
    for name in ("DVCQG_BASE_URL", "DVCQG_USERNAME", "DVCQG_PASSWORD"):
        if not getattr(settings, name, ""):
            raise NotConfigured(f"{name} is not set: the national public-service portal is not configured")
    return DvcqgClient(
        settings.DVCQG_BASE_URL,
        settings.DVCQG_USERNAME,
        settings.DVCQG_PASSWORD,
        getattr(settings, "DVCQG_AGENCY_CODE", "") or settings.PORTAL_PROVINCE_AGENCY_CODE,
        timeout=_timeout(getattr(settings, "DVCQG_TIMEOUT", (3.05, 15.0))),
    )


def _timeout(value) -> float | tuple[float, float]:
    """One number is both the connect and the read timeout; two are (connect, read)."""
    if isinstance(value, int | float):
        return float(value)
    values = tuple(float(item) for item in value)
    return values[0] if len(values) == 1 else (values[0], values[1])
