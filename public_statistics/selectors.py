"""The figures the pages and the API show, read from the summary tables only (``models.py``), each answer kept in
the cache for ``PORTAL_STATISTICS_CACHE_SECONDS`` (published figures may be that much behind the dossiers)."""

from dataclasses import asdict, dataclass, replace
from datetime import date

from django.conf import settings
from django.db.models import F, Q, Sum

from portal import cache as versioned
from public_statistics.models import MonthFigure, ProcessingTime
from public_statistics.periods import CHANNELS, Filters, Period, add_months

DIMENSIONS = {"linh-vuc": "field_id", "co-quan": "agency_id", "xa": "unit_id", "thu-tuc": "procedure_id"}
OPEN = F("received") - F("early") - F("on_time") - F("late") - F("closed")


@dataclass(frozen=True)
class Figures:
    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    carried_over: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    closed: int = 0
    pending: int = 0
    overdue: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def within(self) -> int:
        return self.pending - self.overdue

    @property
    def handled(self) -> int:
        """All that was on the table in the period: carried over plus new."""
        return self.carried_over + self.received

    @property
    def on_time_rate(self) -> float | None:
        return (self.early + self.on_time) / self.resolved if self.resolved else None

    @property
    def online_share(self) -> float | None:
        return self.received_online / self.received if self.received else None

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "received": self.received,
            "resolved": self.resolved,
            "within": self.within,
            "on_time_rate": self.on_time_rate,
            "online_share": self.online_share,
        }


def _aggregates(period: Period) -> dict:
    """Named ``a_<figure>`` (an aggregate may not take a column's name)."""
    in_period = Q(month__gte=period.first, month__lte=period.last)
    return {
        f"a_{name}": value
        for name, value in {
            "received_online": Sum(
                "received", filter=in_period & Q(channel__in=CHANNELS["truc-tuyen"]), default=0
            ),
            "received_direct": Sum(
                "received", filter=in_period & Q(channel__in=CHANNELS["truc-tiep"]), default=0
            ),
            "received_postal": Sum(
                "received", filter=in_period & Q(channel__in=CHANNELS["buu-chinh"]), default=0
            ),
            "carried_over": Sum(OPEN, filter=Q(month__lt=period.first), default=0),
            "early": Sum("early", filter=in_period, default=0),
            "on_time": Sum("on_time", filter=in_period, default=0),
            "late": Sum("late", filter=in_period, default=0),
            "closed": Sum("closed", filter=in_period, default=0),
            "pending": Sum(OPEN, default=0),
            "overdue": Sum("overdue_change", default=0),
        }.items()
    }


def _figures(row: dict) -> Figures:
    return Figures(**{name[2:]: value for name, value in row.items() if name.startswith("a_")})


def _rows(period: Period, filters: Filters):
    rows = MonthFigure.objects.filter(month__lte=period.last)
    for attr in DIMENSIONS.values():
        value = getattr(filters, attr)
        if value:
            rows = rows.filter(**{attr: value})
    if filters.channel:
        rows = rows.filter(channel__in=CHANNELS[filters.channel])
    return rows


NAMESPACE = "statistics"


def _kept(name: str, period: Period, filters: Filters, compute):
    key = f"stats:{name}:{period.first:%Y%m}-{period.last:%Y%m}:{filters.cache_key()}"
    # Through the one mechanism: kept at most PORTAL_STATISTICS_CACHE_SECONDS (figures move with every dossier, so
    # they are allowed that age), and dropped at once by a rebuild (``services.statistics_rebuild``).
    return versioned.get_or_set(key, [NAMESPACE], compute, settings.PORTAL_STATISTICS_CACHE_SECONDS)


def figures(period: Period, filters: Filters) -> Figures:
    """Received, resolved and pending for the period (pending as at the end of its last month)."""
    return _kept(
        "figures", period, filters, lambda: _figures(_rows(period, filters).aggregate(**_aggregates(period)))
    )


def breakdown(dimension: str, period: Period, filters: Filters) -> dict[int, Figures]:
    """The same figures per field, agency, commune or procedure (``DIMENSIONS``), for keys with anything to show."""
    attr = DIMENSIONS[dimension]

    def compute():
        rows = _rows(period, filters).values(attr).annotate(**_aggregates(period)).order_by(attr)
        out = {}
        for row in rows:
            item = _figures(row)
            key = row[attr]
            if item.received or item.resolved or item.pending or item.carried_over:
                out[key] = item
        return out

    return _kept(f"by-{attr}", period, filters, compute)


def trend(period: Period, filters: Filters) -> list[tuple[date, Figures]]:
    """Month by month: received, resolved, and pending at each month's end."""

    def compute():
        in_period = Period(period.first, period.last)
        rows = _rows(in_period, filters).filter(month__gte=period.first).values("month")
        aggregates = {
            k: v for k, v in _aggregates(in_period).items() if k not in ("a_carried_over", "a_pending")
        }
        aggregates["a_overdue"] = Sum("overdue_change", default=0)
        aggregates["a_pending"] = Sum(OPEN, default=0)
        flows = {row["month"]: _figures(row) for row in rows.annotate(**aggregates).order_by("month")}
        opening = figures(Period(period.first, period.first), filters)
        pending = opening.carried_over
        overdue = opening.overdue - (flows[period.first].overdue if period.first in flows else 0)
        out = []
        for month in period.months:
            item = flows.get(month, Figures())
            pending += item.pending  # this month's change of what is open
            overdue += item.overdue
            out.append((month, replace(item, pending=pending, overdue=overdue)))
        return out

    return _kept("trend", period, filters, compute)


def processing_times(procedure_id: int, *, last_month: date, months: int = 12) -> dict | None:
    """Median and 90th percentile of working days from reception to result, over ``months`` months up to
    ``last_month``, from the histogram (whole working days, rounded up); None without any resolved dossier."""
    first = add_months(last_month, 1 - months)

    def compute():
        counts = list(
            ProcessingTime.objects.filter(procedure_id=procedure_id, month__gte=first, month__lte=last_month)
            .values("days")
            .annotate(n=Sum("count"))
            .order_by("days")
            .values_list("days", "n")
        )
        total = sum(n for _, n in counts)
        if not total:
            return {"count": 0}
        return {
            "count": total,
            "median": _percentile(counts, total, 0.5),
            "p90": _percentile(counts, total, 0.9),
        }

    result = _kept(f"times-{procedure_id}", Period(first, last_month), Filters(), compute)
    return result if result["count"] else None


def _percentile(counts: list[tuple[int, int]], total: int, share: float) -> int:
    """The smallest number of days within which at least ``share`` of the dossiers were resolved."""
    running = 0
    for days, n in counts:
        running += n
        if running >= share * total:
            return days
    return counts[-1][0]
