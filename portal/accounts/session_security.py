"""Session hardening: idle time-outs, no caching of personal pages, and rate limits on the sign-in paths that
allauth does not cover (the Django admin's login and the start of single sign-on).

- ``SessionSecurityMiddleware`` (after ``AuthenticationMiddleware`` and ``MessageMiddleware``): signs a user out
  after ``PORTAL_STAFF_IDLE_MINUTES`` (staff) or ``PORTAL_CITIZEN_IDLE_MINUTES`` (citizens) without a request. The
  time of the last request is kept in the session but written at most once a minute, so an active user does not
  cost a session write per request. Every response to a signed-in user gets ``Cache-Control: private, no-store``
  unless the view chose its own caching; anonymous requests without a session cookie are left untouched (the
  public page cache and any shared cache keep working for them).
- ``admin_login``: the Django admin's login with failures limited per address and per username.
- ``sso_start``: ``/oidc/authenticate/`` with starts limited per address (each start stores a flow in the session).
"""

from __future__ import annotations

import time
import unicodedata
from functools import cache

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from portal.audit import log as audit
from portal.http import client_address
from portal.ratelimit import Limit

LAST_SEEN_KEY = "_portal_last_seen"
LAST_SEEN_PRECISION = 60  # seconds: how stale the stored time may get before it is written again


# --- Idle time-out and private pages ---------------------------------------------------------------------------------


def idle_limit_seconds(user) -> int:
    """How long ``user`` may stay inactive: staff (officers and admin users) less than citizens."""
    staff = getattr(user, "is_officer", False) or user.is_staff
    minutes = settings.PORTAL_STAFF_IDLE_MINUTES if staff else settings.PORTAL_CITIZEN_IDLE_MINUTES
    return minutes * 60


def _may_hold_a_user(request: HttpRequest) -> bool:
    """Whether looking at ``request.user`` is worth it. Without a session cookie only a sign-in during this request
    can have made a user, and that touches the session; reading the session otherwise would add ``Vary: Cookie``
    to every anonymous page."""
    session = getattr(request, "session", None)
    return session is not None and (
        settings.SESSION_COOKIE_NAME in request.COOKIES or session.accessed or session.modified
    )


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _idle_sign_out(request: HttpRequest, limit: int) -> HttpResponse:
    request.sign_out_reason = "idle"  # read by the audit signal handler
    staff_area = request.path.startswith(reverse("admin:index"))
    logout(request)
    messages.info(
        request,
        _("Phiên làm việc đã kết thúc vì bạn không thao tác trong %(minutes)s phút. Vui lòng đăng nhập lại.")
        % {"minutes": limit // 60},
    )
    login_url = reverse("admin:login") if staff_area else resolve_url(settings.LOGIN_URL)
    if request.method in ("GET", "HEAD"):
        response = redirect_to_login(request.get_full_path(), login_url)
    else:  # a form posted to a signed-out session cannot be replayed after signing in
        response = redirect_to_login("", login_url, redirect_field_name=None)
    if request.headers.get("HX-Request"):
        # htmx would swap the login page into a fragment; tell it to load the page instead.
        target = response["Location"]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
    add_never_cache_headers(response)
    return response


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if settings.SESSION_COOKIE_NAME in request.COOKIES and _signed_in(request):
            limit = idle_limit_seconds(request.user)
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > limit:
                return _idle_sign_out(request, limit)
        response = self.get_response(request)
        if _may_hold_a_user(request) and _signed_in(request):
            last_seen = request.session.get(LAST_SEEN_KEY)
            if not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_PRECISION:
                request.session[LAST_SEEN_KEY] = now
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response


# --- Rate limits on sign-in paths ------------------------------------------------------------------------------------


def _window() -> int:
    return settings.PORTAL_LOGIN_LIMIT_WINDOW_SECONDS


def admin_login_limits() -> tuple[Limit, Limit]:
    """Failed sign-ins at the Django admin: per client address, and per username whatever the address."""
    return (
        Limit("admin-login-address", settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_ADDRESS, _window()),
        Limit("admin-login-username", settings.PORTAL_ADMIN_LOGIN_FAILURES_PER_USERNAME, _window()),
    )


def sso_start_limit() -> Limit:
    return Limit("sso-start-address", settings.PORTAL_SSO_STARTS_PER_ADDRESS, _window())


def too_many_attempts(request: HttpRequest, window: int) -> HttpResponse:
    minutes = max(1, -(-window // 60))
    response = render(request, "accounts/too_many_attempts.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(window)
    add_never_cache_headers(response)
    return response


def login_name_key(typed: str) -> str:
    """The name a sign-in counts against: as the login form reads it (spaces around it dropped, NFKC, as
    ``UsernameField`` does) and without case, so " Admin" or a full-width "ａｄｍｉｎ" is the same name, not a fresh
    counter."""
    return unicodedata.normalize("NFKC", typed.strip())[:150].casefold()


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's login (``admin.site.login``); after too many failures it answers 429 for a while."""
    if request.method != "POST":
        return admin.site.login(request)
    by_address, by_username = admin_login_limits()
    address = client_address(request)
    username = login_name_key(request.POST.get("username", ""))
    if by_address.exceeded(address) or by_username.exceeded(username):
        return too_many_attempts(request, _window())
    response = admin.site.login(request)
    if _signed_in(request) and response.status_code == 302:
        # The password was right: earlier mistakes on this name no longer count against it.
        by_username.reset(username)
        return response
    reached_by_address = by_address.hit(address) == by_address.limit
    reached_by_username = by_username.hit(username) == by_username.limit
    if reached_by_address or reached_by_username:
        audit.sign_in_throttled(request, path="admin", username=username)
    return response


@cache
def _sso_start_view():
    # The class mozilla-django-oidc's own URL uses (OIDC_AUTHENTICATE_CLASS), imported when first needed.
    from mozilla_django_oidc.urls import OIDCAuthenticateClass

    return OIDCAuthenticateClass.as_view()


def sso_start(request: HttpRequest) -> HttpResponse:
    """``/oidc/authenticate/``: the single sign-on start, at most ``PORTAL_SSO_STARTS_PER_ADDRESS`` per window."""
    limit = sso_start_limit()
    count = limit.hit(client_address(request))
    if count > limit.limit:
        return too_many_attempts(request, limit.window)
    if count == limit.limit:
        audit.sign_in_throttled(request, path="sso")
    return _sso_start_view()(request)
