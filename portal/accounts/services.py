"""What a person changes about their own account: profile, sessions, the export of their data and the request to
delete the account. Staff management is ``staff/services.py``, identities from single sign-on ``identities.py``, the
demo accounts ``demo.py``."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts import selectors
from portal.accounts.models import AccountDeletionRequest, User
from portal.audit import log as audit

logger = logging.getLogger("portal.accounts")


class AccountError(Exception):
    """A change refused for a reason the person can act on; ``message`` (Vietnamese) is shown to them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def fields_check(instance, *, fields: list[str]) -> None:
    """Model validation of the fields written, as one Vietnamese message (forms check first; this is the net)."""
    others = [f.name for f in instance._meta.fields if f.name not in fields]
    try:
        instance.full_clean(exclude=others, validate_constraints=False)
    except ValidationError as error:
        raise AccountError(" ".join(error.messages)) from error


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
        fields_check(user, fields=changed)
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


def sessions_end(sessions) -> None:
    from allauth.usersessions.adapter import get_adapter

    get_adapter().end_sessions(sessions)


def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """Sign ``user`` out everywhere but on this device; returns how many sessions ended."""
    if not selectors.user_sessions_enabled():
        return 0
    from allauth.usersessions.models import UserSession

    others = list(UserSession.objects.filter(user_id=user.pk).exclude(session_key=current_key or ""))
    sessions_end(others)
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
    sessions_end([session])


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
    fields_check(deletion_request, fields=["reason"])
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
