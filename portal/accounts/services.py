import hashlib
import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts import kept_user, selectors
from portal.accounts.models import AccountDeletionRequest, AgencyMembership, ExternalIdentity, User
from portal.agencies.models import Agency
from portal.audit import log as audit

logger = logging.getLogger("portal.accounts")

# username, role, agency code (None: no agency), superuser. The agencies are An Giang's (agencies/data/91.json):
# the one-stop officer works at the provincial service centre, the others in the Department of Justice.
DEMO_ACCOUNTS = [
    ("congdan", User.Role.CITIZEN, None, False),
    ("motcua", User.Role.ONESTOP_OFFICER, "000.00.01.H01", False),
    ("chuyenvien", User.Role.HANDLING_OFFICER, "000.00.05.H01", False),
    ("lanhdao", User.Role.LEADER, "000.00.05.H01", False),
    ("quantri", User.Role.DEPARTMENT_ADMIN, "000.00.05.H01", False),
    ("admin", User.Role.PROVINCE_ADMIN, None, True),
]
DEMO_NAMES = {
    "congdan": "Nguyễn Văn An",
    "motcua": "Trần Thị Bình",
    "chuyenvien": "Lê Minh Châu",
    "lanhdao": "Phạm Quốc Dũng",
    "quantri": "Võ Thị Hạnh",
    "admin": "Quản trị hệ thống",
}
# The demo citizen stands for an account of the national sign-on: its personal id is in the stand-in population
# database (integrations/standin/population.py DEMO_PERSON), so the draft form can be pre-filled in the demo.
DEMO_PERSONAL_ID = "091090000001"


@transaction.atomic
def demo_accounts_create(*, password: str) -> list[User]:
    """Create or reset the demo accounts (development only; the command refuses to run in production)."""
    users = []
    for username, role, agency_code, is_superuser in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.full_name = DEMO_NAMES[username]
        if role == User.Role.CITIZEN:
            user.personal_id = DEMO_PERSONAL_ID
        user.email = f"{username}@example.invalid"
        user.is_superuser = is_superuser
        # Django's admin is where department admins keep their catalogue in this first version.
        user.is_staff = is_superuser or role in {User.Role.DEPARTMENT_ADMIN, User.Role.PROVINCE_ADMIN}
        user.set_password(password)
        user.save()
        if agency_code:
            agency = Agency.objects.filter(code=agency_code).first()
            if agency:
                AgencyMembership.objects.get_or_create(user=user, agency=agency)
        users.append(user)
    return users


# --- Identities from the national portal's single sign-on (portal/accounts/oidc.py) -------------------------------


class IdentityTaken(Exception):
    """The identity already belongs to another user."""


class AlreadyLinked(Exception):
    """The user already holds another identity from the same provider."""


class IdentityConflict(Exception):
    """The provider's keys contradict what is stored (a subject seen before with another TechID)."""


def _identity_find(*, issuer: str, subject: str, tech_id: str) -> ExternalIdentity | None:
    identities = ExternalIdentity.objects.select_for_update(of=("self",)).select_related("user")
    if tech_id:
        identity = identities.filter(issuer=issuer, tech_id=tech_id).first()
        if identity is not None:
            return identity
    identity = identities.filter(issuer=issuer, subject=subject).first()
    if identity is not None and tech_id and identity.tech_id and identity.tech_id != tech_id:
        raise IdentityConflict("a stored subject comes back with another TechID")
    return identity


def _user_apply_profile(user: User, profile, *, contact: bool) -> list[str]:
    """Copy the provider's data onto the user. Name, personal id and birth date come from the national population
    database, so the provider's values win; e-mail and phone are the user's contact choice, so they are only filled
    in when ``contact`` (a new account) or when the user has none."""
    changed = []
    for field in ("full_name", "personal_id", "birth_date"):
        value = getattr(profile, field)
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    for field in ("email", "phone"):
        value = getattr(profile, field)
        if value and (contact or not getattr(user, field)) and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    return changed


def _identity_username(*, issuer: str, key: str) -> str:
    base = "vneid-" + hashlib.sha256(f"{issuer}\n{key}".encode()).hexdigest()[:12]
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"
    return username


def _identity_refresh(identity: ExternalIdentity, *, subject: str, profile, claims: dict) -> None:
    identity.subject = subject  # with a TechID the subject may change between sign-ins; TechID is the key
    identity.tech_id = profile.tech_id or identity.tech_id
    identity.is_organisation = profile.is_organisation
    identity.claims = claims
    identity.last_login_at = timezone.now()
    try:
        with transaction.atomic():
            identity.save()
    except IntegrityError as exc:
        raise IdentityConflict("the new subject is stored for another identity") from exc


