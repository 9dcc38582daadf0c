"""Thin tasks: the nightly reconciliation of yesterday's payments (idempotent: differences are kept once)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task

from integrations.payment.client import NotConfigured, PaymentError
from payments.services import payments_reconcile


@shared_task(bind=True, max_retries=5, default_retry_delay=15 * 60)
def payments_reconcile_yesterday(self) -> int:
    day = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=1)
    try:
        return len(payments_reconcile(day))
    except NotConfigured:
        return 0
    except PaymentError as exc:
        raise self.retry(exc=exc) from exc
