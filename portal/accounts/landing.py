"""Where a person lands after signing in when the sign-in carries no safe ``next`` address of its own.

Citizens land on their dossiers (``LOGIN_REDIRECT_URL``). Staff land where they work: officers with a queue (one-stop
officers, handling officers, leaders) on the officer home, whose URL is looked up by name (``OFFICER_HOME``) because
the core does not import the dossiers app; department and province admins, who have no queue, on staff management;
users of the Django admin without a portal role on the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from portal.accounts.models import User
from portal.accounts.selectors import staff_scope_for

OFFICER_HOME = "dossiers:officer_home"
QUEUE_ROLES = frozenset({User.Role.ONESTOP_OFFICER, User.Role.HANDLING_OFFICER, User.Role.LEADER})


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def landing_url(user) -> str:
    """The page ``user`` starts from after signing in (see the module docstring)."""
    if user.is_authenticated and user.is_active:
        if user.role in QUEUE_ROLES and (url := _reverse_or_none(OFFICER_HOME)):
            return url
        if staff_scope_for(user) is not None:
            return reverse("accounts:staff_list")
        if user.is_officer and (url := _reverse_or_none(OFFICER_HOME)):
            return url
        if user.is_staff:
            return reverse("admin:index")
    return resolve_url(settings.LOGIN_REDIRECT_URL)
