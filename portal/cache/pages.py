"""Whole-page cache for public pages, through the one versioned-key mechanism (``portal.cache``).

A public page (the catalogue, the home page) is the same for every anonymous visitor and changes only when the data
it shows changes, so it is stored under the language, whether htmx asked for a fragment (a history restore asks for
the page) and the full URL, with the versions of the namespaces the view names: one cache round trip serves it
while they are unchanged, and the apps that own the data bump them on every write.

Requests carrying a session cookie (someone signed in, or an admin) always get a freshly rendered page, and so do
responses that set a cookie or are not 200. ``PORTAL_PAGE_CACHE_SECONDS`` bounds memory, not staleness (0: off).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from portal import cache as versioned


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


def page_key(request: HttpRequest) -> str:
    fragment = "fragment" if _is_fragment(request) else "page"
    raw = f"{get_language()}|{fragment}|{request.get_full_path()}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def public_page(*namespaces: str):
    """Serve the view from the cache for anonymous visitors while ``namespaces`` are unchanged."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable_request(request):
                return _vary(view(request, *args, **kwargs))
            key = page_key(request)
            kept, stamp = versioned.lookup(key, namespaces)
            if kept is not None:
                content, headers = kept
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return response
            response = _vary(view(request, *args, **kwargs))
            if response.status_code == 200 and not response.streaming and not response.cookies:
                entry = (response.content, list(response.headers.items()))
                versioned.store(key, stamp, entry, settings.PORTAL_PAGE_CACHE_SECONDS)
            return response

        return wrapped

    return decorator


def _vary(response: HttpResponse) -> HttpResponse:
    # A fragment and a full page share a URL; browsers and proxies must not mix them up.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
