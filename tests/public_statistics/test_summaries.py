"""The summary tables equal a direct count of the dossiers: after a rebuild, after every dossier was counted one save
at a time (the live path), and after random changes saved through the ORM (transfers, new due dates, results,
withdrawals, deletions), for random periods and filters."""

import random
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from dossiers.models import Dossier
from loadtest.generator import generate_dossiers
from portal.agencies.models import Agency
from portal.workdays import calendar as workdays
from public_statistics import selectors
from public_statistics.models import DossierFact, MonthFigure, ProcessingTime
from public_statistics.periods import CHANNELS, Filters, Period, add_months
from public_statistics.services import dossier_counted, statistics_rebuild

pytestmark = pytest.mark.django_db
S = Dossier.State
RESOLVED = (S.AWAITING_RETURN, S.RETURNED)
ENDED = (*RESOLVED, S.WITHDRAWN, S.STOPPED, S.REFUSED)


def _start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())


def _direct(period: Period, filters: Filters, rows: list[Dossier]) -> selectors.Figures:
    """The figures counted straight from the dossiers, with the definitions of ``public_statistics/facts.py``."""
    begin, end = _start(period.first), _start(add_months(period.last, 1))
    units = dict(Agency.objects.values_list("pk", "unit_id"))
    counts = dict.fromkeys(
        (
            "received_online",
            "received_direct",
            "received_postal",
            "carried_over",
            "early",
            "on_time",
            "late",
            "closed",
            "pending",
            "overdue",
        ),
        0,
    )
    for d in rows:
        agency_id = d.handling_agency_id or d.receiving_agency_id
        if filters.field_id and d.procedure.field_id != filters.field_id:
            continue
        if filters.agency_id and agency_id != filters.agency_id:
            continue
        if filters.unit_id and units.get(agency_id) != filters.unit_id:
            continue
        if filters.procedure_id and d.procedure_id != filters.procedure_id:
            continue
        if filters.channel and d.channel not in CHANNELS[filters.channel]:
            continue
        ended_at = d.finished_at if d.state in ENDED and d.finished_at else None
        if begin <= d.received_at < end:
            group = {1: "received_direct", 2: "received_online", 3: "received_postal", 4: "received_online"}
            counts[group[d.channel]] += 1
        if d.received_at < begin and not (ended_at and ended_at < begin):
            counts["carried_over"] += 1
        if ended_at and begin <= ended_at < end:
            if d.state in RESOLVED:
                counts[workdays.outcome(ended_at, d.due_at).value if d.due_at else "on_time"] += 1
            else:
                counts["closed"] += 1
        if d.received_at < end and not (ended_at and ended_at < end):
            counts["pending"] += 1
            if d.due_at and d.due_at < end:
                counts["overdue"] += 1
    return selectors.Figures(**counts)


def _tables() -> tuple[list, list, list]:
    figures = sorted(
        row
        for row in MonthFigure.objects.values_list(
            "month",
            "procedure_id",
            "field_id",
            "agency_id",
            "unit_id",
            "channel",
            "received",
            "early",
            "on_time",
            "late",
            "closed",
            "overdue_change",
        )
        if any(row[6:])
    )
    times = sorted(
        row for row in ProcessingTime.objects.values_list("procedure_id", "month", "days", "count") if row[3]
    )
    facts = sorted(DossierFact.objects.values_list())
    return figures, times, facts


def _random_filters(rng: random.Random) -> list[Filters]:
    sample = list(
        Dossier.objects.filter(received_at__isnull=False).values_list(
            "procedure_id", "procedure__field_id", "receiving_agency_id", "receiving_agency__unit_id"
        )[:50]
    )
    out = [Filters()]
    for _ in range(8):
        procedure_id, field_id, agency_id, unit_id = rng.choice(sample)
        choice = rng.randrange(5)
        out.append(
            [
                Filters(procedure_id=procedure_id),
                Filters(field_id=field_id),
                Filters(agency_id=agency_id),
                Filters(unit_id=unit_id),
                Filters(channel=rng.choice(list(CHANNELS)), field_id=field_id),
            ][choice]
        )
    return out


def _random_periods(rng: random.Random) -> list[Period]:
    today = timezone.localdate()
    this_month = date(today.year, today.month, 1)
    out = [Period(add_months(this_month, -23), this_month), Period(this_month, this_month)]
    for _ in range(6):
        first = add_months(this_month, -rng.randrange(26))
        out.append(Period(first, add_months(first, rng.randrange(6))))
    return out


def _assert_all_equal(rng: random.Random, settings) -> None:
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    rows = list(Dossier.objects.filter(received_at__isnull=False).select_related("procedure"))
    for filters in _random_filters(rng):
        for period in _random_periods(rng):
            assert selectors.figures(period, filters) == _direct(period, filters, rows), (period, filters)


def test_the_rebuilt_and_the_live_tables_equal_a_direct_count_for_random_periods_and_filters(settings):
    rng = random.Random(15)
    before = MonthFigure.objects.count()
    generate_dossiers(count=400, seed=15)  # bulk writes: no signal, nothing counted until the rebuild
    assert MonthFigure.objects.count() == before

    statistics_rebuild(batch=97)
    rebuilt = _tables()
    assert rebuilt[0] and rebuilt[1]
    _assert_all_equal(rng, settings)

    # The live path: each dossier counted as if it had just been saved, in random order, from empty tables.
    for model in (MonthFigure, ProcessingTime, DossierFact):
        model.objects.all().delete()
    dossiers = list(Dossier.objects.all())
    rng.shuffle(dossiers)
    for dossier in dossiers:
        dossier_counted(dossier)
    assert _tables() == rebuilt

    # Random changes saved through the ORM: the receiver keeps the tables right.
    agencies = list(Agency.objects.values_list("pk", flat=True))
    received = list(Dossier.objects.filter(received_at__isnull=False))
    for dossier in rng.sample(received, 60):
        change = rng.randrange(5)
        if change == 0:
            dossier.handling_agency_id = rng.choice(agencies)
        elif change == 1 and dossier.due_at:
            dossier.due_at += timedelta(days=rng.randrange(-40, 40))
        elif change == 2:
            dossier.state, dossier.finished_at = (
                S.AWAITING_RETURN,
                dossier.received_at + timedelta(days=rng.randrange(0, 90)),
            )
        elif change == 3:
            dossier.state, dossier.finished_at = S.WITHDRAWN, dossier.received_at + timedelta(hours=5)
        else:
            dossier.delete()
            continue
        dossier.save()
    _assert_all_equal(rng, settings)
    live = _tables()
    statistics_rebuild()
    assert _tables() == live


def test_an_unchanged_save_writes_nothing(django_assert_num_queries):
    generate_dossiers(count=20, seed=3)
    statistics_rebuild()
    dossier = Dossier.objects.filter(received_at__isnull=False).first()
    with django_assert_num_queries(4):  # the save, the stored fact, the procedure's field, the agency's unit
        dossier.save()


def test_the_processing_time_percentiles_come_from_the_histogram(settings):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    month = date(2026, 3, 1)
    for days, count in [(1, 5), (2, 3), (7, 1), (30, 1)]:
        ProcessingTime.objects.create(procedure_id=42, month=month, days=days, count=count)
    times = selectors.processing_times(42, last_month=date(2026, 6, 1))
    assert times == {"count": 10, "median": 1, "p90": 7}
    assert (
        selectors.processing_times(42, last_month=date(2027, 6, 1)) is None
    )  # March 2026 is out of the 12 months
