"""Sending the outbox to the national portal: claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` so workers share it,
in order per dossier (a row is taken only when no earlier row of its dossier is still waiting), once in effect (each
row has its idempotency key; a worker killed mid-batch sends the batch again and the portal ignores the repeats),
retried with exponential backoff while the failure is temporary, parked with its reason when the portal refuses it.
A parked row does not hold its dossier back: the later states still go, and retrying the parked row sends the
latest state once more after it."""

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from dossiers.errors import NotYourDossier
from dossiers.models import OutboxEvent
from dossiers.national.mapping import outbox_payload
from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.errors import PermanentError, TemporaryError

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
# Failures that say the portal may not be there at all; this many in a row end the drain (the rest of the batch
# would wait out the same timeouts), a single one does not.
UNREACHABLE = frozenset({"connection", "timeout"})
UNREACHABLE_IN_A_ROW = 3


@dataclass
class DrainReport:
    configured: bool = True
    sent: int = 0
    retried: int = 0
    parked: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def count(self, reason: str) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def idempotency_key(row: OutboxEvent) -> str:
    """The same for every attempt of a row, different for every row (a re-send after a retry is a new row)."""
    return f"{settings.DVCQG_AGENCY_CODE or 'portal'}-outbox-{row.pk}"


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … up to an hour (settings), with up to a fifth of jitter so that retries of many rows
    spread out."""
    first, most = settings.PORTAL_NATIONAL_BACKOFF_SECONDS, settings.PORTAL_NATIONAL_BACKOFF_MAX_SECONDS
    seconds = min(first * 2 ** max(attempts - 1, 0), most)
    return timedelta(seconds=seconds * (1 + random.random() / 5))


def due_rows(now, size: int):
    """Rows to send now, oldest first, at most one per dossier: the first still waiting. Only what sending needs
    (the payload was written with the row)."""
    earlier = OutboxEvent.objects.filter(
        dossier_id=OuterRef("dossier_id"), state=OutboxEvent.State.PENDING, pk__lt=OuterRef("pk")
    )
    return (
        OutboxEvent.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=OutboxEvent.State.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(Exists(earlier))
        .select_related("event")
        .only(
            "pk",
            "dossier_id",
            "event_id",
            "national_status",
            "payload",
            "attempts",
            "event__from_state",
            "event__to_state",
        )
        .order_by("pk")[:size]
    )


def outbox_drain(*, client: DvcqgClient | None = None, batch_size: int = BATCH_SIZE, max_batches: int = 40):
    """Send what is due, batch after batch, until nothing is due, the portal is unreachable or ``max_batches``
    were sent. Does nothing, and says so, when the national portal is not configured."""
    if client is None:
        if not dvcqg_configured():
            logger.info("national outbox: not configured, nothing sent")
            return DrainReport(configured=False)
        client = dvcqg_client()
    report = DrainReport()
    for _ in range(max_batches):
        claimed, reachable = _drain_batch(client, batch_size, report)
        if not claimed or not reachable:
            break
    return report


def _drain_batch(client: DvcqgClient, size: int, report: DrainReport) -> tuple[int, bool]:
    with transaction.atomic():
        rows = list(due_rows(timezone.now(), size))
        sent: list[int] = []
        unreachable, reachable = 0, True
        for row in rows:
            outcome = _send(client, row, report)
            if outcome == SENT:
                sent.append(row.pk)
            unreachable = unreachable + 1 if outcome == UNREACHABLE_NOW else 0
            if unreachable >= UNREACHABLE_IN_A_ROW:
                reachable = False
                break
        # One statement for the rows that went through (most of them); the others were written as they failed.
        OutboxEvent.objects.filter(pk__in=sent).update(
            state=OutboxEvent.State.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            next_attempt_at=None,
            last_error="",
            error_field="",
            error_detail="",
        )
        report.sent += len(sent)
    return len(rows), reachable


SENT, FAILED, UNREACHABLE_NOW = "sent", "failed", "unreachable"


def _send(client: DvcqgClient, row: OutboxEvent, report: DrainReport) -> str:
    """Send one claimed row; record a failure on it. Says whether it went through, failed, or found the portal
    unreachable."""
    now = timezone.now()
    try:
        service, payload = outbox_payload(row)
        if not row.payload:  # a row written before payloads were stored: keep what is sent under its key
            row.payload = payload
            row.save(update_fields=["payload"])
        call = client.progress_update if service == "CapNhatTienDoHoSoMC" else client.dossier_sync
        call(payload, idempotency_key=idempotency_key(row))
    except TemporaryError as error:
        reason = getattr(error, "reason", "") or "temporary"
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error, row.error_detail = reason[:40], str(error)[:500]
        row.save(update_fields=["attempts", "next_attempt_at", "last_error", "error_detail"])
        report.retried += 1
        report.count(reason)
        logger.warning(
            "national outbox: row %s temporary failure %s (attempt %s)", row.pk, reason, row.attempts
        )
        return UNREACHABLE_NOW if reason in UNREACHABLE else FAILED
    except PermanentError as error:
        row.attempts += 1
        _park(row, now, "validation", getattr(error, "field", ""), getattr(error, "reason", "") or str(error))
        report.parked += 1
        report.count("validation")
        return FAILED
    except Exception as error:  # a fault of ours (mapping, data): park it for a person, keep the worker alive
        logger.exception("national outbox: row %s could not be sent", row.pk)
        row.attempts += 1
        _park(row, now, "internal", "", type(error).__name__)
        report.parked += 1
        report.count("internal")
        return FAILED
    return SENT


def _park(row: OutboxEvent, now, reason: str, field_name: str, detail: str) -> None:
    row.state, row.parked_at, row.next_attempt_at = OutboxEvent.State.PARKED, now, None
    row.last_error, row.error_field, row.error_detail = reason, (field_name or "")[:60], (detail or "")[:500]
    row.save(
        update_fields=[
            "state",
            "parked_at",
            "attempts",
            "next_attempt_at",
            "last_error",
            "error_field",
            "error_detail",
        ]
    )
    logger.warning("national outbox: row %s parked (%s %s)", row.pk, reason, field_name)


@transaction.atomic
def outbox_retry(*, row_id: int, actor) -> OutboxEvent:
    """A province admin sends a parked row again. When a later state of its dossier has already reached the
    portal, that latest state is queued once more after it, so the portal ends where the dossier is."""
    if not (actor.is_active and actor.is_province_admin):
        raise NotYourDossier()
    row = OutboxEvent.objects.select_for_update().filter(pk=row_id, state=OutboxEvent.State.PARKED).first()
    if row is None:
        raise OutboxEvent.DoesNotExist
    row.state, row.parked_at, row.next_attempt_at, row.attempts = OutboxEvent.State.PENDING, None, None, 0
    row.save(update_fields=["state", "parked_at", "next_attempt_at", "attempts"])
    latest = (
        OutboxEvent.objects.filter(dossier_id=row.dossier_id, pk__gt=row.pk, state=OutboxEvent.State.SENT)
        .order_by("-pk")
        .first()
    )
    if latest is not None:
        OutboxEvent.objects.create(
            dossier_id=row.dossier_id, event_id=latest.event_id, national_status=latest.national_status
        )
    logger.info("national outbox: row %s queued again by user %s", row.pk, actor.pk)
    return row
