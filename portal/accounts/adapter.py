"""How django-allauth behaves on this portal (``ACCOUNT_ADAPTER``, ``MFA_ADAPTER``).

- Sign-up can be closed (``PORTAL_SIGNUP_OPEN``). A sign-up with an address that another account already holds (a
  local account, or one the national single sign-on created with the provider's e-mail) makes no account and gets
  no access to the other one: allauth's enumeration prevention answers as for any sign-up and mails the address's
  owner instead. Usernames starting with ``vneid-`` are kept for accounts the single sign-on creates.
- E-mail verification is mandatory for accounts that signed up here (they carry allauth's primary address record).
  Accounts an administrator, the demo loader or the single sign-on created have none: whoever created them vouched
  for the address, and they sign in without one.
- A sign-in within ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` counts as a fresh confirmation of the password, so a member
  of staff sent to enrol their second factor right after signing in is not asked for it again.
- Wrong passwords count per account, whichever of its names was typed: the username and the e-mail address share
  one budget (``ACCOUNT_RATE_LIMITS["login_failed"]``, 5 in 5 minutes), so they do not add up to twice as many
  guesses; a name that matches no account is counted as typed (without case).
- Staff cannot remove their authenticator app (the second factor is mandatory for them, ``portal.accounts.mfa``).
- After signing in without a ``next`` address, staff land on their work page and citizens on their dossiers
  (``portal.accounts.landing``); a safe ``next`` still wins (allauth checks it before asking the adapter).
"""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.landing import landing_url
from portal.accounts.mfa import second_factor_required
from portal.accounts.selectors import account_id_for_login

SSO_USERNAME_PREFIX = "vneid-"  # portal.accounts.identities._identity_username
_ALLAUTH_STAGE = "allauth.account.stages.EmailVerificationStage"


def user_display(user) -> str:
    """``ACCOUNT_USER_DISPLAY``: how allauth names a user in its messages and e-mails."""
    return user.full_name or user.username


class SignUpEmailVerificationStage(EmailVerificationStage):
    """allauth's mandatory verification, for the accounts that signed up here (see the module docstring)."""

    def handle(self):
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk, primary=True).exists():
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.PORTAL_SIGNUP_OPEN

    def clean_username(self, username: str, shallow: bool = False) -> str:
        if username.lower().startswith(SSO_USERNAME_PREFIX):
            raise ValidationError(
                _(
                    "Tên đăng nhập bắt đầu bằng “%(prefix)s” dành cho tài khoản đăng nhập một lần; hãy chọn tên khác."
                )
                % {"prefix": SSO_USERNAME_PREFIX}
            )
        return super().clean_username(username, shallow=shallow)

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ):
        if message_template == "account/messages/logged_in.txt":
            return  # the header already shows who is signed in; a note would crowd the page the user came for
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys its "login_failed" limit on the typed name (pre_authenticate) and clears that key after a
        # password reset (_delete_login_attempts_cached_email): both come through here.
        account_id = account_id_for_login(
            email=credentials.get("email"), username=credentials.get("username")
        )
        if account_id is None:
            return super()._get_login_attempts_cache_key(request, **credentials)
        return f"{get_current_site(request).domain}:account:{account_id}"

    def get_login_redirect_url(self, request) -> str:
        return landing_url(request.user)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        if commit:
            user.save()
        return user

    def get_login_stages(self) -> list[str]:
        stages = super().get_login_stages()
        return [
            f"{SignUpEmailVerificationStage.__module__}.{SignUpEmailVerificationStage.__name__}"
            if stage == _ALLAUTH_STAGE
            else stage
            for stage in stages
        ]

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        records = get_authentication_records(request, request.user) if request.user.is_authenticated else []
        return not (records and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Cán bộ bắt buộc dùng ứng dụng xác thực nên không tự tắt được. Khi đổi hoặc mất điện thoại, hãy liên hệ "
            "quản trị viên để thiết lập lại."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and second_factor_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
