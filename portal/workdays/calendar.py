"""The working-day calendar: which days count, and every deadline the portal computes from it.

Every function takes and returns timezone-aware datetimes (a naive one is a ValueError) and reasons in local time,
``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh). Conventions, following Decree 61/2018 practice:

- A **working day** is Monday to Friday that is neither a public holiday (``Holiday``) nor a compensatory day off;
  a make-up working Saturday or Sunday is one. A ``CalendarException`` wins over the weekday and over a holiday.
- **N working days from reception**: the day of reception never counts, whatever the hour. Counting starts on the
  first working day after it and the deadline is the close of office hours on the N-th such day: received Monday
  09:00 with 3 days, due Thursday 17:00; received Saturday, Monday is day 1. A half day is the morning session
  (2.5 days: 11:30 on the 3rd day). 0 days means "within the day": the close of the reception day, or of the next
  working day when received on a day off.
- **N working hours** run on the office clock: only time inside office hours on working days counts.
- **Time between two moments** is measured on the same clock: office time elapsed, in days of full office hours.

Settings (read at call time, so ``override_settings`` works):

- ``PORTAL_OFFICE_HOURS``: the day's sessions in order, default ``[("07:30", "11:30"), ("13:30", "17:00")]``.
- ``PORTAL_TRANSFER_CUTOFF``: default ``"15:00"``; a paper dossier received later is handed to the handling agency
  on the next working day (art. 18).

Holidays and exceptions are read for whole years in one query and kept in each process under the version of the
``"workdays"`` namespace (``portal.cache``), which this app's receivers bump on every write (``signals.py``).
"""

import time as monotonic_clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

from portal import cache as versioned
from portal.workdays.models import CalendarException, Holiday, Outcome

DEFAULT_OFFICE_HOURS = (("07:30", "11:30"), ("13:30", "17:00"))
DEFAULT_TRANSFER_CUTOFF = "15:00"
NAMESPACE = "workdays"
# A process trusts its copy at most this long even without a bump, which bounds the harm of a bulk write that sends
# no signal (a shell session's update()).
MAX_AGE_SECONDS = 600
_ONE_DAY = timedelta(days=1)
_SCAN_LIMIT = 3700  # ten years without a working day: the calendar data is broken, not the deadline long

Session = tuple[time, time]


def office_hours() -> list[Session]:
    raw = getattr(settings, "PORTAL_OFFICE_HOURS", DEFAULT_OFFICE_HOURS)
    sessions = [(_as_time(opens), _as_time(closes)) for opens, closes in raw]
    bounds = [t for session in sessions for t in session]
    if not sessions or bounds != sorted(bounds) or any(opens >= closes for opens, closes in sessions):
        raise ImproperlyConfigured(
            "PORTAL_OFFICE_HOURS must list (opens, closes) sessions in order, not overlapping"
        )
    return sessions


def transfer_cutoff() -> time:
    return _as_time(getattr(settings, "PORTAL_TRANSFER_CUTOFF", DEFAULT_TRANSFER_CUTOFF))


# --- The questions -----------------------------------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    if isinstance(day, datetime):
        raise TypeError("is_working_day takes a date: pass timezone.localdate(moment)")
    return _Days(day).working(day)


def add_working_days(start: datetime, days: int | Decimal) -> datetime:
    """The deadline for "``days`` working days from ``start``" (a whole or half number; see the module's rules)."""
    start = _local(start, "start")
    amount = _amount(days, "days")
    if amount % Decimal("0.5"):
        raise ValueError(f"days must be a whole or half number of days, got {days!r}")
    sessions, calendar, day = office_hours(), _Days(start.date()), start.date()
    if amount == 0:
        return _at(day if calendar.working(day) else calendar.next_after(day), sessions[-1][1])
    whole, half = divmod(amount, 1)
    for _ in range(int(whole) + (1 if half else 0)):
        day = calendar.next_after(day)
    if not half:
        return _at(day, sessions[-1][1])
    if len(sessions) > 1:
        return _at(day, sessions[0][1])
    opens, closes = _at(day, sessions[0][0]), _at(day, sessions[0][1])
    return opens + (closes - opens) / 2


def add_working_hours(start: datetime, hours: int | Decimal) -> datetime:
    """The moment when ``hours`` of office time have passed after ``start``; a deadline that falls exactly on the
    close of a session is that close (11:30, 17:00), not the next opening."""
    start = _local(start, "start")
    return _add_office_time(start, timedelta(microseconds=int(_amount(hours, "hours") * 3_600_000_000)))


