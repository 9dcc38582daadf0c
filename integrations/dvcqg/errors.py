"""What can go wrong talking to the national portal, split by what the caller should do about it.

``TemporaryError``: try again later (network, timeout, 408, 429, 5xx, an answer that is not the JSON we expect).
``SessionExpired`` is a temporary error the client handles itself (it logs in again once). ``PermanentError``: the
portal read the request and refused it (``error_code`` ≠ 0, a 4xx): sending the same thing again will not help;
``code``, ``field`` and ``reason`` say why. ``NotConfigured``: no address or credentials in the settings.
"""


class DvcqgError(Exception):
    """Any failure of a call to the national portal."""


class TemporaryError(DvcqgError):
    """The call may succeed later. ``reason`` is a short code: ``timeout``, ``connection``, ``http_503``,
    ``http_429``, ``not_json``, ``malformed``, ``session_expired``, ``login_refused``. ``retry_after``: the
    seconds the portal asked to wait (Retry-After), when it said."""

    def __init__(self, reason: str, detail: str = "", *, retry_after: float | None = None):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after


class SessionExpired(TemporaryError):
    """The session the call carried is no longer valid; a new login is needed."""

    def __init__(self, detail: str = ""):
        super().__init__("session_expired", detail)


class PermanentError(DvcqgError):
    """The portal refused the request itself. ``code`` is its ``error_code`` (or ``http_4xx``), ``field`` the
    field it named (may be empty), ``reason`` its message."""

    def __init__(self, code: str, reason: str, field: str = ""):
        super().__init__(f"{code} {field}: {reason}" if field else f"{code}: {reason}")
        self.code = str(code)
        self.field = field
        self.reason = reason


class NotConfigured(DvcqgError):
    """The national portal's address or credentials are not set; the message names the missing setting."""
