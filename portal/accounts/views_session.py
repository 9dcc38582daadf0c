"""The session time-out warning's endpoints, and the pages that keep a form posted after the session ended.

- ``session_status`` (GET, JSON): how long the session has left; asking does not count as activity, so a page left
  open does not keep itself signed in.
- ``session_extend`` (POST with the CSRF token): counts as activity and answers how long the session now has (JSON
  to the page's script; a plain form post goes back to the page it came from).
- ``session_ended_page``: the sign-in page, for a form that arrived after the session ended, saying that its text
  was kept (``SessionSecurityMiddleware`` answers it).
- ``resubmit`` (GET, signed in): the kept text and a "Gửi lại" button that posts it to where it was going.
"""

from __future__ import annotations

from allauth.account import app_settings as account_settings
from allauth.account.forms import LoginForm
from allauth.utils import get_form_class
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.kept_post import KeptPost, post_take, same_site_path
from portal.accounts.landing import landing_url
from portal.accounts.oidc import sso_configured
from portal.accounts.session_security import idle_probe, seconds_left, session_touch


def _signed_out() -> JsonResponse:
    return JsonResponse({"signed_in": False}, status=401)


@require_safe
@never_cache
@idle_probe
def session_status(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _signed_out()
    return JsonResponse(
        {"signed_in": True, "seconds_left": seconds_left(request, counting_this_request=False)}
    )


@require_POST
@never_cache
def session_extend(request: HttpRequest) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not request.user.is_authenticated:
        return _signed_out() if wants_json else redirect("accounts:login")
    session_touch(request)
    if wants_json:
        return JsonResponse({"signed_in": True, "seconds_left": seconds_left(request)})
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure())
    return redirect(back if safe and back else landing_url(request.user))


def session_ended_page(request: HttpRequest, *, kept: KeptPost | None) -> HttpResponse:
    """The sign-in page for a form that arrived after the session ended; after signing in, the person goes to the
    page that sends the kept text again (or, with nothing kept, back to the form's page)."""
    after = (
        reverse("accounts:resubmit") if kept else same_site_path(request, request.headers.get("Referer", ""))
    )
    form_class = get_form_class(account_settings.FORMS, "login", LoginForm)
    context = {
        "form": form_class(request=request),
        "redirect_field_value": after,
        "redirect_field": format_html('<input type="hidden" name="next" value="{}">', after) if after else "",
        "sso_enabled": sso_configured(),
        "signup_open": False,
        "session_ended": True,
        "kept_post": kept,
    }
    return render(request, "accounts/login.html", context, status=401)


@require_safe
@login_required
@never_cache
def resubmit(request: HttpRequest) -> HttpResponse:
    kept = post_take(request)
    if kept is None:
        return redirect(landing_url(request.user))
    return render(
        request,
        "accounts/resubmit.html",
        {"kept": kept, "back": kept.back or landing_url(request.user)},
    )
