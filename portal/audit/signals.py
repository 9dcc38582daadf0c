"""Security events that other code announces with signals: Django's sign-in, sign-out and failed sign-in (the plain
login, the Django admin, single sign-on), and django-allauth's second-factor and password signals when allauth is
installed. Connected by ``AuditConfig.ready``."""

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from portal.audit import log

SSO_BACKEND = "portal.accounts.oidc.NationalSSOBackend"


def _sign_in_method(request, user) -> str:
    session = getattr(request, "session", None) or {}
    backend = session.get(BACKEND_SESSION_KEY) or getattr(user, "backend", "")
    return "sso" if backend == SSO_BACKEND else "password"


def on_logged_in(sender, request, user, **kwargs) -> None:
    log.sign_in(request, user, _sign_in_method(request, user))


def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        log.sign_out(request, user, getattr(request, "sign_out_reason", "user"))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password in ``credentials``; only the name typed is read.
    field = get_user_model().USERNAME_FIELD
    typed = credentials.get(field) or credentials.get("username") or credentials.get("email") or ""
    log.sign_in_failed(request, str(typed))


def _kind(authenticator) -> str:
    return str(getattr(authenticator, "type", "") or "")


def on_authenticator_added(sender, request, user, authenticator, **kwargs) -> None:
    log.mfa_enrolled(request, user, _kind(authenticator))


def on_authenticator_reset(sender, request, user, authenticator, **kwargs) -> None:
    log.mfa_reset(request, user, _kind(authenticator))


def on_authenticator_removed(sender, request, user, authenticator, **kwargs) -> None:
    log.mfa_removed(request, user, _kind(authenticator))


def on_mfa_failed(sender, request, user, authenticator=None, **kwargs) -> None:
    log.mfa_failed(request, user, _kind(authenticator))


def on_password_changed(sender, request, user, **kwargs) -> None:
    log.password_changed(request, user)


def on_password_set(sender, request, user, **kwargs) -> None:
    log.password_changed(request, user, first=True)


def on_password_reset(sender, request, user, **kwargs) -> None:
    log.password_reset(request, user)


def connect() -> None:
    uid = "portal.audit"
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid=f"{uid}.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    # allauth may or may not be installed (and its MFA part separately): connect only what is there.
    if apps.is_installed("allauth.account"):
        from allauth.account import signals as account_signals

        account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.password_changed")
        account_signals.password_set.connect(on_password_set, dispatch_uid=f"{uid}.password_set")
        account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.password_reset")
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa import signals as mfa_signals

        mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.mfa_added")
        mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.mfa_reset")
        mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid=f"{uid}.mfa_removed")
        failed = getattr(mfa_signals, "authentication_failed", None)  # allauth 65.x; absent in older versions
        if failed is not None:
            failed.connect(on_mfa_failed, dispatch_uid=f"{uid}.mfa_failed")
