"""What staff see of the synchronisation: the backlog, its oldest unsent age, failures by reason, the parked rows,
and for one dossier whether its state has reached the national portal."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import IncomingDossier, OutboxEvent

PARKED_SHOWN = 50


def reason_label(code: str) -> str:
    """A failure's reason code (stored) as a sentence in the reader's language."""
    if code.startswith("http_"):
        return _("Cổng DVCQG trả lỗi %(status)s") % {"status": code.removeprefix("http_")}
    labels = {
        "validation": _("Cổng DVCQG từ chối dữ liệu"),
        "internal": _("Lỗi khi lập dữ liệu gửi"),
        "timeout": _("Quá thời gian chờ trả lời"),
        "connection": _("Không kết nối được"),
        "not_json": _("Trả lời không phải JSON (trang lỗi)"),
        "malformed": _("Trả lời sai cấu trúc"),
        "session": _("Phiên làm việc hết hạn"),
        "rate_limited": _("Bị giới hạn số lần gọi"),
    }
    return labels.get(code, code)


@dataclass(frozen=True)
class Backlog:
    pending: int
    retrying: int
    parked: int
    sent_today: int
    oldest_unsent_at: datetime | None
    last_sent_at: datetime | None
    retry_reasons: list[tuple[str, int]]
    parked_reasons: list[tuple[str, str, int]]

    @property
    def oldest_unsent_minutes(self) -> int | None:
        if self.oldest_unsent_at is None:
            return None
        return int((timezone.now() - self.oldest_unsent_at).total_seconds() // 60)


def outbox_backlog() -> Backlog:
    pending = OutboxEvent.objects.filter(state=OutboxEvent.State.PENDING)
    counts = pending.aggregate(
        total=Count("pk"), retrying=Count("pk", filter=Q(attempts__gt=0)), oldest=Min("created_at")
    )
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    sent = OutboxEvent.objects.filter(state=OutboxEvent.State.SENT).aggregate(
        today=Count("pk", filter=Q(sent_at__gte=today)), last=Max("sent_at")
    )
    parked = OutboxEvent.objects.filter(state=OutboxEvent.State.PARKED)
    return Backlog(
        pending=counts["total"],
        retrying=counts["retrying"],
        parked=parked.count(),
        sent_today=sent["today"],
        oldest_unsent_at=counts["oldest"],
        last_sent_at=sent["last"],
        retry_reasons=list(
            pending.filter(attempts__gt=0)
            .values_list("last_error")
            .annotate(n=Count("pk"))
            .order_by("-n", "last_error")
        ),
        parked_reasons=list(
            parked.values_list("last_error", "error_field")
            .annotate(n=Count("pk"))
            .order_by("-n", "last_error")
        ),
    )


def parked_rows(user, limit: int = PARKED_SHOWN):
    """The parked rows a member of staff may see: all for a province admin, their agencies' for the others."""
    rows = OutboxEvent.objects.filter(state=OutboxEvent.State.PARKED)
    if not user.is_province_admin:
        agencies = user.agency_ids()
        rows = rows.filter(
            Q(dossier__receiving_agency_id__in=agencies) | Q(dossier__handling_agency_id__in=agencies)
        )
    return list(
        rows.select_related("dossier")
        .only(
            "pk",
            "national_status",
            "parked_at",
            "attempts",
            "last_error",
            "error_field",
            "error_detail",
            "dossier__code",
            "dossier_id",
        )
        .order_by("-parked_at")[:limit]
    )


def incoming_summary() -> dict:
    """Dossiers pulled from the national portal: how many taken, refused (by reason) and waiting."""
    rows = IncomingDossier.objects.values_list("outcome", "reason").annotate(n=Count("pk"))
    summary: dict = {"taken": 0, "waiting": 0, "refused": 0, "refused_by_reason": []}
    for outcome, reason, n in rows:
        summary[outcome] = summary.get(outcome, 0) + n
        if outcome == IncomingDossier.Outcome.REFUSED:
            summary["refused_by_reason"].append((IncomingDossier.Reason(reason).label if reason else "", n))
    return summary


@dataclass(frozen=True)
class DossierSync:
    state: str  # "sent", "pending", "parked" or "none"
    at: datetime | None
    attempts: int
    reason: str
    national_status: int | None

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason)


def dossier_sync_state(dossier_id: int) -> DossierSync:
    """The first row of the dossier not yet sent, if any (that is what the portal is missing), else the last one
    sent; "none" when nothing of this dossier is for the portal (a draft)."""
    rows = OutboxEvent.objects.filter(dossier_id=dossier_id).only(
        "state", "created_at", "sent_at", "parked_at", "attempts", "last_error", "national_status"
    )
    row = rows.exclude(state=OutboxEvent.State.SENT).order_by("pk").first() or rows.order_by("-pk").first()
    if row is None:
        return DossierSync("none", None, 0, "", None)
    at = {"sent": row.sent_at, "parked": row.parked_at}.get(row.state, row.created_at)
    return DossierSync(row.state, at, row.attempts, row.last_error, row.national_status)