@transaction.atomic
def external_identity_sign_in(*, issuer: str, subject: str, profile, claims: dict) -> User:
    """The user for this identity: found by issuer and TechID (or subject), or created with the provider's data.

    Never matched on e-mail: a local account with the same address stays as it is and a new account is made.
    """
    identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
    if identity is not None:
        user = identity.user
        if changed := _user_apply_profile(user, profile, contact=False):
            user.save(update_fields=changed)
        _identity_refresh(identity, subject=subject, profile=profile, claims=claims)
        return user
    user = User(
        username=_identity_username(issuer=issuer, key=profile.tech_id or subject), role=User.Role.CITIZEN
    )
    user.set_unusable_password()
    _user_apply_profile(user, profile, contact=True)
    try:
        with transaction.atomic():
            user.save()
            ExternalIdentity.objects.create(
                user=user,
                issuer=issuer,
                subject=subject,
                tech_id=profile.tech_id,
                is_organisation=profile.is_organisation,
                claims=claims,
                last_login_at=timezone.now(),
            )
    except IntegrityError:
        # The same person's first sign-in in another tab won the race: use the account it made.
        identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
        if identity is None:
            raise
        return identity.user
    return user


@transaction.atomic
def external_identity_link(
    *, user: User, issuer: str, subject: str, profile, claims: dict
) -> ExternalIdentity:
    """Attach the identity to ``user`` (who has just proved both: signed in here, then at the provider)."""
    identity = _identity_find(issuer=issuer, subject=subject, tech_id=profile.tech_id)
    if identity is not None and identity.user_id != user.pk:
        raise IdentityTaken("the identity belongs to another user")
    if identity is None:
        if user.external_identities.filter(issuer=issuer).exists():
            raise AlreadyLinked("the user holds another identity of this provider")
        identity = ExternalIdentity(user=user, issuer=issuer)
    _identity_refresh(identity, subject=subject, profile=profile, claims=claims)
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if changed := _user_apply_profile(user, profile, contact=False):
        user.save(update_fields=changed)
    return identity


# --- Profile: the person's own data ----------------------------------------------------------------------------------


class AccountError(Exception):
    """A change refused for a reason the person can act on; ``message`` (Vietnamese) is shown to them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def profile_update(
    *, user: User, full_name: str | None, phone: str, notify_email: bool, notify_sms: bool
) -> list[str]:
    """Change what a person may change about themselves; returns the fields changed.

    ``full_name`` None keeps the name: for a user with a national identity it comes from the population database
    and each sign-in refreshes it, so it cannot be edited here.
    """
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    if full_name is not None and full_name != user.full_name and selectors.profile_from_sso(user):
        raise AccountError(_("Họ và tên lấy từ tài khoản định danh quốc gia nên không sửa được ở đây."))
    if notify_sms and not phone:
        raise AccountError(_("Cần có số điện thoại để nhận thông báo qua tin nhắn SMS."))
    if notify_email and not user.email:
        raise AccountError(_("Tài khoản chưa có địa chỉ thư điện tử để nhận thông báo."))
    values = {"phone": phone, "notify_email": notify_email, "notify_sms": notify_sms}
    if full_name is not None:
        values["full_name"] = full_name
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    for field in changed:
        setattr(user, field, values[field])
    if changed:
        _full_clean(user, fields=changed)
        user.save(update_fields=changed)
    return changed


def session_record_current(*, request: HttpRequest) -> None:
    """Put the device in use on the list of sessions. allauth records the sessions it signs in; a sign-in through
    the national portal or Django's own login does not pass there, so the profile page records its own."""
    if not selectors.user_sessions_enabled() or not request.user.is_authenticated:
        return
    from allauth.usersessions.models import UserSession

    if (
        not request.session.session_key
        or not UserSession.objects.filter(
            session_key=request.session.session_key, user_id=request.user.pk
        ).exists()
    ):
        UserSession.objects.create_from_request(request)


