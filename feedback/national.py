"""Published answers sent to the national portal's feedback system (``DongBoPAKN``) from the feedback outbox:
claimed with ``SKIP LOCKED`` so workers share it, each under its idempotency key (a repeat takes effect once), a
temporary failure left for the next drain, a refusal parked with its reason. The national record is built from the
row's stored payload alone, so every attempt sends the same content."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from feedback.models import FeedbackOutbox
from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.dates import format_datetime
from integrations.dvcqg.errors import PermanentError, TemporaryError

logger = logging.getLogger(__name__)

BATCH_SIZE = 50


def _date(value: str) -> str:
    return format_datetime(datetime.fromisoformat(value)) if value else ""


def national_feedback(payload: dict) -> dict:
    """The national feedback system's record of a published answer (personal data was removed before publishing)."""
    return {
        "MaPAKN": payload["code"],
        "LoaiPAKN": payload.get("kind", ""),
        "MaCoQuan": payload.get("agency", ""),
        "MaTTHC": payload.get("procedure", ""),
        "LinhVuc": payload.get("field", ""),
        "NoiDungHoi": payload["question"],
        "NoiDungTraLoi": payload["answer"],
        "NgayTiepNhan": _date(payload.get("received_at", "")),
        "NgayTraLoi": _date(payload.get("answered_at", "")),
        "NgayCongKhai": _date(payload["published_at"]),
    }


def feedback_outbox_drain(*, client: DvcqgClient | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Send the unsent published answers; nothing, and says so, when the national portal is not configured."""
    if client is None:
        if not dvcqg_configured():
            logger.info("feedback outbox: national portal not configured, nothing sent")
            return {"configured": False}
        client = dvcqg_client()
    counts = {"configured": True, "sent": 0, "retried": 0, "parked": 0}
    with transaction.atomic():
        rows = list(
            FeedbackOutbox.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, parked_at__isnull=True)
            .order_by("pk")[:batch_size]
        )
        for row in rows:
            counts[_send(client, row)] += 1
    return counts


def _send(client: DvcqgClient, row: FeedbackOutbox) -> str:
    now = timezone.now()
    row.attempts += 1
    try:
        client.feedback_publish(national_feedback(row.payload), idempotency_key=row.idempotency_key)
    except TemporaryError as error:
        row.last_error = getattr(error, "reason", "") or "temporary"
        row.save(update_fields=["attempts", "last_error"])
        logger.warning("feedback outbox: row %s temporary failure %s", row.pk, row.last_error)
        return "retried"
    except (PermanentError, KeyError, ValueError) as error:
        field = getattr(error, "field", "")
        row.last_error = (
            f"{field}: {getattr(error, 'reason', '') or error}"[:500] if field else str(error)[:500]
        )
        row.parked_at = now
        row.save(update_fields=["attempts", "last_error", "parked_at"])
        logger.warning("feedback outbox: row %s refused (%s)", row.pk, row.last_error)
        return "parked"
    row.sent_at, row.last_error = now, ""
    row.save(update_fields=["attempts", "last_error", "sent_at"])
    return "sent"
