"""The authentication backends the portal signs people in with. The signed-in user is read from the database on
every request (role, ``is_active``, the password hash the session is checked against), never from a cache."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


class ActiveUserMixin:
    def get_user(self, user_id):
        user = super().get_user(user_id)
        # Every backend, single sign-on's too, ends the session of a deactivated user.
        return user if user is not None and user.is_active else None


class PasswordBackend(ActiveUserMixin, ModelBackend):
    """Username and password: the Django admin's login, and tests that sign in directly."""


class UsernameOrEmailBackend(ActiveUserMixin, AuthenticationBackend):
    """allauth's sign-in page: username or e-mail address, and password."""