def session_record_on_sign_in(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """``user_logged_in`` receiver: allauth lists the sessions its own sign-in page opens; single sign-on and the
    admin's login sign in through Django, so they are recorded here. A sign-in without a client address (a test
    client's ``force_login``) is recorded when its profile page is first opened instead."""
    if request is None or not hasattr(request, "session") or not hasattr(request, "user"):
        return
    if not request.META.get("REMOTE_ADDR"):
        return
    try:
        session_record_current(request=request)
    except PermissionDenied:  # allauth found no client address: the sign-in goes on, unlisted
        logger.warning("session of user %s not listed: no client address", user.pk)


def _sessions_end(sessions) -> None:
    from allauth.usersessions.adapter import get_adapter

    get_adapter().end_sessions(sessions)


def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """Sign ``user`` out everywhere but on this device; returns how many sessions ended."""
    if not selectors.user_sessions_enabled():
        return 0
    from allauth.usersessions.models import UserSession

    others = list(UserSession.objects.filter(user_id=user.pk).exclude(session_key=current_key or ""))
    _sessions_end(others)
    return len(others)


def session_end(*, user: User, current_key: str | None, pk: int) -> None:
    """End one of ``user``'s other sessions; anyone else's, or this one (that is "Đăng xuất"), is 404."""
    if not selectors.user_sessions_enabled():
        raise Http404("Không tìm thấy phiên đăng nhập")
    from allauth.usersessions.models import UserSession

    session = (
        UserSession.objects.filter(pk=pk, user_id=user.pk).exclude(session_key=current_key or "").first()
    )
    if session is None:
        raise Http404("Không tìm thấy phiên đăng nhập")
    _sessions_end([session])


@transaction.atomic
def personal_data_export(*, request: HttpRequest, user: User) -> dict:
    """The person's data to take away (selectors.personal_data_of), with the export on the audit log."""
    data = selectors.personal_data_of(user=user, current_key=request.session.session_key)
    audit.account_exported(request, user)
    return data


@transaction.atomic
def account_deletion_request(
    *, request: HttpRequest, user: User, reason: str
) -> tuple[AccountDeletionRequest, bool]:
    """Record the person's explicit request to delete their account; returns it and whether it is new.

    A second request while one is pending (a double click, a second tab) returns the pending one: one row, one
    audit event. Staff handle it (anonymising the account; dossiers stay for the records retention period).
    """
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()  # one request at a time per person
    pending = selectors.deletion_request_pending(user)
    if pending is not None:
        return pending, False
    deletion_request = AccountDeletionRequest(user=user, reason=reason)
    _full_clean(deletion_request, fields=["reason"])
    try:
        with transaction.atomic():
            deletion_request.save()
    except IntegrityError:  # the other request won between the check and the insert (no row lock on SQLite)
        return selectors.deletion_request_pending(user), False
    audit.account_deletion_requested(request, user)
    return deletion_request, True


@transaction.atomic
def account_deletion_request_handle(
    *, deletion_request: AccountDeletionRequest, admin: User, state: str
) -> bool:
    """A province admin marks a pending request done (the account was anonymised) or refused; False when it was
    not pending any more."""
    if not (admin.is_active and admin.is_province_admin):
        raise PermissionDenied("Chỉ quản trị tỉnh xử lý yêu cầu xóa tài khoản")
    if state not in {AccountDeletionRequest.State.DONE, AccountDeletionRequest.State.REFUSED}:
        raise ValueError(f"not a final state: {state}")
    return bool(
        AccountDeletionRequest.objects.filter(
            pk=deletion_request.pk, state=AccountDeletionRequest.State.PENDING
        ).update(state=state, handled_by=admin, handled_at=timezone.now())
    )


# --- Staff management in an admin's scope ----------------------------------------------------------------------------


ADMIN_ROLES = selectors.ADMIN_ROLES


def _full_clean(instance, *, fields: list[str]) -> None:
    """Model validation of the fields written, as one Vietnamese message (forms check first; this is the net)."""
    others = [f.name for f in instance._meta.fields if f.name not in fields]
    try:
        instance.full_clean(exclude=others, validate_constraints=False)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from error


def _scope(actor: User) -> selectors.StaffScope:
    scope = selectors.staff_scope_for(actor)
    if scope is None:
        raise Http404("Trang dành cho quản trị")
    return scope


def _target(scope: selectors.StaffScope, user: User) -> User:
    target = selectors.staff_get_in_scope(scope=scope, pk=user.pk, for_update=True)
    if target.pk == scope.actor.pk:
        raise AccountError(_("Bạn không thể tự thay đổi tài khoản của mình; hãy nhờ một quản trị viên khác."))
    return target


def _check_agencies(scope: selectors.StaffScope, agencies) -> list[Agency]:
    agencies = list(agencies)
    allowed = set(scope.agencies().filter(pk__in=[a.pk for a in agencies]).values_list("pk", flat=True))
    if any(agency.pk not in allowed for agency in agencies):
        raise AccountError(_("Có cơ quan đã chọn không thuộc phạm vi quản lý của bạn."))
    return agencies


def _check_role(scope: selectors.StaffScope, role: str) -> None:
    if not scope.may_grant(role):
        raise AccountError(_("Bạn không được cấp vai trò này."))


def _needs_agency(role: str) -> bool:
    return role != User.Role.PROVINCE_ADMIN


@transaction.atomic
def staff_create(
    *,
    request: HttpRequest,
    actor: User,
    username: str,
    full_name: str,
    email: str,
    job_title: str,
    role: str,
    agencies,
) -> User:
    """Create a member of staff in the admin's scope, with an unusable password and an e-mail (sent once the
    transaction commits) carrying a link to set one. Their second factor is enrolled at their first sign-in."""
    scope = _scope(actor)
    _check_role(scope, role)
    agencies = _check_agencies(scope, agencies)
    if _needs_agency(role) and not agencies:
        raise AccountError(_("Cán bộ cần thuộc ít nhất một cơ quan."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("Tên đăng nhập này đã có người dùng."))
    if email and User.objects.filter(email__iexact=email).exists():
        raise AccountError(_("Thư điện tử này đã được dùng cho một tài khoản khác."))
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        job_title=job_title,
        role=role,
        is_staff=role in ADMIN_ROLES,  # Django's admin (/quan-tri/) is where admins keep reference data
    )
    user.set_unusable_password()
    _full_clean(user, fields=["username", "full_name", "email", "job_title", "role"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise AccountError(_("Tên đăng nhập này đã có người dùng.")) from error
    AgencyMembership.objects.bulk_create([AgencyMembership(user=user, agency=agency) for agency in agencies])
    kept_user.accounts_changed([user.pk])  # bulk_create sends no signal
    audit.staff_created(request, actor=actor, user=user, role=role, agencies=agencies)
    link = request.build_absolute_uri(
        reverse(
            "accounts:staff_activate",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )
    )
    transaction.on_commit(lambda: _staff_invite_send(user=user, link=link, actor=actor))
    return user


def _staff_invite_send(*, user: User, link: str, actor: User) -> None:
    context = {
        "user": user,
        "link": link,
        "actor": actor,
        "site_name": settings.PORTAL_SITE_NAME,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    subject = render_to_string("accounts/staff/email/invite_subject.txt", context).strip()
    body = render_to_string("accounts/staff/email/invite_body.txt", context)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def staff_role_change(*, request: HttpRequest, actor: User, user: User, role: str) -> bool:
    """Give a member of staff another role the admin may grant; False when it is the role they have."""
    scope = _scope(actor)
    target = _target(scope, user)
    _check_role(scope, role)
    if target.role == role:
        return False
    if _needs_agency(role) and not target.memberships.exists():
        raise AccountError(_("Hãy chọn cơ quan công tác cho cán bộ trước khi giao vai trò này."))
    old = target.role
    target.role = role
    target.is_staff = role in ADMIN_ROLES
    target.save(update_fields=["role", "is_staff"])
    audit.role_changed(request, actor=actor, user=target, old=old, new=role)
    return True


@transaction.atomic
def staff_memberships_set(
    *, request: HttpRequest, actor: User, user: User, agencies
) -> tuple[list[str], list[str]]:
    """Make the member's agencies within the admin's scope exactly ``agencies``; memberships in agencies outside
    the scope stay as they are. Returns the codes added and removed."""
    scope = _scope(actor)
    target = _target(scope, user)
    wanted = {agency.pk: agency for agency in _check_agencies(scope, agencies)}
    current = {m.agency_id: m for m in target.memberships.select_related("agency")}
    in_scope = {pk for pk in current if scope.everywhere or pk in scope.agency_ids}
    removed = [current[pk] for pk in sorted(in_scope - wanted.keys())]
    added = [wanted[pk] for pk in sorted(wanted.keys() - current.keys())]
    if _needs_agency(target.role) and not (current.keys() - in_scope) | wanted.keys():
        raise AccountError(_("Cán bộ cần thuộc ít nhất một cơ quan."))
    if not added and not removed:
        return [], []
    AgencyMembership.objects.filter(pk__in=[m.pk for m in removed]).delete()
    AgencyMembership.objects.bulk_create([AgencyMembership(user=target, agency=agency) for agency in added])
    kept_user.accounts_changed([target.pk])  # bulk_create sends no signal
    added_codes = sorted(agency.code for agency in added)
    removed_codes = sorted(m.agency.code for m in removed)
    audit.membership_changed(request, actor=actor, user=target, added=added_codes, removed=removed_codes)
    return added_codes, removed_codes


@transaction.atomic
def staff_deactivate(*, request: HttpRequest, actor: User, user: User) -> bool:
    """Lock a member of staff out: they cannot sign in and their open sessions end. False if already locked."""
    scope = _scope(actor)
    target = _target(scope, user)
    if not target.is_active:
        return False
    target.is_active = False
    target.save(update_fields=["is_active"])
    if selectors.user_sessions_enabled():
        from allauth.usersessions.models import UserSession

        sessions = list(UserSession.objects.filter(user_id=target.pk))
        transaction.on_commit(lambda: _sessions_end(sessions))
    audit.role_changed(request, actor=actor, user=target, old=target.role, new="inactive")
    return True
