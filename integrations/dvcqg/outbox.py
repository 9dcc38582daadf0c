"""Draining a simple outbox to the national portal: rows with ``payload``, ``idempotency_key``, ``sent_at``,
``parked_at``, ``attempts`` and ``last_error`` (feedback answers, ratings), where no order between rows matters.
Claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` so workers share them; each sent under its idempotency key (a repeat
takes effect once); a temporary failure left for the next drain; a refusal (or a payload that cannot be mapped)
parked with its reason. The dossiers' outbox, which must keep each dossier's order, has its own drain."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from integrations.dvcqg.errors import PermanentError, TemporaryError

logger = logging.getLogger(__name__)

BATCH_SIZE = 50


def outbox_rows_send(rows: QuerySet, send: Callable[[object], None], *, batch_size: int = BATCH_SIZE) -> dict:
    """Send up to ``batch_size`` unsent, unparked rows with ``send(row)``; counts of sent, retried and parked."""
    counts = {"configured": True, "sent": 0, "retried": 0, "parked": 0}
    with transaction.atomic():
        claimed = list(
            rows.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, parked_at__isnull=True)
            .order_by("pk")[:batch_size]
        )
        for row in claimed:
            counts[_send_one(row, send)] += 1
    return counts


def _send_one(row, send: Callable[[object], None]) -> str:
    row.attempts += 1
    try:
        send(row)
    except TemporaryError as error:
        row.last_error = getattr(error, "reason", "") or "temporary"
        row.save(update_fields=["attempts", "last_error"])
        logger.warning("outbox %s %s: temporary failure %s", type(row).__name__, row.pk, row.last_error)
        return "retried"
    except (PermanentError, KeyError, ValueError, TypeError) as error:
        field = getattr(error, "field", "")
        reason = getattr(error, "reason", "") or str(error)
        row.last_error = (f"{field}: {reason}" if field else reason)[:500]
        row.parked_at = timezone.now()
        row.save(update_fields=["attempts", "last_error", "parked_at"])
        logger.warning("outbox %s %s: refused (%s)", type(row).__name__, row.pk, row.last_error)
        return "parked"
    row.sent_at, row.last_error = timezone.now(), ""
    row.save(update_fields=["attempts", "last_error", "sent_at"])
    return "sent"
