"""Celery tasks of the dossier workflow: thin, idempotent, taking ids."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dossiers.models import Dossier, Notification
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
    is not used again."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _deliver(notification)


def _deliver(notification: Notification) -> None:
    user = notification.user
    if user.notify_email and user.email and notification.emailed_at is None:
        send_mail(notification.subject, notification_email_body(notification), None, [user.email])
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    if user.notify_sms and user.phone and notification.sms_sent_at is None:
        try:
            sms_gateway().send(user.phone, f"{notification.subject}. {notification.message}"[:300])
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
