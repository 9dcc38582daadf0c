"""Session hardening: idle time-outs, no caching of personal pages, and rate limits on the sign-in paths that
allauth does not cover (the Django admin's login and the start of single sign-on).

- ``SessionSecurityMiddleware`` (after ``AuthenticationMiddleware`` and ``MessageMiddleware``): signs a user out
  after ``PORTAL_STAFF_IDLE_MINUTES`` (staff) or ``PORTAL_CITIZEN_IDLE_MINUTES`` (citizens) without a request. The
  time of the last request is kept in the session but written at most once a minute, so an active user does not
  cost a session write per request. Every response to a signed-in user gets ``Cache-Control: private, no-store``
  unless the view chose its own caching; anonymous requests without a session cookie are left untouched (the
  public page cache and any shared cache keep working for them).
  Pages warn ``PORTAL_SESSION_WARNING_SECONDS`` before the limit (``seconds_left``; the dialog in
  ``templates/accounts/_session_timeout.html``, ``static/js/session-timeout.js``, the endpoints in
  ``views_session``). A form posted after the session ended goes on as an anonymous request: a public form still
  works, and when the page needs a signed-in user its text is kept to be sent again after signing in
  (``portal.accounts.kept_post``).
- ``admin_login``: the Django admin's login with failures limited per address and per username.
- ``sso_start``: ``/oidc/authenticate/`` with starts limited per address (each start stores a flow in the session).
"""

from __future__ import annotations

import time
import unicodedata
from functools import cache, wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from portal.accounts import kept_post
from portal.audit import log as audit
from portal.http import client_address
from portal.ratelimit import Limit

LAST_SEEN_KEY = "_portal_last_seen"
LAST_SEEN_PRECISION = 60  # seconds: how stale the stored time may get before it is written again
# Kept in the signed-out session after an idle time-out: whose session ended, so that a form posted later from a page
# still open (in this tab or another) is kept for that person.
ENDED_KEY = "_portal_session_ended_for"


# --- Idle time-out and private pages ---------------------------------------------------------------------------------


def idle_limit_seconds(user) -> int:
    """How long ``user`` may stay inactive: staff (officers and admin users) less than citizens."""
    staff = getattr(user, "is_officer", False) or user.is_staff
    minutes = settings.PORTAL_STAFF_IDLE_MINUTES if staff else settings.PORTAL_CITIZEN_IDLE_MINUTES
    return int(minutes * 60)


def seconds_left(request: HttpRequest, *, counting_this_request: bool = True) -> int:
    """Seconds before the signed-in user of ``request`` is signed out if no other request comes.

    With ``counting_this_request`` the answer is what it will be once this request is done: the middleware then
    writes the time of this request unless the stored one is less than ``LAST_SEEN_PRECISION`` old.
    """
    limit = idle_limit_seconds(request.user)
    last_seen = request.session.get(LAST_SEEN_KEY)
    if not isinstance(last_seen, int):
        return limit
    idle = int(time.time()) - last_seen
    if counting_this_request and idle >= LAST_SEEN_PRECISION:
        return limit
    return max(0, limit - idle)


def session_touch(request: HttpRequest) -> None:
    """Count now as the signed-in user's last activity, whatever the stored time's age."""
    request.session[LAST_SEEN_KEY] = int(time.time())


def idle_probe(view):
    """Mark a view whose requests must not count as activity (the page asking how long the session has left)."""

    @wraps(view)
    def probe(request, *args, **kwargs):
        request.idle_probe = True
        return view(request, *args, **kwargs)

    return probe


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


def _idle_sign_out(request: HttpRequest, limit: int) -> HttpResponse | None:
    """Sign the idle user out. The answer for a page or an htmx request is the sign-in page; a form posted to the
    portal's pages gets None: it goes on as an anonymous request (see ``SessionSecurityMiddleware``)."""
    request.sign_out_reason = "idle"  # read by the audit signal handler
    staff_area = request.path.startswith(reverse("admin:index"))
    user_id = request.user.pk
    logout(request)
    request.session[ENDED_KEY] = user_id
    messages.info(
        request,
        _("Phiên làm việc đã kết thúc vì bạn không thao tác trong %(minutes)s phút. Vui lòng đăng nhập lại.")
        % {"minutes": limit // 60},
    )
    htmx = bool(request.headers.get("HX-Request"))
    if request.method not in ("GET", "HEAD") and not (staff_area or htmx):
        return None
    login_url = reverse("admin:login") if staff_area else resolve_url(settings.LOGIN_URL)
    if request.method in ("GET", "HEAD"):
        response = redirect_to_login(request.get_full_path(), login_url)
    else:  # an htmx action or a change in the Django admin is not kept to be sent again
        response = redirect_to_login("", login_url, redirect_field_name=None)
    if htmx:
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
                response = _idle_sign_out(request, limit)
                if response is not None:
                    return response
        response = self.get_response(request)
        if request.method == "POST" and _sends_to_sign_in(request, response):
            ended, owner = _ended_session(request)
            if ended:
                return _form_kept(request, owner)
        if _may_hold_a_user(request) and _signed_in(request):
            # Signed in again: whose session ended before no longer matters.
            request.session.pop(ENDED_KEY, None)
            last_seen = request.session.get(LAST_SEEN_KEY)
            stale = not isinstance(last_seen, int) or now - last_seen >= LAST_SEEN_PRECISION
            if stale and not getattr(request, "idle_probe", False):
                request.session[LAST_SEEN_KEY] = now
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, ["Cookie"])
        return response


def _sends_to_sign_in(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a view answered a signed-out request by sending it to the portal's sign-in page."""
    if response.status_code != 302 or _signed_in(request) or request.headers.get("HX-Request"):
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


def _ended_session(request: HttpRequest) -> tuple[bool, int | None]:
    """Whether the browser had a signed-in session that ended, and whose it was when that is known: an idle
    time-out (on this request or an earlier one), or a session cookie whose session the server no longer has (signed
    out from another device, lost). A visitor who never signed in is simply sent to sign in."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False, None
    owner = request.session.get(ENDED_KEY)
    if owner is not None:
        return True, owner
    return request.session.session_key is None, None


def _form_kept(request: HttpRequest, owner: int | None) -> HttpResponse:
    from portal.accounts import views_session  # views import allauth's forms; loaded on the first kept form

    kept = kept_post.post_keep(request, user_id=owner)
    response = views_session.session_ended_page(request, kept=kept)
    add_never_cache_headers(response)
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