def working_days_between(start: datetime, end: datetime) -> Decimal:
    """Office time from ``start`` to ``end`` in working days (full office hours = 1), to two decimals; negative
    when ``end`` comes first. A pause from Monday 09:00 to Thursday 09:00 is 3.00."""
    start, end = _local(start, "start"), _local(end, "end")
    if end < start:
        return -working_days_between(end, start)
    micro = timedelta(microseconds=1)
    per_day = sum(
        (datetime.combine(date.min, c) - datetime.combine(date.min, o) for o, c in office_hours()), micro * 0
    )
    ratio = Decimal(_office_time(start, end) // micro) / Decimal(per_day // micro)
    return ratio.quantize(Decimal("0.01"), ROUND_HALF_UP)


def extend_for_pause(due_at: datetime, paused_from: datetime, paused_until: datetime) -> datetime:
    """``due_at`` pushed back by exactly the office time the clock stood still (a supplement request, a financial
    obligation), so a pause of three working days moves a 17:00 deadline three working days on."""
    paused_from, paused_until = _local(paused_from, "paused_from"), _local(paused_until, "paused_until")
    if paused_until < paused_from:
        raise ValueError("paused_until comes before paused_from")
    return _add_office_time(_local(due_at, "due_at"), _office_time(paused_from, paused_until))


def next_working_day_start(moment: datetime) -> datetime:
    """The opening of the first working day after ``moment``'s day."""
    moment = _local(moment, "moment")
    return _at(_Days(moment.date()).next_after(moment.date()), office_hours()[0][0])


def handover_due(received_at: datetime, *, cutoff: time | None = None) -> datetime:
    """When a paper dossier must reach the handling agency (art. 18): the close of the day of reception, or of the
    next working day when received after ``cutoff`` (default ``PORTAL_TRANSFER_CUTOFF``; 15:00 itself is in time) or
    on a day off."""
    received = _local(received_at, "received_at")
    calendar, day = _Days(received.date()), received.date()
    if not (calendar.working(day) and received.time() <= (cutoff or transfer_cutoff())):
        day = calendar.next_after(day)
    return _at(day, office_hours()[-1][1])


def outcome(finished_at: datetime, due_at: datetime) -> Outcome:
    """Early: finished on a day before the due day. On time: on the due day, up to and including ``due_at``.
    Late: after ``due_at``."""
    finished, due = _local(finished_at, "finished_at"), _local(due_at, "due_at")
    if finished > due:
        return Outcome.LATE
    return Outcome.EARLY if finished.date() < due.date() else Outcome.ON_TIME


# --- The office clock --------------------------------------------------------------------------------------------


def _add_office_time(start: datetime, remaining: timedelta) -> datetime:
    if not remaining:
        return start
    sessions, calendar, day = office_hours(), _Days(start.date()), start.date()
    if not calendar.working(day):
        day = calendar.next_after(day)
    while True:
        for opens, closes in sessions:
            begin, end = max(_at(day, opens), start), _at(day, closes)
            if begin >= end:
                continue
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        day = calendar.next_after(day)


def _office_time(start: datetime, end: datetime) -> timedelta:
    sessions, calendar, day, total = (
        office_hours(),
        _Days(start.date(), end.date()),
        start.date(),
        timedelta(),
    )
    while day <= end.date():
        if calendar.working(day):
            for opens, closes in sessions:
                total += max(min(_at(day, closes), end) - max(_at(day, opens), start), timedelta())
        day += _ONE_DAY
    return total


def _local(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, got {moment!r}")
    if timezone.is_naive(moment):
        raise ValueError(f"{name} must be timezone-aware (got naive {moment.isoformat()})")
    return timezone.localtime(moment)


def _at(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def _as_time(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _amount(value: int | Decimal, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"{name} must be a number, got {value!r}")
    amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return amount


# --- Holidays and exceptions, loaded once per process and version ------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    version: str
    loaded_at: float
    first_year: int
    last_year: int
    off: frozenset[date]  # holidays and compensatory days off
    on: frozenset[date]  # make-up working days: they win over a holiday on the same date

    def covers(self, first_year: int, last_year: int) -> bool:
        return self.first_year <= first_year and last_year <= self.last_year


_current: _Calendar | None = None


class _Days:
    """Working-day answers for one call: the version is read once; a walk past the loaded years loads more."""

    def __init__(self, first: date, last: date | None = None):
        self.calendar = _calendar(first.year, (last or first).year)

    def working(self, day: date) -> bool:
        if not self.calendar.covers(day.year, day.year):
            self.calendar = _calendar(day.year, day.year)
        if day in self.calendar.on:
            return True
        return day.weekday() < 5 and day not in self.calendar.off

    def next_after(self, day: date) -> date:
        for _ in range(_SCAN_LIMIT):
            day += _ONE_DAY
            if self.working(day):
                return day
        raise RuntimeError(f"no working day in ten years after {day}: check holidays and calendar exceptions")


def _calendar(first_year: int, last_year: int) -> _Calendar:
    global _current
    version, current = versioned.version(NAMESPACE), _current
    fresh = (
        current is not None
        and current.version == version
        and monotonic_clock.monotonic() - current.loaded_at < MAX_AGE_SECONDS
    )
    if fresh and current.covers(first_year, last_year):
        return current
    # A year either side as well: deadlines and pauses routinely cross New Year.
    first_year, last_year = first_year - 1, last_year + 1
    if fresh:
        first_year, last_year = min(first_year, current.first_year), max(last_year, current.last_year)
    _current = _load(version, first_year, last_year)
    return _current


def _load(version: str, first_year: int, last_year: int) -> _Calendar:
    span = {"date__gte": date(first_year, 1, 1), "date__lte": date(last_year, 12, 31)}
    holidays = (
        Holiday.objects.filter(**span)
        .annotate(kind=models.Value("holiday", output_field=models.CharField()))
        .values_list("date", "kind")
        .order_by()
    )
    exceptions = CalendarException.objects.filter(**span).values_list("date", "kind").order_by()
    on, off = set(), set()
    for day, kind in holidays.union(exceptions, all=True):
        (on if kind == CalendarException.Kind.WORKING_DAY else off).add(day)
    return _Calendar(
        version, monotonic_clock.monotonic(), first_year, last_year, frozenset(off), frozenset(on)
    )
