"""Second-factor pages around allauth's: enrolment that also counts as this session's step, the recovery codes with
a way on, and the code page for staff who signed in without allauth (single sign-on, the Django admin's login)."""

from __future__ import annotations

from allauth.account.utils import get_next_redirect_url
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView
from allauth.mfa.totp.internal import flows as totp_flows
from allauth.mfa.totp.views import ActivateTOTPView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.generic.edit import FormView

from portal.accounts import mfa

RATE_LIMITED = frozenset({"too_many_login_attempts", "rate_limited"})


def _next_url(request) -> str | None:
    """The ``next`` parameter when it points into this site, else None."""
    return get_next_redirect_url(request)


def form_error_status(form) -> int:
    """400 for a refused form, 429 when allauth refused it for too many attempts."""
    codes = {error.code for errors in form.errors.as_data().values() for error in errors}
    return 429 if codes & RATE_LIMITED else 400


class EnrolTOTPView(ActivateTOTPView):
    """allauth's activation of an authenticator app. For staff the page says why it is mandatory; a correct code
    proves the user holds the app, so it counts as this session's second-factor step too."""

    def get_context_data(self, **kwargs) -> dict:
        return {
            **super().get_context_data(**kwargs),
            "mandatory": mfa.second_factor_required(self.request.user),
        }

    def form_valid(self, form) -> HttpResponse:
        totp, recovery_codes = totp_flows.activate_totp(self.request, form)
        self.did_generate_recovery_codes = bool(recovery_codes)
        mfa.enrolment_record(self.request, totp)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=form_error_status(form))

    def get_success_url(self) -> str:
        url = super().get_success_url()
        after = _next_url(self.request)
        return f"{url}?{urlencode({'next': after})}" if after else url


class RecoveryCodesView(ViewRecoveryCodesView):
    """allauth's recovery codes page, with the way back to where the user was going."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["next_url"] = _next_url(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)
        return context


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_required, name="dispatch")
class SecondFactorView(FormView):
    """The code from the authenticator app (or a recovery code), for a session that has not passed the second factor.

    allauth's form checks the code, limits wrong attempts per user and writes allauth's record of the step.
    """

    template_name = "mfa/staff_verify.html"
    form_class = AuthenticateForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not mfa.has_authenticator(user):
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        if user.is_authenticated and mfa.second_factor_passed(request, user):
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self) -> str:
        return _next_url(self.request) or resolve_url(settings.LOGIN_REDIRECT_URL)

    def form_valid(self, form) -> HttpResponse:
        form.save()
        mfa.session_renew(self.request)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=form_error_status(form))


enrol_totp = EnrolTOTPView.as_view()
recovery_codes = RecoveryCodesView.as_view()
second_factor = SecondFactorView.as_view()
