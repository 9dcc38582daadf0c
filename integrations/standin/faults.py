"""Faults the stand-in injects on request, decided deterministically from a seed.

Each decision hashes (seed, fault, token) into [0, 1) and compares it with the fault's rate. The token of a call
that carries an idempotency key is the key and its delivery number, so the same seed makes the same calls fail the
same way whatever order threads run in; calls without a key use a counter per service. A permanent refusal
(``invalid``) is decided by the key alone: an event refused once is refused at every delivery, as a real validation
refusal would be.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields

# Temporary faults, tried in this order; the first that fires decides the answer.
TRANSPORT_FAULTS = ("reset", "timeout", "error", "rate_limit", "html", "malformed")
RATE_NAMES = (*TRANSPORT_FAULTS, "slow", "session_expired", "invalid", "duplicate")
DESCRIPTIONS = {
    "reset": "the connection is reset without an answer",
    "timeout": "no answer for timeout_seconds, then the connection is closed (nothing applied)",
    "error": "HTTP error_status (503) with a short JSON body",
    "rate_limit": "HTTP 429 with Retry-After",
    "html": "HTTP 200 with an HTML error page instead of JSON",
    "malformed": "HTTP 200, Content-Type JSON, truncated body",
    "slow": "the answer is delayed by slow_seconds (then answered normally)",
    "session_expired": "the session is dropped and the call answered HTTP 401 / error_code 401",
    "invalid": (
        "a valid write is refused (error_code 302; field MaTTHC at the national portal, NguoiGui.DiaChi at the postal "
        "service): a permanent refusal, same key every time"
    ),
    "duplicate": "the write is applied, then the answer is lost (HTTP 503): the retry is a duplicate delivery",
}


class FaultSettingError(ValueError):
    """A fault request the stand-in cannot honour (unknown name, a rate outside 0..1)."""


@dataclass
class FaultPlan:
    seed: int = 0
    reset: float = 0.0
    timeout: float = 0.0
    error: float = 0.0
    rate_limit: float = 0.0
    html: float = 0.0
    malformed: float = 0.0
    slow: float = 0.0
    session_expired: float = 0.0
    invalid: float = 0.0
    duplicate: float = 0.0
    slow_seconds: float = 0.5
    timeout_seconds: float = 20.0
    error_status: int = 503
    # Services the faults apply to (None: every service call and document download; login never).
    services: list[str] | None = field(default=None)

    @classmethod
    def from_request(cls, data: dict, *, default_seed: int) -> FaultPlan:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FaultSettingError(
                f"unknown fault settings: {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        plan = cls(seed=default_seed)
        for name, value in data.items():
            if name == "services":
                if value is not None and not (
                    isinstance(value, list) and all(isinstance(s, str) for s in value)
                ):
                    raise FaultSettingError("services must be a list of service names or null")
                plan.services = value
            elif name in ("seed", "error_status"):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise FaultSettingError(f"{name} must be a whole number")
                if name == "error_status" and not 500 <= value <= 599:
                    raise FaultSettingError("error_status must be a 5xx status")
                setattr(plan, name, value)
            else:
                if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                    raise FaultSettingError(f"{name} must be a number ≥ 0")
                if name in RATE_NAMES and value > 1:
                    raise FaultSettingError(f"{name} is a rate between 0 and 1")
                setattr(plan, name, float(value))
        return plan

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def applies_to(self, service: str) -> bool:
        return self.services is None or service in self.services

    def fires(self, name: str, token: str) -> bool:
        rate = getattr(self, name)
        if rate <= 0:
            return False
        if rate >= 1:
            return True
        digest = hashlib.blake2b(f"{self.seed}|{name}|{token}".encode(), digest_size=8).digest()
        return int.from_bytes(digest) / 2**64 < rate
