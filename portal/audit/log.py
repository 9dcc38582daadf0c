"""One function per audited security event (as open-formulieren does it).

Each writes an ``AuditEvent`` row (inside the caller's transaction, so a change that rolls back leaves no event) and
one structured line on the ``portal.audit`` logger. ``request`` may be None (a task, a management command): the
event then has no address and no request id. Personal ids are scrubbed from the username and the details; a
password is never passed here.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest

from portal.audit.middleware import current_request_id
from portal.audit.models import AuditEvent
from portal.audit.scrub import mask_text, scrub
from portal.http import client_address

logger = logging.getLogger("portal.audit")
Event = AuditEvent.Event
USERNAME_LENGTH = AuditEvent._meta.get_field("username").max_length


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _saved_user(user) -> Any:
    """The user as a foreign key value: None for an anonymous or unsaved user."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return user


def record(
    event: AuditEvent.Event,
    request: HttpRequest | None,
    *,
    user=None,
    actor=None,
    username: str = "",
    **details: Any,
) -> AuditEvent:
    """Write one event; the named functions below are what the rest of the portal calls."""
    user, actor = _saved_user(user), _saved_user(actor)
    entry = AuditEvent.objects.create(
        event=event,
        user=user,
        actor=actor,
        username=mask_text(username[:USERNAME_LENGTH]),
        ip=_ip(request),
        request_id=(getattr(request, "request_id", "") or current_request_id())[:64],
        details=scrub(details),
    )
    logger.info(
        "audit event=%s user=%s actor=%s username=%s ip=%s details=%s",
        entry.event,
        entry.user_id or "-",
        entry.actor_id or "-",
        json.dumps(entry.username, ensure_ascii=False) if entry.username else "-",
        entry.ip or "-",
        json.dumps(entry.details, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder),
        extra={"audit_event": entry.event, "request_id": entry.request_id or None},
    )
    return entry


def _agency_codes(items: Iterable[Any]) -> list[str]:
    codes = []
    for item in items or ():
        agency = getattr(item, "agency", item)  # an AgencyMembership or an Agency
        codes.append(str(getattr(agency, "code", None) or getattr(agency, "pk", agency)))
    return sorted(codes)


# --- Signing in and out ----------------------------------------------------------------------------------------------


def sign_in(request: HttpRequest | None, user, method: str) -> AuditEvent:
    """``method``: "password", "sso" (the national portal), …"""
    view = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return record(Event.SIGN_IN, request, user=user, method=method, view=view)


def sign_in_failed(request: HttpRequest | None, username: str) -> AuditEvent:
    """A wrong password or an unknown name. Only the name typed is kept (cut to 150 characters), never the password."""
    view = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return record(Event.SIGN_IN_FAILED, request, username=str(username or ""), view=view)


def sign_in_throttled(request: HttpRequest | None, *, path: str, username: str = "") -> AuditEvent:
    """A sign-in path stopped answering an address or a username for a while (written once per window)."""
    return record(Event.SIGN_IN_THROTTLED, request, username=username, path=path)


def sign_out(request: HttpRequest | None, user, reason: str = "user") -> AuditEvent:
    """``reason``: "user" (pressed sign out) or "idle" (the session ran out of time)."""
    return record(Event.SIGN_OUT, request, user=user, reason=reason)


# --- Second factor ---------------------------------------------------------------------------------------------------


def mfa_enrolled(request: HttpRequest | None, user, kind: str) -> AuditEvent:
    return record(Event.MFA_ENROLLED, request, user=user, kind=kind)


def mfa_reset(request: HttpRequest | None, user, kind: str) -> AuditEvent:
    return record(Event.MFA_RESET, request, user=user, kind=kind)


def mfa_removed(request: HttpRequest | None, user, kind: str) -> AuditEvent:
    return record(Event.MFA_REMOVED, request, user=user, kind=kind)


def mfa_failed(request: HttpRequest | None, user, kind: str) -> AuditEvent:
    return record(Event.MFA_FAILED, request, user=user, kind=kind)


# --- Passwords and identities ----------------------------------------------------------------------------------------


def password_changed(request: HttpRequest | None, user, *, first: bool = False) -> AuditEvent:
    """``first``: a password set on an account that had none (one made by single sign-on)."""
    return record(Event.PASSWORD_CHANGED, request, user=user, first=first)


def password_reset(request: HttpRequest | None, user) -> AuditEvent:
    return record(Event.PASSWORD_RESET, request, user=user)


def sso_linked(request: HttpRequest | None, user, issuer: str) -> AuditEvent:
    return record(Event.SSO_LINKED, request, user=user, issuer=issuer)


def sso_unlinked(request: HttpRequest | None, user, issuer: str, *, actor=None) -> AuditEvent:
    return record(Event.SSO_UNLINKED, request, user=user, actor=actor, issuer=issuer)


# --- Staff and roles -------------------------------------------------------------------------------------------------


def role_changed(request: HttpRequest | None, *, actor, user, old, new) -> AuditEvent:
    return record(Event.ROLE_CHANGED, request, user=user, actor=actor, old=str(old), new=str(new))


def membership_changed(
    request: HttpRequest | None, *, actor, user, added: Iterable[Any], removed: Iterable[Any]
) -> AuditEvent:
    """``added`` and ``removed``: agencies (or memberships, or agency codes)."""
    return record(
        Event.MEMBERSHIP_CHANGED,
        request,
        user=user,
        actor=actor,
        added=_agency_codes(added),
        removed=_agency_codes(removed),
    )


def staff_created(
    request: HttpRequest | None, *, actor, user, role=None, agencies: Iterable[Any] = ()
) -> AuditEvent:
    """``role`` defaults to the new account's role; ``agencies``: agencies (or memberships, or codes)."""
    return record(
        Event.STAFF_CREATED,
        request,
        user=user,
        actor=actor,
        role=str(role if role is not None else getattr(user, "role", "")),
        agencies=_agency_codes(agencies),
    )


# --- Personal data ---------------------------------------------------------------------------------------------------


def account_exported(request: HttpRequest | None, user) -> AuditEvent:
    return record(Event.ACCOUNT_EXPORT, request, user=user)


def account_deletion_requested(request: HttpRequest | None, user) -> AuditEvent:
    return record(Event.ACCOUNT_DELETION_REQUESTED, request, user=user)
