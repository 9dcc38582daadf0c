"""Whole-page cache for the public catalogue pages.

The catalogue is the same for every anonymous visitor and changes only when it is imported or edited, so a page is
stored under the language, whether htmx asked for a fragment (a history restore asks for the page), and the full URL, together with the catalogue version
it was rendered at. A hit needs one cache round trip (the page and the current version are read together) and is
served only when the versions match: any write to the catalogue bumps the version (``catalog_version_bump``), so a
stale page is never served after an edit.
Requests carrying a session cookie (someone signed in, or an admin) always get a freshly rendered page, and so do
responses that set a cookie or are not 200.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal.catalog.search_index import VERSION_KEY, catalog_version


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PORTAL_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _is_fragment(request: HttpRequest) -> bool:
    """htmx asking for the results only (as ``views.is_fragment_request``): not a boosted link, not a history restore."""
    headers = request.headers
    return bool(
        headers.get("HX-Request")
        and not headers.get("HX-Boosted")
        and not headers.get("HX-History-Restore-Request")
    )


def _key(request: HttpRequest) -> str:
    fragment = "fragment" if _is_fragment(request) else "page"
    raw = f"{get_language()}|{fragment}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def public_page_cache(view):
    """Serve a public catalogue view from the cache when nothing about the visitor can change the page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return _vary(view(request, *args, **kwargs))
        key = _key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or catalog_version()
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            _version, content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = _vary(view(request, *args, **kwargs))
        if response.status_code == 200 and not response.streaming and not response.cookies:
            entry = (version, response.content, list(response.headers.items()))
            cache.set(key, entry, settings.PORTAL_PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _vary(response: HttpResponse) -> HttpResponse:
    # A fragment and a full page share a URL; browsers and proxies must not mix them up.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
