"""What should have happened after a step and has not: a printed form not rendered, a notification not handed to
its channels. Each is in the database from the step's own transaction; when the broker or a worker was down at the
time, ``follow_ups_resend`` (a periodic task) hands it to the workers again. Everything it queues is idempotent."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from dossiers.models import FormRequest, Notification
from portal.queue import enqueue

logger = logging.getLogger(__name__)

HORIZON = timedelta(days=3)  # older notifications are not sent any more (a stale message helps nobody)
MAX_FORM_ATTEMPTS = 10
BATCH = 500


def _grace() -> timedelta:
    """What a worker normally does within this is left to it (``PORTAL_FOLLOW_UP_GRACE_SECONDS``)."""
    return timedelta(seconds=settings.PORTAL_FOLLOW_UP_GRACE_SECONDS)


def forms_pending():
    now = timezone.now()
    return FormRequest.objects.filter(
        rendered_at__isnull=True, requested_at__lte=now - _grace(), attempts__lt=MAX_FORM_ATTEMPTS
    )


def notifications_undelivered():
    """Notifications a channel still owes: e-mail wanted and not handed to the outbox, or SMS wanted and not sent
    (unless the gateway refused it for good)."""
    now = timezone.now()
    email_owed = Q(emailed_at__isnull=True, user__notify_email=True) & ~Q(user__email="")
    sms_owed = Q(sms_sent_at__isnull=True, user__notify_sms=True, delivery_error="") & ~Q(user__phone="")
    return Notification.objects.filter(
        email_owed | sms_owed, created_at__lte=now - _grace(), created_at__gte=now - HORIZON
    )


def follow_ups_resend() -> dict:
    from dossiers.tasks import form_render, notification_deliver

    pending = list(
        forms_pending().order_by("requested_at").values_list("pk", "dossier_id", "form_code")[:BATCH]
    )
    forms = {(dossier_id, form_code) for _pk, dossier_id, form_code in pending}
    for dossier_id, form_code in forms:
        enqueue(form_render, dossier_id, form_code)
    # Each hand-over counts: a form that keeps failing is given up after MAX_FORM_ATTEMPTS (and shows in the admin).
    FormRequest.objects.filter(pk__in=[pk for pk, _d, _c in pending]).update(attempts=F("attempts") + 1)
    notifications = list(notifications_undelivered().values_list("pk", flat=True)[:BATCH])
    for notification_id in notifications:
        enqueue(notification_deliver, notification_id)
    if forms or notifications:
        logger.info(
            "Follow-up sweep: %d forms, %d notifications handed to the workers",
            len(forms),
            len(notifications),
        )
    return {"forms": len(forms), "notifications": len(notifications)}
