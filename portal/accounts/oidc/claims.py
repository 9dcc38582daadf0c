"""``CLAIM_MAP``: the one place that says which claim of the national portal fills which profile field and how its
value is checked; the snapshot of claims kept with an identity. Personal id numbers never reach a log line."""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from portal.accounts.models import User
from portal.accounts.oidc.failures import Reason, SSOFailure

logger = logging.getLogger("portal.accounts.sso")

MAX_KEY_LENGTH = 255  # issuer, subject and TechID columns


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return None


def _clean_key(value: object) -> str | None:
    text = _as_text(value)
    if text and len(text) > MAX_KEY_LENGTH:
        # The key cannot be shortened without risking two people sharing it: refuse the sign-in instead.
        raise SSOFailure(Reason.TOKEN_REJECTED, "TechID longer than 255 characters")
    return text or None


def _clean_name(value: object) -> str | None:
    text = _as_text(value)
    return text[: User._meta.get_field("full_name").max_length] if text else None


def _clean_personal_id(value: object) -> str | None:
    text = _as_text(value)
    return text if text and re.fullmatch(r"[0-9]{12}", text) else None


_BIRTH_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d", "%d%m%Y")


def _clean_birth_date(value: object) -> datetime.date | None:
    text = _as_text(value)
    if not text or len(text) > 10:
        return None
    for fmt in _BIRTH_DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if datetime.date(1900, 1, 1) <= day <= timezone.localdate():
            return day
    return None


def _clean_email(value: object) -> str | None:
    text = _as_text(value)
    if not text or len(text) > User._meta.get_field("email").max_length:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return BaseUserManager.normalize_email(text)


def _clean_phone(value: object) -> str | None:
    text = _as_text(value)
    if not text:
        return None
    digits = re.sub(r"[\s.()-]", "", text)
    return digits if re.fullmatch(r"\+?[0-9]{8,15}", digits) else None


def _clean_is_organisation(value: object) -> bool | None:
    text = _as_text(value)
    return None if text is None else text != "1"  # LoaiTaiKhoan: 1 citizen, anything else an organisation


# Profile field: (the claims that may carry it, first usable one wins; how a value is checked). National claim names
# come first, standard OIDC ones after. A checker returns None for a value it cannot use: the claim is then dropped
# with a log line that names the claim, never its value, and the sign-in goes on.
CLAIM_MAP: dict[str, tuple[tuple[str, ...], Callable[[object], object]]] = {
    "tech_id": (("TechID",), _clean_key),
    "full_name": (("HoVaTen", "name"), _clean_name),
    "personal_id": (("SoDinhDanh",), _clean_personal_id),
    "birth_date": (("NgayThangNamSinh", "birthdate"), _clean_birth_date),
    "email": (("ThuDienTu", "email"), _clean_email),
    "phone": (("SoDienThoai", "phone_number"), _clean_phone),
    "is_organisation": (("LoaiTaiKhoan",), _clean_is_organisation),
}

# Kept out of the identity's claims snapshot: the personal id (stored on the user, validated) and the token's own
# bookkeeping.
SNAPSHOT_OMIT = frozenset(
    {"SoDinhDanh", "aud", "azp", "exp", "iat", "nbf", "auth_time", "nonce", "at_hash", "sid", "jti"}
)
SNAPSHOT_MAX_KEYS = 40
SNAPSHOT_MAX_TEXT = 255


@dataclass(frozen=True)
class SSOProfile:
    """What the portal keeps from the provider's claims, every value already checked."""

    tech_id: str = ""
    full_name: str = ""
    personal_id: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    phone: str = ""
    is_organisation: bool = False


def profile_from_claims(claims: dict) -> SSOProfile:
    values: dict[str, object] = {}
    for field, (names, clean) in CLAIM_MAP.items():
        for name in names:
            raw = claims.get(name)
            if raw is None or raw == "":
                continue
            value = clean(raw)
            if value is None:
                logger.warning("SSO claim %s dropped: its value is not usable for %s", name, field)
                continue
            if field == "full_name" and len(value) < len(_as_text(raw)):
                logger.info("SSO claim %s shortened to %d characters", name, len(value))
            values[field] = value
            break
    return SSOProfile(**values)


def claims_snapshot(claims: dict) -> dict:
    """The claims as received, for support staff, without the personal id and with every value kept short."""

    def short(value):
        if isinstance(value, str):
            return value[:SNAPSHOT_MAX_TEXT]
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, list):
            return [short(item) for item in value[:10] if not isinstance(item, dict | list)]
        return None

    snapshot = {}
    for key, value in claims.items():
        if len(snapshot) >= SNAPSHOT_MAX_KEYS:
            break
        if (
            isinstance(key, str)
            and len(key) <= 64
            and key not in SNAPSHOT_OMIT
            and not isinstance(value, dict)
        ):
            snapshot[key] = short(value)
    return snapshot
