"""The summary tables equal a direct count of the dossiers: after the SQL rebuild, after every dossier was counted one
save at a time (the live path, which must give the very same tables), and after random changes saved through the ORM
(transfers, new due dates, results, withdrawals, deletions, ratings, payments, digitised documents), for random
periods and filters, overdue judged as of now in the current month."""

import random
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dossiers.models import Dossier, DossierFile, VaultDocument
from loadtest.generator import generate_dossiers
from payments.models import Payment
from portal.agencies.models import Agency
from portal.catalog.models import Channel
from portal.workdays import calendar as workdays
from public_statistics import selectors, services
from public_statistics.facts import CHANNEL_KINDS
from public_statistics.models import DossierFact, MonthFigure, PendingDue, ProcessingTime, Rollup
from public_statistics.periods import CHANNELS, Filters, Period, add_months
from public_statistics.rebuild import statistics_rebuild
from public_statistics.services import dossier_counted
from ratings.models import Rating

pytestmark = pytest.mark.django_db
S = Dossier.State
RESOLVED = (S.AWAITING_RETURN, S.RETURNED)
ENDED = (*RESOLVED, S.WITHDRAWN, S.STOPPED, S.REFUSED)


def _start(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())


def _others() -> dict:
    """What the ratings, payments and dossiers' documents say, read straight from their tables."""
    fees = set(Channel.objects.filter(fee_amount__gt=0, fee_free=False).values_list("procedure_id", "kind"))
    return {
        "fees": fees,
        "paid": set(Payment.objects.filter(state=Payment.State.PAID).values_list("dossier_id", flat=True)),
        "digitised": set(
            DossierFile.objects.filter(
                kind__in=("application", "supplement"), vault_document__isnull=False
            ).values_list("dossier_id", flat=True)
        ),
        "ratings": {r.dossier_id: (r.created_at, (r.i1, r.i3, r.i4, r.i7)) for r in Rating.objects.all()},
    }


def _direct(period: Period, filters: Filters, rows: list[Dossier], others: dict, *, by: str | None = None):
    """The figures counted straight from the dossiers, with the definitions of ``public_statistics/facts.py``
    (per key of ``by`` when given); overdue as of now when the period has not ended."""
    begin, end = _start(period.first), _start(add_months(period.last, 1))
    cutoff = min(end, timezone.now())
    units = dict(Agency.objects.values_list("pk", "unit_id"))
    names = [f.name for f in selectors.Figures.__dataclass_fields__.values()]
    out: dict = {}
    for d in rows:
        agency_id = d.handling_agency_id or d.receiving_agency_id
        values = {
            "field_id": d.procedure.field_id,
            "agency_id": agency_id,
            "unit_id": units.get(agency_id) or 0,
            "procedure_id": d.procedure_id,
        }
        if any(getattr(filters, attr) and values[attr] != getattr(filters, attr) for attr in values):
            continue
        if filters.channel and d.channel not in CHANNELS[filters.channel]:
            continue
        counts = out.setdefault(values[by] if by else None, dict.fromkeys(names, 0))
        ended_at = d.finished_at if d.state in ENDED and d.finished_at else None
        if begin <= d.received_at < end:
            group = {1: "received_direct", 2: "received_online", 3: "received_postal", 4: "received_online"}
            counts[group[d.channel]] += 1
            paid = d.pk in others["paid"]
            counts["with_fee"] += paid or (d.procedure_id, CHANNEL_KINDS[d.channel]) in others["fees"]
            counts["paid_online"] += paid
            counts["digitised"] += d.pk in others["digitised"]
        rating = others["ratings"].get(d.pk)
        if rating and begin <= rating[0] < end:
            counts["rated"] += 1
            counts["rated_good"] += rating[1].count(2)
            counts["rated_fair"] += rating[1].count(1)
        if d.received_at < begin and not (ended_at and ended_at < begin):
            counts["carried_over"] += 1
        if ended_at and begin <= ended_at < end:
            if d.state in RESOLVED:
                counts[workdays.outcome(ended_at, d.due_at).value if d.due_at else "on_time"] += 1
            else:
                counts["closed"] += 1
        if d.received_at < end and not (ended_at and ended_at < end):
            counts["pending"] += 1
            if d.due_at and d.due_at < cutoff:
                counts["overdue"] += 1
    figures = {key: selectors.Figures(**counts) for key, counts in out.items()}
    return figures if by else figures.get(None, selectors.Figures())


def _tables() -> tuple[list, list, list]:
    def nonzero(model, keys: tuple[str, ...]) -> list:
        """Each row as its key then its counts, where any count is not zero."""
        counts = [f.name for f in model._meta.fields if f.name != "id" and f.name not in keys]
        return sorted(row for row in model.objects.values_list(*keys, *counts) if any(row[len(keys) :]))

    return (
        nonzero(MonthFigure, services.KEY_COLUMNS),
        nonzero(ProcessingTime, ("procedure_id", "month", "days")),
        sorted(DossierFact.objects.values_list()),
        nonzero(Rollup, services.ROLLUP_KEY),
        nonzero(PendingDue, services.DUE_KEY),
    )


