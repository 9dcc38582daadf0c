"""Sending queued mail: one message per task, and a sweep that sends again what is due."""

from celery import shared_task

from portal.mail.services import mail_due_ids, mail_send
from portal.queue import enqueue


@shared_task
def mail_deliver(mail_id: int) -> str:
    return mail_send(mail_id=mail_id)


@shared_task
def mail_sweep() -> int:
    """Queue every message whose retry is due, or whose first try never ran."""
    due = mail_due_ids()
    for mail_id in due:
        enqueue(mail_deliver, mail_id)
    return len(due)
