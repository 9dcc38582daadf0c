"""Small helpers about the HTTP request that several apps share."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind ``PORTAL_TRUSTED_PROXY_COUNT`` reverse proxies that append to
    X-Forwarded-For, the entry the nearest trusted proxy saw; otherwise the socket's peer (never a header a
    visitor could forge)."""
    proxies = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
