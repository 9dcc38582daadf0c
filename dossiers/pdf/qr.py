"""The public tracking address of a dossier and its QR code, printed on the forms (Circular 01/2018 art. 19)."""

from urllib.parse import quote

import segno
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

TRACK_PATH_FALLBACK = "/ho-so/tra-cuu/"


def tracking_url(code: str) -> str:
    """The absolute URL where anyone can follow the dossier ``code`` (the Vietnamese page, whatever the language
    active in the caller)."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("dossiers:track")
    except NoReverseMatch:
        path = TRACK_PATH_FALLBACK
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}?ma={quote(code, safe='')}"


def qr_svg(text: str) -> str:
    """An inline ``<svg>`` QR code of ``text`` (error correction M, the standard 4-module quiet zone), sized by CSS."""
    return segno.make(text, error="m", micro=False).svg_inline(scale=1, border=4, omitsize=True)
