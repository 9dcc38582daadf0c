"""The signature the portal and the payment platform put on what they send each other.

HMAC-SHA256 with the merchant's shared secret over the fields sorted by name, written ``name=value`` and joined with
``&`` (the signature field ``chu_ky`` itself left out), in lowercase hex. One function for the payment address, the
platform's notification, the return address and the reconciliation query, on both sides.
"""

import hashlib
import hmac

SIGNATURE_FIELD = "chu_ky"


def canonical(fields: dict) -> bytes:
    return "&".join(f"{name}={fields[name]}" for name in sorted(fields) if name != SIGNATURE_FIELD).encode(
        "utf-8"
    )


def sign(secret: str, fields: dict) -> str:
    return hmac.new(secret.encode("utf-8"), canonical(fields), hashlib.sha256).hexdigest()


def signature_valid(secret: str, fields: dict) -> bool:
    given = fields.get(SIGNATURE_FIELD)
    return isinstance(given, str) and bool(secret) and hmac.compare_digest(given, sign(secret, fields))
