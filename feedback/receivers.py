"""Notifications of the feedback workflow, listening to ``feedback_changed`` inside the step's transaction: an e-mail
stored in the mail outbox (``portal/mail``) commits or rolls back with the step, and a worker sends it.

The sender is told when the item is received (with its code), routed, answered, published, closed as "not feedback"
and reopened; the officers when work arrives for them (the agency's leaders when it is routed or a draft waits for
approval, the handler when assigned, approved or reopened)."""

from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from feedback.models import Feedback
from feedback.signals import feedback_changed
from portal.accounts.models import User

SENDER_SUBJECTS = {
    "received": N_("Cổng Dịch vụ công đã nhận phản ánh, kiến nghị %(code)s"),
    "routed": N_("Phản ánh %(code)s đã được chuyển đến %(agency)s"),
    "answered": N_("Phản ánh %(code)s đã có trả lời"),
    "published": N_("Trả lời phản ánh %(code)s đã được công khai"),
    "not_feedback": N_("Phản ánh %(code)s không thuộc phạm vi phản ánh, kiến nghị"),
    "reopened": N_("Phản ánh %(code)s được xem xét lại"),
}
OFFICER_SUBJECTS = {
    "routed": (N_("Phản ánh %(code)s được chuyển đến cơ quan, chờ phân công"), (User.Role.LEADER,), "agency"),
    "assigned": (N_("Anh/chị được phân công xử lý phản ánh %(code)s"), (), "handler"),
    "drafted": (N_("Dự thảo trả lời phản ánh %(code)s chờ duyệt"), (User.Role.LEADER,), "agency"),
    "approved": (N_("Trả lời phản ánh %(code)s đã được duyệt, chờ gửi"), (), "handler"),
    "sent_back": (N_("Dự thảo trả lời phản ánh %(code)s cần sửa"), (), "handler"),
    "reopened": (N_("Phản ánh %(code)s được mở lại do người gửi chưa hài lòng"), (User.Role.LEADER,), "both"),
}


def _base() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/")


def _sender_address(feedback: Feedback) -> str:
    if feedback.sender_email:
        return feedback.sender_email
    sender = feedback.sender
    if sender is not None and sender.notify_email and sender.email:
        return sender.email
    return ""


def _sender_body(feedback: Feedback, action: str, note: str) -> str:
    lines = [
        _("Mã phản ánh: %(code)s") % {"code": feedback.code},
        _("Tiêu đề: %(subject)s") % {"subject": feedback.subject},
    ]
    if note and action in ("answered", "not_feedback"):
        lines += ["", note]
    lines += [
        "",
        _("Theo dõi phản ánh (mã và 4 số cuối điện thoại đã khai): %(link)s")
        % {"link": _base() + reverse("feedback:track") + f"?ma={feedback.code}"},
    ]
    return "\n".join(lines)


def _officer_recipients(feedback: Feedback, roles, who: str) -> list[str]:
    emails = set()
    if who in ("handler", "both") and feedback.handler_id:
        handler = User.objects.filter(pk=feedback.handler_id, is_active=True).first()
        if handler and handler.email and handler.notify_email:
            emails.add(handler.email)
    if who in ("agency", "both") and roles and feedback.agency_id:
        emails |= set(
            User.objects.filter(
                is_active=True, notify_email=True, role__in=roles, memberships__agency_id=feedback.agency_id
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    return sorted(emails)


@receiver(feedback_changed, dispatch_uid="feedback.notify")
def feedback_notify(sender, *, feedback: Feedback, event, actor, **kwargs) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        params = {"code": feedback.code, "agency": feedback.agency.name if feedback.agency else ""}
        if event.visible_to_sender and event.action in SENDER_SUBJECTS:
            address = _sender_address(feedback)
            if address:
                send_mail(
                    _(SENDER_SUBJECTS[event.action]) % params,
                    _sender_body(feedback, event.action, event.note),
                    None,
                    [address],
                )
        if event.action in OFFICER_SUBJECTS:
            subject, roles, who = OFFICER_SUBJECTS[event.action]
            recipients = [
                e for e in _officer_recipients(feedback, roles, who) if not actor or e != actor.email
            ]
            if recipients:
                link = _base() + reverse("feedback:staff_item", args=[feedback.code])
                send_mail(_(subject) % params, f"{feedback.subject}\n\n{link}", None, recipients)
