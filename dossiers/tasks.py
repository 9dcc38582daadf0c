"""Celery tasks of the dossier workflow: thin, idempotent, taking ids."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dossiers.errors import DossierError
from dossiers.models import Dossier, FormRequest, Notification
from integrations.sms.client import SmsError, sms_gateway

logger = logging.getLogger(__name__)


def notification_email_body(notification: Notification) -> str:
    """The message, then where to see it: the dossier's page for its applicant, the work page for an officer,
    at the address the portal is served at."""
    if notification.dossier_id is None:
        return notification.message
    link = settings.PORTAL_BASE_URL.rstrip("/") + notification.link
    return f"{notification.message}\n\n{_('Xem hồ sơ')}: {link}"


@shared_task(bind=True, autoretry_for=(SmsError,), retry_backoff=True, max_retries=5)
def notification_deliver(self, notification_id: int) -> None:
    """Send a stored notification by the user's chosen channels, in the portal's language; a channel already used
    is not used again (idempotent: the follow-up sweep may call it again)."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _deliver(notification)


def _deliver(notification: Notification) -> None:
    user = notification.user
    if user.notify_email and user.email and notification.emailed_at is None:
        # Into the mail outbox (portal/mail): a mail server that is down is retried there, never here.
        send_mail(notification.subject, notification_email_body(notification), None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    if (
        user.notify_sms
        and user.phone
        and notification.sms_sent_at is None
        and not notification.delivery_error
    ):
        try:
            sms_gateway().send(user.phone, f"{notification.subject}. {notification.message}"[:300])
        except SmsError as exc:
            if not exc.temporary:
                logger.warning("SMS for notification %s refused: %s", notification.pk, exc)
                Notification.objects.filter(pk=notification.pk).update(delivery_error=f"SMS: {exc}"[:1000])
                return
            raise
        Notification.objects.filter(pk=notification.pk).update(sms_sent_at=timezone.now())


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def form_render(self, dossier_id: int, form_code: str) -> None:
    """Render Mẫu ``form_code`` for the dossier and store it with the dossier's files (replacing an older copy); the
    requests for it are then done. Rendering again is harmless."""
    from dossiers.pdf.store import dossier_form_store

    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return
    started = timezone.now()
    pending = FormRequest.objects.filter(dossier_id=dossier_id, form_code=form_code, rendered_at__isnull=True)
    try:
        dossier_form_store(dossier=dossier, form_code=form_code)
    except DossierError as error:  # the dossier cannot have this form (yet): recorded, not retried
        pending.filter(requested_at__lte=started).update(
            last_error=str(error.message)[:1000], attempts=F("attempts") + 1
        )
        return
    pending.filter(requested_at__lte=started).update(rendered_at=timezone.now())


@shared_task
def follow_up_sweep() -> dict:
    """Hand again to the workers what a broker or a worker that was down left undone (``follow_ups``)."""
    from dossiers.follow_ups import follow_ups_resend

    return follow_ups_resend()


@shared_task
def orphan_files_sweep(min_age_hours: int = 24) -> int:
    """Delete stored uploads that no row refers to (left behind when a transaction rolled back after the bytes
    were written). Only this and last month's folders are looked at: that is where such files are born."""
    from dossiers.orphans import orphan_files_delete

    return orphan_files_delete(min_age_hours=min_age_hours)


@shared_task(ignore_result=True)
def national_outbox_drain() -> dict:
    """Send the outbox to the national portal (a no-op, logged, when it is not configured)."""
    from dossiers.national.outbox import outbox_drain

    report = outbox_drain()
    return {
        "configured": report.configured,
        "sent": report.sent,
        "retried": report.retried,
        "parked": report.parked,
    }


@shared_task(ignore_result=True)
def national_incoming_pull() -> dict:
    """Take the dossiers filed on the national portal into the reception queues."""
    from dossiers.national.incoming import incoming_pull

    report = incoming_pull()
    return {
        "configured": report.configured,
        "taken": report.taken,
        "refused": report.refused,
        "waiting": report.waiting,
    }