def _random_filters(rng: random.Random) -> list[Filters]:
    sample = list(
        Dossier.objects.filter(received_at__isnull=False).values_list(
            "procedure_id", "procedure__field_id", "receiving_agency_id", "receiving_agency__unit_id"
        )[:50]
    )
    out = [Filters()]
    procedure_id, field_id, agency_id, unit_id = sample[0]
    out.append(Filters(field_id=field_id, agency_id=agency_id))  # no rollup answers two of them
    out.append(Filters(unit_id=unit_id, procedure_id=procedure_id, channel="truc-tiep"))
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
    others = _others()
    for filters in _random_filters(rng):
        for period in _random_periods(rng):
            assert selectors.figures(period, filters) == _direct(period, filters, rows, others), (
                period,
                filters,
            )
    this_year = Period(date(timezone.localdate().year, 1, 1), date(timezone.localdate().year, 12, 1))
    for dimension, attr in selectors.DIMENSIONS.items():
        for filters in (Filters(), Filters(channel="truc-tuyen"), _random_filters(rng)[1]):
            for period in (this_year, _random_periods(rng)[-1]):
                direct = _direct(period, filters, rows, others, by=attr)
                direct = {
                    k: f
                    for k, f in direct.items()
                    if f.received or f.resolved or f.pending or f.rated or f.carried_over
                }
                assert selectors.breakdown(dimension, period, filters) == direct, (dimension, period, filters)
    for period in (this_year, _random_periods(rng)[0]):
        for month, item in selectors.trend(period, Filters()):
            assert item.overdue == _direct(Period(month, month), Filters(), rows, others).overdue, month


def _rate_pay_and_digitise(rng: random.Random, dossiers: list[Dossier]) -> None:
    """Ratings, online payments and digitised documents for some dossiers, saved through the ORM."""
    from portal.accounts.models import User

    owner = User.objects.create(username="statistics-owner")
    returned = [d for d in dossiers if d.state == S.RETURNED]
    for dossier in rng.sample(returned, min(40, len(returned))):
        answers = [rng.choice((0, 1, 2, 2, 2)) for _ in range(4)]
        moment = dossier.finished_at + timedelta(days=rng.randrange(0, 20))
        Rating.objects.create(
            dossier=dossier,
            i1=answers[0],
            i3=answers[1],
            i4=answers[2],
            i7=answers[3],
            i6=2,
            source="portal",
            agency_id=dossier.handling_agency_id or dossier.receiving_agency_id,
            year=moment.year,
            quarter=(moment.month - 1) // 3 + 1,
            on_time=True,
            online=True,
            digitised=False,
            one_stop=True,
            created_at=moment,
            changed_at=moment,
        )
    for i, dossier in enumerate(rng.sample(dossiers, 50)):
        Payment.objects.create(
            dossier=dossier,
            payer=owner,
            order_id=f"S15-{i}",
            amount=50_000,
            description="lệ phí",
            state=rng.choice((Payment.State.PAID, Payment.State.PENDING)),
        )
    document = VaultDocument.objects.create(
        owner=owner,
        source=VaultDocument.Source.DIGITISED,
        doc_type="CCCD",
        original_name="a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    for dossier in rng.sample(dossiers, 50):
        DossierFile.objects.create(
            dossier=dossier,
            label="CCCD",
            original_name="a.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            vault_document=document if rng.random() < 0.7 else None,
            kind=rng.choice(("application", "result")),
        )


def test_the_rebuilt_and_the_live_tables_equal_a_direct_count_for_random_periods_and_filters(settings):
    rng = random.Random(15)
    before = MonthFigure.objects.count()
    generate_dossiers(count=400, seed=15)  # bulk writes: no signal, nothing counted until the rebuild
    assert MonthFigure.objects.count() == before
    received = list(Dossier.objects.filter(received_at__isnull=False))
    _rate_pay_and_digitise(rng, received)  # counted live, then all over again by the rebuild

    statistics_rebuild()
    rebuilt = _tables()
    assert all(rebuilt)
    assert any(row[-2] for row in rebuilt[0])  # some ratings and payments were counted
    _assert_all_equal(rng, settings)

    # The live path: each dossier counted as if it had just been saved, in random order, from empty tables.
    for model in (MonthFigure, ProcessingTime, DossierFact, Rollup, PendingDue):
        model.objects.all().delete()
    dossiers = list(Dossier.objects.all())
    rng.shuffle(dossiers)
    for dossier in dossiers:
        dossier_counted(dossier)
    assert _tables() == rebuilt

    # Random changes saved through the ORM: the receivers keep the tables right.
    agencies = list(Agency.objects.values_list("pk", flat=True))
    for dossier in rng.sample(received, 60):
        change = rng.randrange(6)
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
        elif change == 4:
            Payment.objects.filter(dossier=dossier).delete()
            Rating.objects.filter(dossier=dossier).update(
                i1=0
            )  # update(): no signal, caught by the next save
            DossierFile.objects.filter(dossier=dossier).delete()
        else:
            Payment.objects.filter(dossier=dossier).delete()
            DossierFile.objects.filter(dossier=dossier).delete()
            Rating.objects.filter(dossier=dossier).delete()
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
    # The save; the advisory lock, the stored fact, the procedure's field, its fees, the agency's unit, the
    # payment, the rating, the documents (SQLite takes no advisory lock); nothing written.
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 8) as queries:
        dossier.save()
    written = [
        q["sql"] for q in queries.captured_queries[1:] if not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    assert written == []


def test_the_processing_time_percentiles_come_from_the_histogram(settings):
    settings.PORTAL_STATISTICS_CACHE_SECONDS = 0
    month = date(2026, 3, 1)
    for days, count in [(1, 5), (2, 3), (7, 1), (30, 1)]:
        ProcessingTime.objects.create(procedure_id=42, month=month, days=days, count=count)
    _years, times = selectors.procedure_summary(42, this_month=date(2026, 6, 1))
    assert times == {"count": 10, "median": 1, "p90": 7}
    assert (
        selectors.procedure_summary(42, this_month=date(2027, 6, 1))[1] is None
    )  # March 2026 is out of the 12 months
