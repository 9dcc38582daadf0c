"""A form posted after the session ended is not thrown away (WCAG 2.2.1, GOV.UK's timeout pattern).

When a form reaches a page for signed-in users after the person's session ended (idle time-out, signed out from
another device, cache and database lost it), the view would send them to sign in and the text they typed would be
gone. Instead ``SessionSecurityMiddleware`` keeps the posted text fields in the new, anonymous session
(``post_keep``) and answers the sign-in page, which says so. After signing in, ``accounts:resubmit`` shows the
content with a "Gửi lại" button that posts it again to the original address, with a fresh CSRF token
(``post_take``).

Never kept: files (only text fields travel), the CSRF token, and any field whose name says it holds a secret
(passwords, one-time codes, tokens). Kept for ``KEPT_SECONDS`` at most, once (taking it removes it), and offered only
to the person whose session ended: when that person is known (an idle time-out) a different account signing in on
the same browser gets nothing.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "_portal_kept_post"
KEPT_SECONDS = 30 * 60
# Longer text than any of the portal's forms takes is not kept (the session is read on every request).
MAX_CHARS = 100_000
# Field names that hold a secret: passwords, one-time codes ("code" is allauth's second-factor field), tokens.
SECRET_NAME = re.compile(r"pass|mat_?khau|secret|token|otp|pin|csrf|^code$", re.IGNORECASE)


@dataclass(frozen=True)
class KeptPost:
    url: str  # where the form was posted (path and query)
    back: str  # the page the form was on, when the browser said so, else ""
    fields: list[tuple[str, str]]
    at: int  # when it was posted (Unix time)
    files_dropped: bool
    secrets_dropped: bool

    @property
    def at_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.at, tz=UTC)

    @property
    def shown_fields(self) -> list[tuple[str, str]]:
        """The fields with something in them, as the confirmation page lists them."""
        return [(name, value) for name, value in self.fields if value.strip()]


def same_site_path(request: HttpRequest, url: str) -> str:
    """``url``'s path and query when it points to this site, else ""."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def post_keep(request: HttpRequest, *, user_id: int | None) -> KeptPost | None:
    """Keep the text of ``request``'s POST in its session for ``user_id`` (None: whoever signs in next); None when
    there is nothing to keep or too much."""
    fields: list[tuple[str, str]] = []
    secrets_dropped = False
    for name in request.POST:
        if SECRET_NAME.search(name):
            secrets_dropped = secrets_dropped or name != "csrfmiddlewaretoken"
            continue
        fields.extend((name, value) for value in request.POST.getlist(name))
    if not fields or sum(len(name) + len(value) for name, value in fields) > MAX_CHARS:
        return None
    kept = KeptPost(
        url=request.get_full_path(),
        back=same_site_path(request, request.headers.get("Referer", "")),
        fields=fields,
        at=int(time.time()),
        files_dropped=bool(request.FILES),
        secrets_dropped=secrets_dropped,
    )
    request.session[SESSION_KEY] = {
        "user": user_id,
        "url": kept.url,
        "back": kept.back,
        "fields": [list(pair) for pair in kept.fields],
        "at": kept.at,
        "files_dropped": kept.files_dropped,
        "secrets_dropped": kept.secrets_dropped,
    }
    return kept


def post_take(request: HttpRequest) -> KeptPost | None:
    """The kept POST for the signed-in user, removed from the session; None if there is none for them any more."""
    data = request.session.pop(SESSION_KEY, None)
    if not isinstance(data, dict):
        return None
    if data.get("user") not in (None, request.user.pk) or time.time() - data.get("at", 0) > KEPT_SECONDS:
        return None
    return KeptPost(
        url=data["url"],
        back=data.get("back", ""),
        fields=[(name, value) for name, value in data["fields"]],
        at=data["at"],
        files_dropped=data.get("files_dropped", False),
        secrets_dropped=data.get("secrets_dropped", False),
    )
