"""Rendered dossier pages kept for as long as nothing they show has changed.

The officer queues, "my dossiers" and the public tracking answer are read far more often than dossiers change, and
rendering them is most of their cost (the SQL behind them takes under a millisecond). A rendered page is stored with
the **version tokens** of everything it shows, and served again only while all those tokens are unchanged:

- ``agency:<id>``: any dossier received, handled or transferred by that agency (queues, counts, deadline labels);
- ``user:<id>``: that person's own dossiers and notifications ("my dossiers", the unread count in the header);
- ``code:<code>``: one dossier, for the tracking answer;
- the catalogue's version (procedure names on every row).

Every save or delete of a dossier, history event or notification replaces the tokens it touches with new random
ones (``signals.py``), at once and again when the transaction commits (``portal/versions.py``), so a page rendered
from data a transaction was still writing is never served after the commit. Time-relative labels ("overdue", "due today") are kept only
within the minute they were rendered in.

Signed-in pages are keyed on the session (one person's page is never served to another, nor to them in another
session), the CSRF cookie (the sign-out form's token), the language, htmx's fragment request and the full URL; a
request with flash messages waiting, a response that is not 200, streams or sets a cookie is never stored.
``PORTAL_DOSSIER_PAGE_CACHE_SECONDS = 0`` turns all of it off (every request renders).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from portal import versions
from portal.catalog.search_index import VERSION_KEY as CATALOG_VERSION_KEY
from portal.catalog.search_index import catalog_version

SCOPE_KEY_PREFIX = "dossier-pages:"


def agency_scope(agency_id: int) -> str:
    return f"agency:{agency_id}"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def code_scope(code: str) -> str:
    return f"code:{code}"


def _token_key(scope: str) -> str:
    # The catalogue keeps its own version (portal.catalog.search_index); pages showing procedure names follow it.
    return CATALOG_VERSION_KEY if scope == "catalog" else SCOPE_KEY_PREFIX + scope


def scopes_changed(scopes: Iterable[str]) -> None:
    """Pages showing any of ``scopes`` are stale: new tokens now, and again once the transaction commits."""
    versions.replace(_token_key(scope) for scope in scopes)


def read(
    entry_key: str, scopes: list[str], extra_keys: Iterable[str] = ()
) -> tuple[bytes | None, tuple, dict]:
    """One cache round trip: the stored page under ``entry_key`` if it was rendered at the current tokens of
    ``scopes`` (else None), those tokens (to store a fresh page with), and whatever ``extra_keys`` hold."""
    content, tokens, found = versions.read(
        entry_key,
        [_token_key(scope) for scope in scopes],
        extra_keys,
        start={CATALOG_VERSION_KEY: catalog_version},
    )
    return (content if settings.PORTAL_DOSSIER_PAGE_CACHE_SECONDS > 0 else None), tokens, found


def write(entry_key: str, tokens: tuple, response: HttpResponse) -> None:
    if response.status_code == 200 and not response.streaming and not response.cookies:
        keep(entry_key, tokens, response.content)


def keep(entry_key: str, tokens: tuple, value) -> None:
    """Store ``value`` (a page, or what a page is made from) as rendered at ``tokens``."""
    if settings.PORTAL_DOSSIER_PAGE_CACHE_SECONDS > 0:
        versions.keep(entry_key, tokens, value, settings.PORTAL_DOSSIER_PAGE_CACHE_SECONDS)


def minute() -> str:
    """The current minute, for what is kept no longer than the minute it was computed in (labels relative to now)."""
    return str(int(time.time() // 60))


def entry_key(kind: str, *parts: str) -> str:
    raw = "|".join((kind, get_language() or "", *parts))
    return "dossier-page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _fragment(request: HttpRequest) -> str:
    return (
        "fragment" if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted") else "page"
    )


def personal_page_cache(scopes: Callable[[HttpRequest], list[str]], *, per_minute: bool = False) -> Callable:
    """Serve a signed-in person's page again while the tokens of ``scopes(request)`` are unchanged.

    Put it inside the access checks (``login_required``, ``officer_required``): it only decides whether to render.
    ``per_minute`` keeps a page no longer than the minute it was rendered in (labels relative to now).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (
                settings.PORTAL_DOSSIER_PAGE_CACHE_SECONDS <= 0
                or request.method not in ("GET", "HEAD")
                or not request.session.session_key
                or len(get_messages(request))  # shown once: the page must be rendered with them
            ):
                return view(request, *args, **kwargs)
            page_scopes = scopes(request)
            key = entry_key(
                "personal",
                view.__module__ + "." + view.__qualname__,
                request.session.session_key,
                request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
                _fragment(request),
                request.get_full_path(),
                ",".join(page_scopes),
                minute() if per_minute else "",
            )
            content, tokens, _found = read(key, page_scopes)
            if content is not None:
                return HttpResponse(content)
            response = view(request, *args, **kwargs)
            write(key, tokens, response)
            return response

        return wrapped

    return decorator


def dossier_scopes(dossier, *, previous_agencies: Iterable[int | None] = ()) -> list[str]:
    """The tokens a change to ``dossier`` makes stale (its agencies now and before the change, its applicant, its
    code)."""
    scopes = [
        agency_scope(agency_id) for agency_id in {*previous_agencies, *agencies_of(dossier)} if agency_id
    ]
    if dossier.__dict__.get("applicant_id"):
        scopes.append(user_scope(dossier.applicant_id))
    if dossier.__dict__.get("code"):
        scopes.append(code_scope(dossier.code))
    return scopes


def agencies_of(dossier) -> tuple[int | None, int | None]:
    return dossier.__dict__.get("receiving_agency_id"), dossier.__dict__.get("handling_agency_id")
