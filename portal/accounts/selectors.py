"""Reads that check who may see what: a person's own data (profile page, export) and the staff an admin manages.

Everything here starts from the signed-in user: a profile read never takes another person's id, and an admin
asking for a member of staff outside their scope gets 404, the same answer as for an account that does not exist.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.accounts.models import AccountDeletionRequest, AgencyMembership, User
from portal.accounts.personal_data import personal_data_contributed
from portal.agencies.models import Agency

Role = User.Role
ADMIN_ROLES = frozenset({Role.DEPARTMENT_ADMIN, Role.PROVINCE_ADMIN})
# In the order of User.Role, so forms list them as the model does.
STAFF_ROLES_ORDERED = tuple(role for role in Role if role in User.STAFF_ROLES)
# What a department admin may grant: the working roles, never an admin role.
DEPARTMENT_GRANTABLE = (Role.ONESTOP_OFFICER, Role.HANDLING_OFFICER, Role.LEADER)


# --- sign-in ---------------------------------------------------------------------------------------------------------


def account_id_for_login(*, email: str | None = None, username: str | None = None) -> int | None:
    """The id of the one account a typed sign-in name points at, as allauth's sign-in matches it: an e-mail address
    (allauth's address records or the account's own field, any case), else a username (any case); None when it
    points at no account, or at several (an address shared by accounts an administrator made)."""
    from allauth.account.models import EmailAddress

    if email:
        ids = set(EmailAddress.objects.filter(email__iexact=email).values_list("user_id", flat=True))
        ids |= set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
        if ids:
            return ids.pop() if len(ids) == 1 else None
    if username:
        ids = list(User.objects.filter(username__iexact=username).values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return ids[0]
    return None


# --- profile -------------------------------------------------------------------------------------------------------


def personal_id_masked(value: str) -> str:
    """``********1234``: enough for a person to recognise their number, never the number itself."""
    if not value:
        return ""
    shown = 4 if len(value) > 4 else 0
    return "*" * (len(value) - shown) + value[len(value) - shown :]


def profile_from_sso(user: User) -> bool:
    """Name, personal id and birth date of a user with a national identity come from the national population
    database (each sign-in refreshes them), so the profile shows them but does not let them be edited."""
    return user.external_identities.exists()


def user_sessions_enabled() -> bool:
    return apps.is_installed("allauth.usersessions")


def sessions_of(*, user: User, current_key: str | None) -> list:
    """The user's open sessions (allauth.usersessions), this device first, then the most recently used; sessions
    that ended elsewhere (signed out, expired) are dropped on the way."""
    if not user_sessions_enabled():
        return []
    from allauth.usersessions.models import UserSession

    sessions = UserSession.objects.purge_and_list(user)
    for session in sessions:
        session.is_this_device = bool(current_key) and session.session_key == current_key
    return sorted(sessions, key=lambda s: (not s.is_this_device, -s.last_seen_at.timestamp()))


def deletion_request_pending(user: User) -> AccountDeletionRequest | None:
    return user.deletion_requests.filter(state=AccountDeletionRequest.State.PENDING).first()


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data_of(*, user: User, current_key: str | None = None) -> dict:
    """Everything the portal keeps about ``user`` that is theirs to take away, as JSON-ready values.

    The national identities are listed without the provider's claims (those may carry tokens' bookkeeping); what
    the other apps keep (the dossiers, the vault, notifications, …) comes from the functions they registered
    (``personal_data.py``); nothing about anyone else.
    """
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email,
            "phone": user.phone,
            "personal_id": user.personal_id,
            "birth_date": _iso(user.birth_date),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "role": user.role,
            "role_label": str(user.get_role_display()),
            "job_title": user.job_title,
            "agencies": [
                {"code": m.agency.code, "name": m.agency.name, "since": _iso(m.since)}
                for m in user.memberships.select_related("agency").order_by("agency__code")
            ],
        },
        "notification_preferences": {"email": user.notify_email, "sms": user.notify_sms},
        "identities": [
            {
                "issuer": identity.issuer,
                "subject": identity.subject,
                "tech_id": identity.tech_id,
                "is_organisation": identity.is_organisation,
                "linked_at": _iso(identity.created_at),
                "last_login_at": _iso(identity.last_login_at),
            }
            for identity in user.external_identities.order_by("created_at", "pk")
        ],
        "sessions": [
            {
                "ip": session.ip,
                "user_agent": session.user_agent,
                "created_at": _iso(session.created_at),
                "last_seen_at": _iso(session.last_seen_at),
                "this_device": session.is_this_device,
            }
            for session in sessions_of(user=user, current_key=current_key)
        ],
        "deletion_requests": [
            {
                "requested_at": _iso(item.requested_at),
                "reason": item.reason,
                "state": item.state,
                "handled_at": _iso(item.handled_at),
            }
            for item in user.deletion_requests.order_by("requested_at", "pk")
        ],
        **personal_data_contributed(user),
    }


# --- staff management ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffScope:
    """What an admin manages: every agency and role (province admin), or the working roles in their own agencies
    (department admin)."""

    actor: User
    everywhere: bool
    agency_ids: frozenset[int]
    roles: tuple[str, ...]

    def agencies(self) -> QuerySet[Agency]:
        agencies = Agency.objects.filter(is_active=True)
        return agencies if self.everywhere else agencies.filter(pk__in=self.agency_ids)

    def staff(self) -> QuerySet[User]:
        users = User.objects.filter(role__in=self.roles)
        if not self.actor.is_superuser:
            users = users.filter(is_superuser=False)
        if self.everywhere:
            return users
        members = AgencyMembership.objects.filter(agency_id__in=self.agency_ids).values("user_id")
        return users.filter(pk__in=members)

    def may_grant(self, role: str) -> bool:
        return role in self.roles


def staff_scope_for(user: User) -> StaffScope | None:
    """The admin's scope, or None for anyone who does not manage staff (citizens, officers, leaders)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_province_admin:
        return StaffScope(actor=user, everywhere=True, agency_ids=frozenset(), roles=STAFF_ROLES_ORDERED)
    if user.role == Role.DEPARTMENT_ADMIN:
        agency_ids = frozenset(user.agency_ids())
        return StaffScope(actor=user, everywhere=False, agency_ids=agency_ids, roles=DEPARTMENT_GRANTABLE)
    return None


def staff_list_for(*, scope: StaffScope, agency: Agency | None = None, role: str = "", query: str = ""):
    users = scope.staff()
    if agency is not None:
        users = users.filter(pk__in=AgencyMembership.objects.filter(agency=agency).values("user_id"))
    if role:
        users = users.filter(role=role)
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(full_name__icontains=query) | Q(email__icontains=query)
        )
    return users.prefetch_related("memberships__agency").order_by("-is_active", "full_name", "username")


def staff_get_in_scope(*, scope: StaffScope, pk: int, for_update: bool = False) -> User:
    """A member of staff the admin manages; anyone else (another agency's staff, an admin, a citizen, nobody)
    is 404."""
    users = scope.staff()
    if for_update:
        users = User.objects.select_for_update(no_key=True).filter(pk__in=users.values("pk"))
    user = users.filter(pk=pk).first()
    if user is None:
        raise Http404("Không tìm thấy cán bộ")
    return user
