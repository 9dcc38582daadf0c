"""The authentication backends the portal signs people in with. The signed-in user is read from the database on
every request (role, ``is_active``, the password hash the session is checked against), never from a cache."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from portal.prepared import NO_ID, Prepared

# The signed-in user's row, on every request: compiled once per process (portal/prepared.py), read every time.
_user_by_id = Prepared(lambda pk: get_user_model()._default_manager.filter(pk=pk), sentinel=NO_ID)


class ActiveUserMixin:
    def get_user(self, user_id):
        found = _user_by_id(user_id)
        # Every backend, single sign-on's too, ends the session of a deactivated user.
        return found[0] if found and found[0].is_active else None


class PasswordBackend(ActiveUserMixin, ModelBackend):
    """Username and password: the Django admin's login, and tests that sign in directly."""


class UsernameOrEmailBackend(ActiveUserMixin, AuthenticationBackend):
    """allauth's sign-in page: username or e-mail address, and password."""
