"""The figures the pages and the API show, read from the summary tables only (``models.py``), each answer kept in
the cache for ``PORTAL_STATISTICS_CACHE_SECONDS`` (published figures may be that much behind the dossiers).

A page filtered by at most one of field, agency, commune and procedure (and any channel) reads ``Rollup``: the
history before the period by calendar years and months of its first year, the period by whole years and the months
left over, a few rows per key. Other combinations read the detailed ``MonthFigure``. Pending past the deadline at a
moment still to come is judged as of now: the dossiers pending now and not yet due (``PendingDue`` by day after
today, ``DossierFact`` for the rest of today) are taken off the month-end count.
"""

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Q, Sum
from django.utils import timezone

from portal import cache as versioned
from public_statistics import rollups
from public_statistics.models import Dim, DossierFact, MonthFigure
from public_statistics.periods import CHANNELS, Filters, Period, add_months

DIMENSIONS = {"linh-vuc": "field_id", "co-quan": "agency_id", "xa": "unit_id", "thu-tuc": "procedure_id"}
DIM_OF = {"field_id": Dim.FIELD, "agency_id": Dim.AGENCY, "unit_id": Dim.UNIT, "procedure_id": Dim.PROCEDURE}
OPEN = F("received") - F("early") - F("on_time") - F("late") - F("closed")
ANSWERS_PER_RATING = 4  # the applicant's indicators 1, 3, 4 and 7


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
    with_fee: int = 0
    paid_online: int = 0
    digitised: int = 0
    rated: int = 0
    rated_good: int = 0
    rated_fair: int = 0

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

    @property
    def payment_share(self) -> float | None:
        """Of the dossiers received with a fee, those whose fee was paid online."""
        return self.paid_online / self.with_fee if self.with_fee else None

    @property
    def digitised_share(self) -> float | None:
        return self.digitised / self.received if self.received else None

    @property
    def answers(self) -> int:
        return ANSWERS_PER_RATING * self.rated

    @property
    def satisfaction(self) -> float | None:
        """The applicants' answers (indicators 1, 3, 4, 7) as a share of the most they could score (2 each): the
        satisfaction group of the Decision 766 index (``ratings.indicators.service_index``)."""
        return (2 * self.rated_good + self.rated_fair) / (2 * self.answers) if self.rated else None

    @property
    def good_share(self) -> float | None:
        return self.rated_good / self.answers if self.rated else None

    @property
    def fair_share(self) -> float | None:
        return self.rated_fair / self.answers if self.rated else None

    @property
    def poor_share(self) -> float | None:
        return (self.answers - self.rated_good - self.rated_fair) / self.answers if self.rated else None

    def but(self, **changes) -> "Figures":
        """A copy with ``changes`` (``dataclasses.replace`` without its per-call look at the fields: a breakdown
        makes one per key)."""
        return Figures(**{**self.__dict__, **changes})

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in FIGURE_NAMES},
            "received": self.received,
            "resolved": self.resolved,
            "within": self.within,
            "on_time_rate": self.on_time_rate,
            "online_share": self.online_share,
            "payment_share": self.payment_share,
            "digitised_share": self.digitised_share,
            "satisfaction": self.satisfaction,
        }


FIGURE_NAMES = tuple(field.name for field in fields(Figures))
FLOWS = rollups.FLOWS


def _aggregates(in_period: Q, before: Q) -> dict:
    """Named ``a_<figure>`` (an aggregate may not take a column's name)."""
    received = {
        "received_online": "truc-tuyen",
        "received_direct": "truc-tiep",
        "received_postal": "buu-chinh",
    }
    out = {
        f"a_{name}": Sum("received", filter=in_period & Q(channel__in=CHANNELS[group]), default=0)
        for name, group in received.items()
    }
    out.update({f"a_{name}": Sum(name, filter=in_period, default=0) for name in FLOWS})
    out["a_carried_over"] = Sum(OPEN, filter=before, default=0)
    out["a_pending"] = Sum(OPEN, default=0)
    out["a_overdue"] = Sum("overdue_change", default=0)
    return out


def _figures(row: dict) -> Figures:
    return Figures(**{name[2:]: value for name, value in row.items() if name.startswith("a_")})


def _of(values: dict) -> Figures:
    return Figures(**{name: n for name, n in values.items() if name != "overdue_before"})


def _dim_filters(filters: Filters) -> list[tuple[str, int]]:
    return [(attr, getattr(filters, attr)) for attr in DIMENSIONS.values() if getattr(filters, attr)]


