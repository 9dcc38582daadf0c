"""Published answers sent to the national portal's feedback system (``DongBoPAKN``) from the feedback outbox:
claimed with ``SKIP LOCKED`` so workers share it, each under its idempotency key (a repeat takes effect once), a
temporary failure left for the next drain, a refusal parked with its reason. The national record is built from the
row's stored payload alone, so every attempt sends the same content."""

import logging
from datetime import datetime

from feedback.models import FeedbackOutbox
from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.dates import format_datetime
from integrations.dvcqg.outbox import BATCH_SIZE, outbox_rows_send

logger = logging.getLogger(__name__)


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

    def send(row: FeedbackOutbox) -> None:
        client.feedback_publish(national_feedback(row.payload), idempotency_key=row.idempotency_key)

    return outbox_rows_send(FeedbackOutbox.objects.all(), send, batch_size=batch_size)
