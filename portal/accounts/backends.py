"""The authentication backends the portal signs people in with, each reading the signed-in user through the cache
of ``kept_user`` on the requests that follow (Django asks the backend that signed the session in)."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from portal.accounts.kept_user import signed_in_user


class KeptUserMixin:
    def get_user(self, user_id):
        user = signed_in_user(user_id, super().get_user)
        # Every backend, single sign-on's too, ends the session of a deactivated user.
        return user if user is not None and user.is_active else None


class PasswordBackend(KeptUserMixin, ModelBackend):
    """Username and password: the Django admin's login, and tests that sign in directly."""


class UsernameOrEmailBackend(KeptUserMixin, AuthenticationBackend):
    """allauth's sign-in page: username or e-mail address, and password."""
