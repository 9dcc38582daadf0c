"""The second factor that staff pass before the portal opens to them.

Every member of staff (a role in ``User.STAFF_ROLES``, or Django's ``is_staff``/``is_superuser``) needs a TOTP
authenticator (allauth.mfa) and, in this session, a passed second-factor step. Until then each page except those that
finish signing in (``FINISH_SIGN_IN_VIEWS``: enrolment, the code page, re-authentication, signing out) redirects: to
the enrolment page without an authenticator, to the code page with one. A new staff page needs nothing to be covered.
Citizens are never asked; they may turn the second factor on themselves.

The step is allauth's own record of an ``mfa`` authentication in the session (``get_authentication_records``).
allauth's sign-in page writes it when a user with an authenticator signs in with a password. Single sign-on and the
Django admin's login sign in without allauth, so ``views_mfa.SecondFactorView`` asks for the code and writes the same
record; a completed enrolment writes it too (the user has just proved they hold the app). Both give the session a new
key.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

MFA_METHOD = "mfa"  # allauth's name for a second-factor step in its authentication records

# Pages a member of staff may open before the second factor: those that finish (or abandon) signing in. Never the
# recovery codes: a password alone (re-entered at "account_reauthenticate") would show them, and one of them passes
# the code page. Enrolment counts as the step, so the codes it shows next open after it.
FINISH_SIGN_IN_VIEWS = frozenset(
    {
        "accounts:logout",
        "account_logout",
        "admin:logout",
        "accounts:mfa_verify",
        # The session time-out warning shows on the enrolment and code pages too.
        "accounts:session_status",
        "accounts:session_extend",
        "accounts:sso_failed",
        "mfa_activate_totp",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "oidc_authentication_init",
        "oidc_authentication_callback",
        "oidc_logout",
    }
)


def second_factor_required(user) -> bool:
    """Staff must pass a second factor: officers of every role, and users of Django's admin."""
    return bool(
        user.is_authenticated and (getattr(user, "is_officer", False) or user.is_staff or user.is_superuser)
    )


def second_factor_passed(request: HttpRequest, user) -> bool:
    """Whether this session holds allauth's record of a second-factor step by ``user``."""
    return any(record.get("method") == MFA_METHOD for record in get_authentication_records(request, user))


def has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def session_renew(request: HttpRequest) -> None:
    """A new session key after a second-factor step; the user's session list (allauth.usersessions) follows it."""
    old_key = request.session.session_key
    request.session.cycle_key()
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        new_key = request.session.session_key
        if not (old_key and UserSession.objects.filter(session_key=old_key).update(session_key=new_key)):
            UserSession.objects.create_from_request(request)


def enrolment_record(request: HttpRequest, authenticator) -> None:
    """Count a completed enrolment as this session's second-factor step: the user has just entered a code."""
    record_authentication(
        request, request.user, MFA_METHOD, id=authenticator.pk, type=authenticator.type, enrolled=True
    )
    session_renew(request)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method in ("GET", "HEAD"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class StaffSecondFactorMiddleware:
    """Send staff who have not passed the second factor in this session to enrolment or to the code page.

    Costs nothing for citizens and for staff who passed it (the session is read already); one query otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None  # nobody is signed in yet; reading request.user would read the session for nothing
        user = getattr(request, "user", None)
        if user is None or not second_factor_required(user):
            return None
        if request.resolver_match.view_name in FINISH_SIGN_IN_VIEWS or second_factor_passed(request, user):
            return None
        step = "accounts:mfa_verify" if has_authenticator(user) else "mfa_activate_totp"
        target = _with_next(reverse(step), request)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)  # htmx would swap the page into a fragment
        return HttpResponseRedirect(target)
