"""Staff management in an admin's scope: create a member of staff (with an invitation to set a password), change
their role or agencies, lock them out. Every refusal is an ``AccountError`` the admin can act on."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from portal.accounts import selectors
from portal.accounts.models import AgencyMembership, User
from portal.accounts.services import AccountError, fields_check, sessions_end
from portal.agencies.models import Agency
from portal.audit import log as audit

ADMIN_ROLES = selectors.ADMIN_ROLES


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
    fields_check(user, fields=["username", "full_name", "email", "job_title", "role"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise AccountError(_("Tên đăng nhập này đã có người dùng.")) from error
    AgencyMembership.objects.bulk_create([AgencyMembership(user=user, agency=agency) for agency in agencies])
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
        transaction.on_commit(lambda: sessions_end(sessions))
    audit.role_changed(request, actor=actor, user=target, old=target.role, new="inactive")
    return True
