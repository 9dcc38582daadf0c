"""Whole-page cache for the public catalogue pages.

The catalogue is the same for every anonymous visitor and changes only when it is imported or edited, so a page is
stored under the catalogue's version, the language, whether htmx asked for a fragment, and the full URL. Any write
to the catalogue bumps the version (``catalog_version_bump``), so a stale page is never served after an edit.
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

from portal.catalog.search_index import catalog_version


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PORTAL_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    fragment = (
        "fragment" if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted") else "page"
    )
    raw = f"{catalog_version()}|{get_language()}|{fragment}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def public_page_cache(view):
    """Serve a public catalogue view from the cache when nothing about the visitor can change the page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return _vary(view(request, *args, **kwargs))
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = _vary(view(request, *args, **kwargs))
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(
                key, (response.content, list(response.headers.items())), settings.PORTAL_PAGE_CACHE_SECONDS
            )
        return response

    return wrapped


def _vary(response: HttpResponse) -> HttpResponse:
    # A fragment and a full page share a URL; browsers and proxies must not mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response
