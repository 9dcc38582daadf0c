"""The signed-in user, kept in the shared cache instead of being read from the database on every request.

Each request of a signed-in person loads their user row (Django's ``get_user`` asks the session's backend), and
every staff page also reads the agencies they work in. Both change rarely, so the authentication backends
(``backends.py``) keep them, under a version token per account (``portal/versions.py``):

- any save or delete of the user, and any change to their agency memberships (``connect_signals``; the services that
  write memberships in bulk call ``accounts_changed`` themselves), gives the account a new token at once and again
  on commit, so the next request reads the database: a deactivated user, a changed role or a new password counts
  from the next request, as without the cache;
- the password hash and the personal id number are never put in the cache: the kept copy holds the session hash
  derived from the password (what Django compares the session with) and loads either field from the database if
  some code reads it;
- kept copies are bound to the secret key (rotating it still signs everyone out) and live at most
  ``PORTAL_SIGNED_IN_USER_CACHE_SECONDS`` (0 turns the cache off).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import m2m_changed, post_delete, post_save

from portal import versions
from portal.accounts.models import AgencyMembership, User

# Never copied into the cache; read from the database if some code asks for them.
NOT_KEPT = frozenset({"password", "personal_id"})
SESSION_HASH_ATTR = "_kept_session_auth_hash"


def _token_key(user_id: int) -> str:
    return f"account:{user_id}"


def _entry_key(user_id: int) -> str:
    secret = hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest()[:16]
    return f"signed-in-user:{secret}:{user_id}"


def accounts_changed(user_ids: Iterable[int]) -> None:
    """The kept copies of these users are stale (their row or their agencies changed)."""
    versions.replace(_token_key(user_id) for user_id in user_ids if user_id)


def signed_in_user(user_id: int, load: Callable[[int], User | None]) -> User | None:
    """The user ``load(user_id)`` returns (a backend's ``get_user``), from the cache while the account is unchanged."""
    seconds = settings.PORTAL_SIGNED_IN_USER_CACHE_SECONDS
    if seconds <= 0:
        return load(user_id)
    entry = _entry_key(user_id)
    kept, tokens, _found = versions.read(entry, [_token_key(user_id)])
    if kept is not None:
        return _restore(kept)
    user = load(user_id)
    if user is not None:
        versions.keep(entry, tokens, _snapshot(user), seconds)
    return user


def _snapshot(user: User) -> tuple[dict, str, list[int] | None]:
    fields = {
        field.attname: getattr(user, field.attname)
        for field in User._meta.concrete_fields
        if field.attname not in NOT_KEPT
    }
    agency_ids = user.agency_ids() if user.is_officer else None
    return fields, user.get_session_auth_hash(), agency_ids


def _restore(kept: tuple[dict, str, list[int] | None]) -> User:
    fields, session_hash, agency_ids = kept
    # The fields not kept are deferred: reading one loads it from the database.
    user = User.from_db(DEFAULT_DB_ALIAS, list(fields), list(fields.values()))
    setattr(user, SESSION_HASH_ATTR, session_hash)
    if agency_ids is not None:
        user._agency_ids = list(agency_ids)
    return user


def _user_changed(sender, instance: User, **kwargs) -> None:
    accounts_changed([instance.pk])


def _membership_changed(sender, instance: AgencyMembership, **kwargs) -> None:
    accounts_changed([instance.user_id])


def _agencies_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # user.agencies.add(...)
        accounts_changed([instance.pk])
    elif action == "pre_clear":  # agency.members.clear(): whoever is a member now
        accounts_changed(AgencyMembership.objects.filter(agency=instance).values_list("user_id", flat=True))
    else:  # agency.members.add(...)
        accounts_changed(pk_set)


def connect_signals() -> None:
    uid = "portal.accounts.kept_user"
    post_save.connect(_user_changed, sender=User, dispatch_uid=f"{uid}.user_saved")
    post_delete.connect(_user_changed, sender=User, dispatch_uid=f"{uid}.user_deleted")
    post_save.connect(_membership_changed, sender=AgencyMembership, dispatch_uid=f"{uid}.membership_saved")
    post_delete.connect(
        _membership_changed, sender=AgencyMembership, dispatch_uid=f"{uid}.membership_deleted"
    )
    m2m_changed.connect(_agencies_changed, sender=User.agencies.through, dispatch_uid=f"{uid}.agencies")
