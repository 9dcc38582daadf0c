"""Celery tasks of the feedback workflow: thin and idempotent, taking ids."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from feedback.models import OPEN_STATES, Feedback
from feedback.national import feedback_outbox_drain
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.workdays import calendar as workdays

S = Feedback.State
REMIND_WITHIN_WORKING_DAYS = 2


def reminder_due_items(now=None):
    """Open items whose running deadline is past or within two working days, not yet reminded today."""
    now = now or timezone.now()
    soon = workdays.add_working_days(now, REMIND_WITHIN_WORKING_DAYS)
    return Feedback.objects.filter(
        Q(state=S.RECEIVED, routing_due_at__lte=soon)
        | Q(state__in=OPEN_STATES - {S.RECEIVED}, answer_due_at__lte=soon)
    ).exclude(reminded_on=timezone.localdate(now))


def _recipients(feedback: Feedback) -> list[str]:
    """Routing: the receiving agency's staff who route (and the provincial office's). Answering: the handler and the
    agency's leaders."""
    users = User.objects.filter(is_active=True, notify_email=True).exclude(email="")
    if feedback.state == S.RECEIVED:
        agencies = {feedback.receiving_agency_id}
        office = Agency.objects.filter(code=getattr(settings, "FEEDBACK_OFFICE_AGENCY_CODE", "")).first()
        if office:
            agencies.add(office.pk)
        users = users.filter(memberships__agency_id__in=agencies).exclude(role=User.Role.HANDLING_OFFICER)
    else:
        users = users.filter(
            Q(pk=feedback.handler_id) | Q(role=User.Role.LEADER, memberships__agency_id=feedback.agency_id)
        )
    return sorted(set(users.values_list("email", flat=True)))


@shared_task
def feedback_remind(feedback_id: int) -> bool:
    """Remind the people who owe the next step of one item, once a day: the day is claimed with a conditional update
    before the mail is queued, so a second run the same day sends nothing."""
    today = timezone.localdate()
    claimed = (
        Feedback.objects.filter(pk=feedback_id, state__in=OPEN_STATES)
        .exclude(reminded_on=today)
        .update(reminded_on=today)
    )
    if not claimed:
        return False
    feedback = Feedback.objects.select_related("agency").get(pk=feedback_id)
    recipients = _recipients(feedback)
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        due = timezone.localtime(feedback.due_at)
        late = due < timezone.now()
        subject = (
            _("Phản ánh %(code)s đã quá hạn %(step)s")
            if late
            else _("Phản ánh %(code)s sắp đến hạn %(step)s")
        ) % {
            "code": feedback.code,
            "step": _("phân loại, chuyển") if feedback.state == S.RECEIVED else _("trả lời"),
        }
        link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("feedback:staff_item", args=[feedback.code])
        body = _("Hạn: %(due)s") % {"due": due.strftime("%H:%M %d/%m/%Y")} + f"\n{feedback.subject}\n\n{link}"
        send_mail(subject, body, None, recipients)
    return True


@shared_task
def feedback_reminders_sweep() -> int:
    """Daily (Celery beat): remind about every item due soon or overdue; returns how many were reminded."""
    return sum(1 for pk in reminder_due_items().values_list("pk", flat=True) if feedback_remind(pk))


@shared_task(ignore_result=True)
def feedback_national_drain() -> dict:
    """Send published answers to the national portal's feedback system (``feedback/national.py``)."""
    return feedback_outbox_drain()
