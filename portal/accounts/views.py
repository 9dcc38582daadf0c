from allauth.account import views as allauth_views
from allauth.account.adapter import get_adapter
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from portal.accounts.oidc import provider_logout_url, sso_configured, sso_link_start
from portal.accounts.views_mfa import form_error_status


class SignInView(allauth_views.LoginView):
    """allauth's sign-in (username or e-mail address and password; rate limits, e-mail verification and the second
    factor come with it), and the button to the national portal's single sign-on when it is configured."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # allauth adds the request's host as "site", hiding the portal's own (name, hotline, e-mail) in base.html.
        context.pop("site", None)
        signup_open = get_adapter(self.request).is_open_for_signup(self.request)
        return {**context, "sso_enabled": sso_configured(), "signup_open": signup_open}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=form_error_status(form))


class SignOutView(auth_views.LogoutView):
    """End the local session and, after a single sign-on, the provider's session too (RP-initiated logout)."""

    def post(self, request, *args, **kwargs):
        at_provider = provider_logout_url(request) if request.user.is_authenticated else None
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response


@login_required
def identities(request: HttpRequest) -> HttpResponse:
    """The national identities linked to the signed-in account, and the button to link one."""
    return render(
        request,
        "accounts/identities.html",
        {
            "identities": request.user.external_identities.order_by("created_at"),
            "sso_enabled": sso_configured(),
        },
    )


@require_POST
@login_required
def identity_link(request: HttpRequest) -> HttpResponse:
    return sso_link_start(request)
