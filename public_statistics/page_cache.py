"""Whole statistics pages kept for anonymous visitors for ``PORTAL_STATISTICS_CACHE_SECONDS`` (the figures they show
are kept that long anyway, ``selectors``): keyed by language and full URL; requests with a session cookie, and
answers that are not a plain 200 without cookies, are never kept."""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


def kept_page(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PORTAL_STATISTICS_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET" or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return view(request, *args, **kwargs)
        raw = f"{get_language()}|{request.get_full_path()}"
        key = "stats-page:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ("Cookie",))
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, list(response.headers.items())), seconds)
        return response

    return wrapped
