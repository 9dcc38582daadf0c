"""What the applicant is told when their dossier changes, and the queueing of forms and deliveries after commit."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from dossiers import page_cache
from dossiers.models import Dossier, DossierEvent, Notification
from dossiers.tasks import form_render, notification_deliver

# Actions the applicant hears about (DOMAIN.md §4; issue: received, supplement, refused, result ready, returned,
# delayed with an apology), plus the acknowledgement of an online submission.
MESSAGES = {
    "submit": (
        "Đã nộp hồ sơ {code}",
        "Hồ sơ {code} ({procedure}) đã được gửi tới {agency} và đang chờ tiếp nhận.",
    ),
    "receive": (
        "Hồ sơ {code} đã được tiếp nhận",
        "Ngày hẹn trả kết quả: {due}. Phiếu tiếp nhận có trong tài khoản của bạn.",
    ),
    "request_supplement": ("Hồ sơ {code} cần bổ sung", "Cơ quan yêu cầu bổ sung: {note}"),
    "refuse": ("Hồ sơ {code} không được tiếp nhận", "Lý do: {note}"),
    "approve": ("Hồ sơ {code} đã có kết quả", "Kết quả đã sẵn sàng để trả theo hình thức bạn đã chọn."),
    "return_result": (
        "Đã trả kết quả hồ sơ {code}",
        "Kết quả giải quyết đã được trả. Cảm ơn bạn đã sử dụng dịch vụ.",
    ),
    "apologise": (
        "Hồ sơ {code} chậm trả kết quả",
        "Cơ quan xin lỗi vì chậm trễ ({note}). Ngày hẹn trả mới: {due}.",
    ),
    "stop": ("Hồ sơ {code} bị dừng xử lý", "Lý do: {note}"),
}


def dossier_changed(dossier: Dossier, event: DossierEvent) -> Notification | None:
    """Store the applicant's notification for ``event`` and deliver it by e-mail/SMS after the commit."""
    if dossier.applicant_id is None or event.action not in MESSAGES or not event.visible_to_applicant:
        return None
    title, body = MESSAGES[event.action]
    values = {
        "code": dossier.code or "",
        "procedure": dossier.procedure.name,
        "agency": dossier.receiving_agency.name,
        "due": date_format(timezone.localtime(dossier.due_at), "SHORT_DATETIME_FORMAT")
        if dossier.due_at
        else "—",
        "note": event.note,
    }
    notification = Notification.objects.create(
        user_id=dossier.applicant_id,
        dossier=dossier,
        title=title.format(**values)[:200],
        body=body.format(**values),
    )
    transaction.on_commit(lambda: notification_deliver.delay(notification.pk))
    return notification


def form_requested(dossier: Dossier, form_code: str) -> None:
    """Render a printable form (Mẫu 01–05) in a worker once the change is committed."""
    transaction.on_commit(lambda: form_render.delay(dossier.pk, form_code))


def notifications_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications, or all of them, as read; returns how many changed."""
    unread = user.notifications.filter(read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    changed = unread.update(read_at=timezone.now())
    if changed:  # a bulk update sends no signal: the unread count in the header must be redrawn
        page_cache.scopes_changed([page_cache.user_scope(user.pk)])
    return changed