def _rolled(filters: Filters) -> tuple[int, int] | None:
    """The ``Rollup`` (dim, key) answering these filters, or None when only the detailed table can."""
    chosen = _dim_filters(filters)
    if not chosen:
        return Dim.PROVINCE, 0
    if len(chosen) == 1:
        attr, value = chosen[0]
        return DIM_OF[attr], value
    return None


def _rows(period: Period, filters: Filters):
    rows = MonthFigure.objects.filter(month__lte=period.last)
    for attr, value in _dim_filters(filters):
        rows = rows.filter(**{attr: value})
    if filters.channel:
        rows = rows.filter(channel__in=CHANNELS[filters.channel])
    return rows


def _detailed_aggregates(period: Period) -> dict:
    return _aggregates(Q(month__gte=period.first, month__lte=period.last), Q(month__lt=period.first))


def _totals(period: Period, filters: Filters) -> tuple[Figures, int]:
    """The figures up to the end of the period, overdue as at its end (not yet as of now), and overdue as the
    period began."""
    rolled = _rolled(filters)
    if rolled is not None:
        channels = CHANNELS[filters.channel] if filters.channel else None
        found = rollups.totals(period.first, period.last, *rolled, channels).get(None, rollups.blank())
    else:
        aggregates = _detailed_aggregates(period)
        aggregates["a_overdue_before"] = Sum("overdue_change", filter=Q(month__lt=period.first), default=0)
        found = {k[2:]: v for k, v in _rows(period, filters).aggregate(**aggregates).items()}
    opening_overdue = found.pop("overdue_before")
    return Figures(**found), opening_overdue


def _end_moment(month: date) -> datetime:
    """The moment month ``month`` ends (the next one begins), local."""
    following = add_months(month, 1)
    return datetime.combine(following, time.min, tzinfo=timezone.get_current_timezone())


def _not_yet_due(filters: Filters, until: date, *, by: str | None = None) -> Counter:
    """Dossiers pending now and due from now until the end of month ``until``: ``{(key, local due day): n}`` (key
    the ``by`` attribute's value, or None)."""
    now = timezone.now()
    end = _end_moment(until)
    out = Counter()
    if end <= now:
        return out
    tomorrow = datetime.combine(
        timezone.localdate(now) + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone()
    )
    rolled = _rolled(filters) if by is None or not _dim_filters(filters) else None
    exact_until = tomorrow if rolled is not None else end
    today = timezone.localdate(now)
    if exact_until == end:  # everything from the dossiers (a combination of filters no rollup answers)
        facts = DossierFact.objects.filter(end_month__isnull=True, due_at__gte=now, due_at__lt=end)
        for attr, value in _dim_filters(filters):
            facts = facts.filter(**{attr: value})
        if filters.channel:
            facts = facts.filter(channel__in=CHANNELS[filters.channel])
        for row in facts.values(*([by] if by else []), "due_at"):
            out[(row.get(by), timezone.localdate(row["due_at"]))] += 1
        return out
    # The rest of today from the facts, the days after it from PendingDue, in one statement: per key for a
    # breakdown, per day for the trend.
    dim, key = (DIM_OF[by], None) if by else rolled
    channels = CHANNELS[filters.channel] if filters.channel else None
    filtered = dict(_dim_filters(filters))
    for group, n in rollups.not_yet_due(
        dim=dim, key=key, attr=by, filtered=filtered, channels=channels, now=now, tomorrow=tomorrow, end=end
    ):
        out[(group, None) if by else (None, group or today)] += n
    return out


def _as_of_now(item: Figures, not_yet_due: int) -> Figures:
    return item.but(overdue=item.overdue - not_yet_due) if not_yet_due else item


NAMESPACE = "statistics"


def _kept(name: str, period: Period, filters: Filters, compute):
    key = f"stats:{name}:{period.first:%Y%m}-{period.last:%Y%m}:{filters.cache_key()}"
    # Through the one mechanism: kept at most PORTAL_STATISTICS_CACHE_SECONDS (figures move with every dossier, so
    # they are allowed that age), and dropped at once by a rebuild (``rebuild.statistics_rebuild``).
    return versioned.get_or_set(key, [NAMESPACE], compute, settings.PORTAL_STATISTICS_CACHE_SECONDS)


def figures(period: Period, filters: Filters) -> Figures:
    """Received, resolved and pending for the period (pending as at the end of its last month, or now)."""
    return _kept("figures", period, filters, lambda: _figures_now(period, filters))


def _figures_now(period: Period, filters: Filters) -> Figures:
    return _as_of_now(_totals(period, filters)[0], sum(_not_yet_due(filters, period.last).values()))


