"""Celery tasks of the dossier workflow: thin, idempotent, taking ids."""

import logging

from celery import shared_task
from django.core.mail import send_mail
from django.utils import timezone

from dossiers.models import Dossier, Notification
from integrations.sms.client import SmsError, sms_gateway

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(SmsError,), retry_backoff=True, max_retries=5)
def notification_deliver(self, notification_id: int) -> None:
    """Send a stored notification by the user's chosen channels; a channel already used is not used again."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    user = notification.user
    if user.notify_email and user.email and notification.emailed_at is None:
        send_mail(notification.title, notification.body, None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    if user.notify_sms and user.phone and notification.sms_sent_at is None:
        try:
            sms_gateway().send(user.phone, f"{notification.title}. {notification.body}"[:300])
        except SmsError as exc:
            if not exc.temporary:
                logger.warning("SMS for notification %s refused: %s", notification.pk, exc)
                return
            raise
        Notification.objects.filter(pk=notification.pk).update(sms_sent_at=timezone.now())


@shared_task
def form_render(dossier_id: int, form_code: str) -> None:
    """Render Mẫu ``form_code`` for the dossier and store it with the dossier's files (replacing an older copy)."""
    from dossiers.forms_pdf import dossier_form_store

    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is not None:
        dossier_form_store(dossier=dossier, form_code=form_code)


@shared_task
def orphan_files_sweep(min_age_hours: int = 24) -> int:
    """Delete stored uploads that no row refers to (left behind when a transaction rolled back after the bytes
    were written). Only this and last month's folders are looked at: that is where such files are born."""
    from dossiers.orphans import orphan_files_delete

    return orphan_files_delete(min_age_hours=min_age_hours)
