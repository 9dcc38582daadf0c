"""The public tracking address of a dossier and its QR code, printed on the forms (Circular 01/2018 art. 19).

The printed address is a **signed link**: the dossier code and a signature of it (``django.core.signing``, salted
for this use, made with ``SECRET_KEY``), so whoever holds the receipt opens the dossier's public tracking summary
without the four digits, and nobody can make a link for a code they guessed. The signature does not expire (a
receipt is kept for the life of the dossier). Changing ``SECRET_KEY`` revokes every link at once; links signed with a
key moved to ``SECRET_KEY_FALLBACKS`` keep working until it is removed from there. Revoking one dossier's link alone
would need a stored generation per dossier, which the model does not have.
"""

from urllib.parse import quote

import segno
from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import translation

TRACK_PATH_FALLBACK = "/ho-so/tra-cuu/"
_LINK_SALT = "dossiers.tracking.link"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_LINK_SALT)


def tracking_link_signature(code: str) -> str:
    """The signature that, with ``code``, makes the dossier's tracking link."""
    return _signer().signature(code)


def tracking_link_valid(code: str, signature: str) -> bool:
    """Whether ``signature`` was made for ``code`` by ``tracking_link_signature`` with this installation's secret
    key (or one of its fallback keys); compared in constant time."""
    try:
        return _signer().unsign(f"{code}{_signer().sep}{signature}") == code
    except signing.BadSignature:
        return False


def _base() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def tracking_path(code: str) -> str:
    """The signed link's path, in the active language."""
    signature = tracking_link_signature(code)
    try:
        return reverse("dossiers:track_link", args=[code, signature])
    except NoReverseMatch:
        return f"{TRACK_PATH_FALLBACK}{quote(code, safe='')}/{signature}/"


def tracking_url(code: str) -> str:
    """The absolute signed link that opens the dossier ``code``'s tracking summary without the four digits (the
    Vietnamese page, whatever the language active in the caller)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{_base()}{tracking_path(code)}"


def qr_svg(text: str) -> str:
    """An inline ``<svg>`` QR code of ``text`` (error correction M, the standard 4-module quiet zone), sized by CSS."""
    return segno.make(text, error="m", micro=False).svg_inline(scale=1, border=4, omitsize=True)
