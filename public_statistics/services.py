"""Keeping the summary tables (``models.py``) right: ``dossier_counted`` after every save of a dossier, in the
saving transaction (``receivers.py``), and ``statistics_rebuild`` from scratch.

A change applies the difference between the dossier's new contribution and the one remembered in ``DossierFact``, as
``INSERT … ON CONFLICT DO UPDATE`` increments in a fixed key order (two transactions touching the same rows lock them
in the same order, so they wait for each other instead of deadlocking).
"""

import time
from collections import Counter
from dataclasses import asdict, dataclass

from django.db import connection, transaction

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from public_statistics.facts import Fact, contribution, fact_of
from public_statistics.models import DossierFact, MonthFigure, ProcessingTime
from public_statistics.selectors import NAMESPACE

FIGURE_COLUMNS = ("received", "early", "on_time", "late", "closed", "overdue_change")
KEY_COLUMNS = ("month", "procedure_id", "field_id", "agency_id", "unit_id", "channel")


def _key_of(procedure_id: int, agency_id: int | None) -> tuple[int | None, int | None]:
    field_id = Procedure.objects.filter(pk=procedure_id).values_list("field_id", flat=True).first()
    unit_id = (
        Agency.objects.filter(pk=agency_id).values_list("unit_id", flat=True).first() if agency_id else None
    )
    return field_id, unit_id


def _fact_from_dossier(dossier) -> Fact | None:
    if dossier.received_at is None:
        return None
    agency_id = dossier.handling_agency_id or dossier.receiving_agency_id
    field_id, unit_id = _key_of(dossier.procedure_id, agency_id)
    return fact_of(
        dossier_id=dossier.pk,
        procedure_id=dossier.procedure_id,
        field_id=field_id,
        agency_id=agency_id,
        unit_id=unit_id,
        channel=dossier.channel,
        state=dossier.state,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
    )


def _stored_fact(dossier_id: int) -> Fact | None:
    row = DossierFact.objects.filter(pk=dossier_id).values().first()
    return Fact(**row) if row else None


def dossier_counted(dossier, *, deleted: bool = False) -> None:
    """Bring the tables in line with ``dossier`` as saved (or deleted); a no-op when its contribution is unchanged."""
    old = _stored_fact(dossier.pk)
    new = None if deleted else _fact_from_dossier(dossier)
    if old == new:
        return
    with transaction.atomic():
        old_figures, old_times = contribution(old, -1)
        new_figures, new_times = contribution(new, +1)
        _apply(_sum(old_figures, new_figures), _sum(old_times, new_times))
        if new is None:
            DossierFact.objects.filter(pk=dossier.pk).delete()
        else:
            DossierFact.objects.update_or_create(
                dossier_id=new.dossier_id,
                defaults={k: v for k, v in asdict(new).items() if k != "dossier_id"},
            )


def _sum(a: Counter, b: Counter) -> Counter:
    """a + b keeping negative and dropping zero entries (``Counter.__add__`` drops negatives)."""
    total = Counter(a)
    for key, n in b.items():
        total[key] += n
    return Counter({key: n for key, n in total.items() if n})


_FIGURES = MonthFigure._meta.db_table
_TIMES = ProcessingTime._meta.db_table
# Names from the models, values as parameters.
FIGURE_UPSERT = (
    f"INSERT INTO {_FIGURES} ({', '.join(KEY_COLUMNS + FIGURE_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * (len(KEY_COLUMNS) + len(FIGURE_COLUMNS)))}) "
    f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET "
    + ", ".join(f"{c} = {_FIGURES}.{c} + EXCLUDED.{c}" for c in FIGURE_COLUMNS)
)
TIME_UPSERT = (
    f"INSERT INTO {_TIMES} (procedure_id, month, days, count) VALUES (%s, %s, %s, %s) "  # noqa: S608
    f"ON CONFLICT (procedure_id, month, days) DO UPDATE SET count = {_TIMES}.count + EXCLUDED.count"
)


def _apply(figures: Counter, times: Counter) -> None:
    rows: dict[tuple, dict[str, int]] = {}
    for (*key, column), n in figures.items():
        rows.setdefault(tuple(key), dict.fromkeys(FIGURE_COLUMNS, 0))[column] += n
    with connection.cursor() as cursor:
        for key in sorted(rows):
            cursor.execute(FIGURE_UPSERT, [*key, *(rows[key][c] for c in FIGURE_COLUMNS)])
        for procedure_id, month, days in sorted(times):
            cursor.execute(TIME_UPSERT, [procedure_id, month, days, times[(procedure_id, month, days)]])


@dataclass(frozen=True)
class RebuildSummary:
    dossiers: int
    figure_rows: int
    time_rows: int
    seconds: float


def statistics_rebuild(*, batch: int = 20_000, progress=None) -> RebuildSummary:
    """Recount everything from the dossiers, in one transaction: the pages show the old figures until it commits."""
    from dossiers.selectors import statistics_source

    started = time.monotonic()
    fields = dict(Procedure.objects.values_list("pk", "field_id"))
    units = dict(Agency.objects.values_list("pk", "unit_id"))
    figures, times = Counter(), Counter()
    count = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in (MonthFigure, ProcessingTime, DossierFact):
                cursor.execute(f"TRUNCATE {model._meta.db_table}")
        facts = []
        for row in statistics_source(batch=batch):
            agency_id = row["handling_agency_id"] or row["receiving_agency_id"]
            fact = fact_of(
                dossier_id=row["id"],
                procedure_id=row["procedure_id"],
                field_id=fields.get(row["procedure_id"]),
                agency_id=agency_id,
                unit_id=units.get(agency_id),
                channel=row["channel"],
                state=row["state"],
                received_at=row["received_at"],
                due_at=row["due_at"],
                finished_at=row["finished_at"],
            )
            if fact is None:
                continue
            more_figures, more_times = contribution(fact)
            figures.update(more_figures)
            times.update(more_times)
            facts.append(DossierFact(**asdict(fact)))
            count += 1
            if len(facts) >= batch:
                DossierFact.objects.bulk_create(facts, batch_size=batch)
                facts = []
                if progress:
                    progress(count)
        DossierFact.objects.bulk_create(facts, batch_size=batch)
        rows: dict[tuple, dict[str, int]] = {}
        for (*key, column), n in figures.items():
            rows.setdefault(tuple(key), dict.fromkeys(FIGURE_COLUMNS, 0))[column] += n
        MonthFigure.objects.bulk_create(
            (
                MonthFigure(**dict(zip(KEY_COLUMNS, key, strict=True)), **values)
                for key, values in rows.items()
            ),
            batch_size=batch,
        )
        ProcessingTime.objects.bulk_create(
            (ProcessingTime(procedure_id=p, month=m, days=d, count=n) for (p, m, d), n in times.items() if n),
            batch_size=batch,
        )
    versioned.bump(NAMESPACE)  # what was made from the old tables is stale
    return RebuildSummary(count, len(rows), len(times), time.monotonic() - started)
