"""Ratings and published rankings sent to the national portal (``DongBoDanhGia``) from the ratings outbox, through
the simple outbox drain (``integrations/dvcqg/outbox.py``). The national record is built from the row's stored
payload alone, so every attempt sends the same content under the same key."""

import logging
from datetime import datetime

from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.dates import format_datetime
from integrations.dvcqg.outbox import BATCH_SIZE, outbox_rows_send
from ratings.models import RatingOutbox

logger = logging.getLogger(__name__)


def national_rating(row: RatingOutbox) -> dict:
    """A rating of a dossier (its scores per indicator) or a published ranking (its rows), as the national portal
    keeps them: one code per rating or ranking, repeated in each revision."""
    payload = row.payload
    if row.kind == RatingOutbox.Kind.RATING:
        return {
            "MaDanhGia": f"DG-{payload['dossier']}",
            "MaHoSo": payload["dossier"],
            "NgayDanhGia": format_datetime(datetime.fromisoformat(payload["rated_at"])),
            "DiemTieuChi": payload["scores"],
            "HinhThuc": payload.get("source", ""),
        }
    return {
        "MaDanhGia": f"XH-{payload['scope']}-{payload['period']}",
        "KyDanhGia": payload["period"],
        "PhamVi": payload["scope"],
        "KetQua": payload["rows"],
    }


def rating_outbox_drain(*, client: DvcqgClient | None = None, batch_size: int = BATCH_SIZE) -> dict:
    """Send unsent ratings and rankings; nothing, and says so, when the national portal is not configured."""
    if client is None:
        if not dvcqg_configured():
            logger.info("ratings outbox: national portal not configured, nothing sent")
            return {"configured": False}
        client = dvcqg_client()

    def send(row: RatingOutbox) -> None:
        client.rating_sync(national_rating(row), idempotency_key=row.idempotency_key)

    return outbox_rows_send(RatingOutbox.objects.all(), send, batch_size=batch_size)