def procedure_summary(
    procedure_id: int, *, this_month: date
) -> tuple[list[tuple[int, Figures]], dict | None]:
    """What a procedure's catalogue page shows: its figures this year (to ``this_month``) and last year, and the
    median and 90th percentile of working days from reception to result over the 12 months to ``this_month``, from
    the histogram (None without any resolved dossier); kept together, one cache round trip a page."""
    filters = Filters(procedure_id=procedure_id)
    last_year = this_month.year - 1

    def compute():
        years = [
            (this_month.year, _figures_now(Period(date(this_month.year, 1, 1), this_month), filters)),
            (last_year, _figures_now(Period(date(last_year, 1, 1), date(last_year, 12, 1)), filters)),
        ]
        return years, _processing_times(procedure_id, this_month, 12)

    years, times = _kept("procedure", Period(date(last_year, 1, 1), this_month), filters, compute)
    return years, times if times["count"] else None


def overview(period: Period, filters: Filters) -> tuple[Figures, list[tuple[date, Figures]]]:
    """``figures`` and ``trend`` of the period together, from one read of each table."""

    def compute():
        totals, opening_overdue = _totals(period, filters)
        due_by_day = Counter()
        for (_key, day), n in _not_yet_due(filters, period.last).items():
            due_by_day[day] += n
        months = _trend(period, filters, totals.carried_over, opening_overdue, due_by_day)
        return _as_of_now(totals, sum(due_by_day.values())), months

    return _kept("overview", period, filters, compute)


def breakdown(dimension: str, period: Period, filters: Filters) -> dict[int, Figures]:
    """The same figures per field, agency, commune or procedure (``DIMENSIONS``), for keys with anything to show."""
    attr = DIMENSIONS[dimension]

    def compute():
        if not _dim_filters(filters):
            channels = CHANNELS[filters.channel] if filters.channel else None
            by_key = rollups.totals(period.first, period.last, DIM_OF[attr], None, channels)
            rows = [(key, _of(values)) for key, values in sorted(by_key.items())]
        else:
            aggregates = _detailed_aggregates(period)
            rows = [
                (row[attr], _figures(row))
                for row in _rows(period, filters).values(attr).annotate(**aggregates).order_by(attr)
            ]
        due = Counter()
        for (key, _day), n in _not_yet_due(filters, period.last, by=attr).items():
            due[key] += n
        out = {}
        for key, figures_of_key in rows:
            item = _as_of_now(figures_of_key, due[key])
            if item.received or item.resolved or item.pending or item.carried_over or item.rated:
                out[key] = item
        return out

    return _kept(f"by-{attr}", period, filters, compute)


def trend(period: Period, filters: Filters) -> list[tuple[date, Figures]]:
    """Month by month: received, resolved, and pending at each month's end (or now)."""
    return overview(period, filters)[1]


def _trend(period: Period, filters: Filters, pending: int, overdue: int, due_by_day: Counter) -> list:
    rolled = _rolled(filters)
    if rolled is not None:
        channels = CHANNELS[filters.channel] if filters.channel else None
        flows = {
            month: _of(values)
            for month, values in rollups.by_month(period.first, period.last, *rolled, channels).items()
        }
    else:
        rows = _rows(period, filters).filter(month__gte=period.first)
        aggregates = {
            k: v for k, v in _detailed_aggregates(period).items() if k not in ("a_carried_over", "a_pending")
        }
        aggregates["a_pending"] = Sum(OPEN, default=0)
        flows = {
            row["month"]: _figures(row) for row in rows.values("month").annotate(**aggregates).order_by()
        }
    out = []
    for month_start in period.months:
        item = flows.get(month_start, Figures())
        pending += item.pending  # this month's change of what is open
        overdue += item.overdue
        ends = add_months(month_start, 1)
        not_yet = sum(n for day, n in due_by_day.items() if day < ends)
        out.append((month_start, item.but(pending=pending, overdue=overdue - not_yet)))
    return out


def _processing_times(procedure_id: int, last_month: date, months: int) -> dict:
    """The count, median and 90th percentile (whole working days, rounded up) over ``months`` months to
    ``last_month``; ``{"count": 0}`` without any resolved dossier (kept like any answer)."""
    counts = rollups.processing_days(procedure_id, add_months(last_month, 1 - months), last_month)
    total = sum(n for _, n in counts)
    if not total:
        return {"count": 0}
    return {"count": total, "median": _percentile(counts, total, 0.5), "p90": _percentile(counts, total, 0.9)}


def _percentile(counts: list[tuple[int, int]], total: int, share: float) -> int:
    """The smallest number of days within which at least ``share`` of the dossiers were resolved."""
    running = 0
    for days, n in counts:
        running += n
        if running >= share * total:
            return days
    return counts[-1][0]
