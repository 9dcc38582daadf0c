"""What can go wrong asking the population database, split by what the caller should do about it.

``TemporaryError``: the platform did not answer usefully now (network, timeout, 5xx, 429, an answer that is not the
JSON expected, refused client credentials); the citizen fills the form by hand and may try later. ``PermanentError``:
the platform read the request and refused it with one of its codes (100 authentication, 101 address not allowed,
106 wrong agency id, 302 invalid data type); ``code``, ``field`` and ``reason`` say why. ``NotConfigured``: no
address or credentials in the settings.
"""


class PopulationError(Exception):
    """Any failure of a call to the population database."""


class TemporaryError(PopulationError):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class TokenRefused(TemporaryError):
    """The access token the call carried is unknown or expired (error_code 100 with HTTP 401)."""

    def __init__(self, detail: str = ""):
        super().__init__("token_refused", detail)


class PermanentError(PopulationError):
    def __init__(self, code: str, reason: str, field: str = ""):
        super().__init__(f"{code} {field}: {reason}" if field else f"{code}: {reason}")
        self.code = str(code)
        self.field = field
        self.reason = reason


class NotConfigured(PopulationError):
    """The platform's address or client credentials are not set; the message names the missing setting."""
