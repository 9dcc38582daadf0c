"""Queueing mail and sending it with retries: a temporary fault of the mail server (refused connection, timeout, 4xx)
is tried again later with a growing delay; a permanent one (5xx: a recipient refused) is recorded and shown to staff
in the admin (Thư đi); a message given up after ``MAX_ATTEMPTS`` is recorded the same way."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.mail.models import OutgoingMail
from portal.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

TRANSPORT = "transport"  # the MAILERS alias that talks to the mail server
MAX_ATTEMPTS = 12  # with the delays below, about two days of trying
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def mail_queue(message) -> OutgoingMail | None:
    """Store ``message`` (an EmailMessage) to be sent after the current transaction commits."""
    recipients = list(message.to) + list(message.cc) + list(message.bcc)
    if not recipients:
        return None
    mail = OutgoingMail.objects.create(
        subject=str(message.subject)[:300],
        body=message.body,
        alternatives=[[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        from_email=message.from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
    )
    from portal.mail.tasks import mail_deliver

    enqueue_on_commit(mail_deliver, mail.pk)
    return mail


def _rebuilt(mail: OutgoingMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        cc=mail.cc,
        bcc=mail.bcc,
        reply_to=mail.reply_to,
        headers=mail.headers,
    )
    for content, mimetype in mail.alternatives:
        message.attach_alternative(content, mimetype)
    return message


def _permanent(error: Exception) -> bool:
    """A refusal the mail server will repeat: a 5xx reply, or every recipient refused."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _reply in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _delay(attempts: int) -> timedelta:
    return min(FIRST_DELAY * 2 ** (attempts - 1), LONGEST_DELAY)


def mail_send(*, mail_id: int) -> str:
    """Send one queued message now, unless another worker has it or it is not due; returns its state afterwards.
    Idempotent: a message already sent (or given up) is left alone."""
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, state=OutgoingMail.State.QUEUED)
            .first()
        )
        if mail is None:
            return "skipped"
        mail.attempts += 1
        try:
            mailers[TRANSPORT].send_messages([_rebuilt(mail)])
        except (OSError, smtplib.SMTPException) as error:
            mail.last_error = f"{type(error).__name__}: {error}"[:1000]
            if _permanent(error) or mail.attempts >= MAX_ATTEMPTS:
                mail.state = OutgoingMail.State.FAILED
                logger.warning(
                    "Mail %s given up after %d attempts: %s", mail.pk, mail.attempts, mail.last_error
                )
            else:
                mail.next_attempt_at = timezone.now() + _delay(mail.attempts)
            mail.save()
            return mail.state
        mail.state, mail.sent_at, mail.last_error = OutgoingMail.State.SENT, timezone.now(), ""
        mail.body, mail.alternatives = "", []  # sent: the content (links, personal details) is not kept
        mail.save()
        return mail.state


def mail_due_ids(*, limit: int = 500) -> list[int]:
    """Queued messages whose time has come: a retry that is due, or a first try that never ran (a worker or the
    broker was down when it was queued)."""
    now = timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lte=now - FIRST_DELAY)
    queued = OutgoingMail.objects.filter(due, state=OutgoingMail.State.QUEUED)
    return list(queued.order_by("created_at").values_list("pk", flat=True)[:limit])
