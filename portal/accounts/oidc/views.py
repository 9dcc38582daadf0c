"""The library's authenticate and callback views, adapted: linking an identity to the signed-in user, one friendly
page for every way a callback can fail, and RP-initiated logout at the provider."""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal.accounts.landing import landing_url
from portal.accounts.models import User
from portal.accounts.oidc.failures import Reason, SSOFailure, sso_configured, sso_failure_response
from portal.http import client_address

security_log = logging.getLogger("portal.security")


def log_sso_signed_in(request: HttpRequest, user: User) -> None:
    security_log.info("event=sso_sign_in user=%s ip=%s", user.pk, client_address(request))


def log_sso_linked(request: HttpRequest, user: User) -> None:
    security_log.info("event=sso_link user=%s ip=%s", user.pk, client_address(request))


def log_sso_failed(request: HttpRequest, reason: Reason, detail: str) -> None:
    user = request.user.pk if request.user.is_authenticated else "-"
    security_log.warning(
        "event=sso_failure reason=%s detail=%s user=%s ip=%s",
        reason.value,
        detail[:200],
        user,
        client_address(request),
    )


class SSOAuthenticateView(OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: off when SSO is not configured; can mark a flow as linking the signed-in user."""

    def get(self, request):
        if not sso_configured():
            return sso_failure_response(request, Reason.NOT_CONFIGURED)
        return self.start(request)

    def start(self, request: HttpRequest, *, link_user: User | None = None) -> HttpResponse:
        response = super().get(request)
        if link_user is not None:
            # The state entry is this flow's own record (the library keeps one per state), so a second tab that signs
            # in at the same time is not mistaken for the link.
            state = parse_qs(urlsplit(response.url).query)["state"][0]
            request.session["oidc_states"][state]["link_user_id"] = link_user.pk
            request.session["oidc_login_next"] = reverse("accounts:identities")
            request.session.modified = True
        return response


def sso_link_start(request: HttpRequest) -> HttpResponse:
    """Send the signed-in user to the provider; the identity that comes back is attached to them."""
    if not sso_configured():
        return sso_failure_response(request, Reason.NOT_CONFIGURED)
    view = SSOAuthenticateView()
    view.setup(request)
    return view.start(request, link_user=request.user)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: every failure ends on a friendly page with a status code, never an error trace."""

    link_user_id: int | None = None

    @property
    def success_url(self) -> str:
        # The ``next`` the sign-on started with (checked when it was stored), else where this user works.
        return self.request.session.get("oidc_login_next") or landing_url(self.request.user)

    def get(self, request):
        if not sso_configured():
            return sso_failure_response(request, Reason.NOT_CONFIGURED)
        state = request.GET.get("state")
        states = request.session.get("oidc_states")
        flow = states.get(state) if isinstance(states, dict) and isinstance(state, str) else None
        if not isinstance(flow, dict):
            return self.fail(Reason.STALE, "no flow of this session has that state")
        self.link_user_id = flow.get("link_user_id")
        if request.GET.get("error") or not request.GET.get("code"):
            # Forget the state so that the same answer cannot be played again.
            del states[state]
            request.session.modified = True
            if request.GET.get("error"):
                code = re.sub(r"[^a-z_]", "", str(request.GET["error"])[:64])
                return self.fail(Reason.PROVIDER_REFUSED, f"provider error {code}")
            return self.fail(Reason.STALE, "callback without a code")
        if self.link_user_id is not None:
            if request.user.pk != self.link_user_id:
                del states[state]
                request.session.modified = True
                return self.fail(Reason.STALE, "the user who started linking is no longer signed in")
            request.sso_link_user = request.user
        try:
            return super().get(request)
        except SSOFailure as failure:
            return self.fail(failure.reason, failure.detail)
        except SuspiciousOperation as exc:
            return self.fail(Reason.TOKEN_REJECTED, str(exc))

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            return self.fail(Reason.INACTIVE, "account is inactive")
        return self.fail(Reason.TOKEN_REJECTED, "the backend returned no user")

    def login_success(self):
        response = super().login_success()
        if self.link_user_id is not None:
            log_sso_linked(self.request, self.user)
            messages.success(
                self.request, _("Đã liên kết tài khoản định danh quốc gia với tài khoản của bạn.")
            )
        else:
            log_sso_signed_in(self.request, self.user)
        return response

    def fail(self, reason: Reason, detail: str) -> HttpResponse:
        log_sso_failed(self.request, reason, detail)
        retry_url = reverse("accounts:identities") if self.link_user_id is not None else None
        return sso_failure_response(self.request, reason, retry_url=retry_url)


def provider_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session URL for this session, or None when there is none to end there."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (endpoint and id_token):
        return None
    # The address the provider returns to must match what is registered there, whatever language the page is in.
    with translation.override(settings.LANGUAGE_CODE):
        after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"


def logout_url(request: HttpRequest) -> str:
    """``OIDC_OP_LOGOUT_URL_METHOD``: where ``/oidc/logout/`` sends the user after ending the local session."""
    return provider_logout_url(request) or resolve_url(settings.LOGOUT_REDIRECT_URL)
