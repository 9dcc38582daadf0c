"""Keeping the summary tables (``models.py``) right: ``dossier_counted`` after every save of a dossier and
``dossier_recount`` after a change elsewhere that moves its figures (a rating, a payment, a document), in the saving
transaction (``receivers.py``); ``rebuild.statistics_rebuild`` recounts everything at once.

A change applies the difference between the dossier's new contribution and the one remembered in ``DossierFact``, as
``INSERT … ON CONFLICT DO UPDATE`` increments of the detailed rows and of their rollups, keys in a fixed order (two
transactions touching the same rows lock them in the same order, so they wait for each other instead of
deadlocking). Counting one dossier takes a transaction-scoped advisory lock on its id first, so two transactions
counting the same dossier (a payment and a step, say) do it one after the other, each from what the other committed.
"""

from collections import Counter
from dataclasses import asdict
from datetime import date

from django.apps import apps
from django.db import connection, transaction

from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from portal.prepared import NO_ID, Prepared
from public_statistics import rollups
from public_statistics.facts import CHANNEL_KINDS, Extras, Fact, contribution, fact_of
from public_statistics.models import Dim, DossierFact, MonthFigure, PendingDue, ProcessingTime, Rollup

FIGURE_COLUMNS = rollups.COLUMNS
KEY_COLUMNS = ("month", "procedure_id", "field_id", "agency_id", "unit_id", "channel")
ROLLUP_KEY = ("dim", "key", "months", "start", "channel")
DUE_KEY = ("dim", "key", "day", "channel")
ADVISORY_CLASS = 15  # the first half of the advisory lock's key: "a dossier being counted"


def dims_of(procedure_id: int, field_id: int, agency_id: int, unit_id: int) -> tuple[tuple[int, int], ...]:
    """The (dim, key) rows of ``Rollup`` and ``PendingDue`` a detailed key adds to."""
    return (
        (Dim.PROVINCE, 0),
        (Dim.FIELD, field_id),
        (Dim.AGENCY, agency_id),
        (Dim.UNIT, unit_id),
        (Dim.PROCEDURE, procedure_id),
    )


# Read whenever a dossier is counted again (every step): compiled once per process (portal/prepared.py), three small
# queries instead of one the ORM compiled on every count.
_field_of = Prepared(
    lambda pk: Procedure.objects.filter(pk=pk).order_by().values_list("field_id"), sentinel=NO_ID
)
_fee_kinds = Prepared(
    lambda pk: (
        Channel.objects.filter(procedure_id=pk, fee_amount__gt=0, fee_free=False)
        .order_by()
        .values_list("kind")
    ),
    sentinel=NO_ID,
)
_unit_of = Prepared(lambda pk: Agency.objects.filter(pk=pk).order_by().values_list("unit_id"), sentinel=NO_ID)


def _key_of(procedure_id: int, agency_id: int | None, channel: int) -> tuple[int | None, bool, int | None]:
    """The procedure's field, whether the catalogue sets a fee for the channel, the agency's unit."""
    field = _field_of(procedure_id)
    if not field:
        return None, False, None
    fee = (CHANNEL_KINDS.get(channel, ""),) in _fee_kinds(procedure_id)
    unit = _unit_of(agency_id) if agency_id else []
    return field[0][0], fee, unit[0][0] if unit else None


def _extras(dossier_id: int, fee_in_catalogue: bool) -> Extras:
    """What the ratings, payments and dossiers apps know of the dossier, each through its selectors."""
    from dossiers.selectors import dossier_digitised

    paid, rating = False, None
    if apps.is_installed("payments"):
        from payments.selectors import dossier_paid_online

        paid = dossier_paid_online(dossier_id)
    if apps.is_installed("ratings"):
        from ratings.selectors import rating_answers_of

        rating = rating_answers_of(dossier_id)
    return Extras(
        fee_in_catalogue=fee_in_catalogue,
        paid_online=paid,
        digitised=dossier_digitised(dossier_id),
        rated_at=rating[0] if rating else None,
        answers=tuple(rating[1:]) if rating else (),
    )


def fact_from_row(row: dict) -> Fact | None:
    """The contribution of a dossier given its ``dossiers.selectors.STATISTICS_FIELDS``."""
    if row["received_at"] is None:
        return None
    agency_id = row["handling_agency_id"] or row["receiving_agency_id"]
    field_id, fee_in_catalogue, unit_id = _key_of(row["procedure_id"], agency_id, row["channel"])
    return fact_of(
        dossier_id=row["id"],
        procedure_id=row["procedure_id"],
        field_id=field_id,
        agency_id=agency_id,
        unit_id=unit_id,
        channel=row["channel"],
        state=row["state"],
        received_at=row["received_at"],
        due_at=row["due_at"],
        finished_at=row["finished_at"],
        extras=_extras(row["id"], fee_in_catalogue),
    )


def _row_of(dossier) -> dict:
    from dossiers.selectors import STATISTICS_FIELDS

    return {name: getattr(dossier, "pk" if name == "id" else name) for name in STATISTICS_FIELDS}


def dossier_counted(dossier, *, deleted: bool = False) -> None:
    """Bring the tables in line with ``dossier`` as saved (or deleted); a no-op when its contribution is unchanged."""
    count_row(dossier.pk, None if deleted else _row_of(dossier))


def dossier_recount(dossier_id: int) -> None:
    """The same, for a dossier whose rating, payment or documents changed: read as it is now."""
    from dossiers.selectors import statistics_row

    count_row(dossier_id, statistics_row(dossier_id))


_FACT_COLUMNS = tuple(field.attname for field in DossierFact._meta.concrete_fields)
_fact_of = Prepared(
    lambda pk: DossierFact.objects.filter(pk=pk).order_by().values_list(*_FACT_COLUMNS), sentinel=NO_ID
)


def _stored_fact(dossier_id: int) -> Fact | None:
    rows = _fact_of(dossier_id)
    return Fact(**dict(zip(_FACT_COLUMNS, rows[0], strict=True))) if rows else None


def count_row(dossier_id: int, row: dict | None) -> None:
    """Count one dossier given its statistics fields (None: it is gone)."""
    # No savepoint of its own: a failure here fails the saving transaction, which is what should happen.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_CLASS, dossier_id])
        old = _stored_fact(dossier_id)
        new = fact_from_row(row) if row is not None else None
        if old == new:
            return
        old_parts, new_parts = contribution(old, -1), contribution(new, +1)
        _apply(*(_sum(a, b) for a, b in zip(old_parts, new_parts, strict=True)))
        if new is None:
            DossierFact.objects.filter(pk=dossier_id).delete()
        else:
            DossierFact.objects.bulk_create(
                [DossierFact(**asdict(new))],
                update_conflicts=True,
                unique_fields=["dossier_id"],
                update_fields=[k for k in asdict(new) if k != "dossier_id"],
            )


def _sum(a: Counter, b: Counter) -> Counter:
    """a + b keeping negative and dropping zero entries (``Counter.__add__`` drops negatives)."""
    total = Counter(a)
    for key, n in b.items():
        total[key] += n
    return Counter({key: n for key, n in total.items() if n})


def _upsert(table: str, keys: tuple[str, ...], columns: tuple[str, ...], rows: dict[tuple, dict]) -> str:
    """One ``INSERT … ON CONFLICT DO UPDATE`` adding ``rows`` (key → column increments), and its parameters."""
    values = ", ".join(["(" + ", ".join(["%s"] * (len(keys) + len(columns))) + ")"] * len(rows))
    return (
        f"INSERT INTO {table} ({', '.join(keys + columns)}) VALUES {values} "  # noqa: S608 (names from the models)
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in columns)
    )


def _execute(table: str, keys: tuple, columns: tuple, rows: dict[tuple, dict]) -> None:
    rows = {key: values for key, values in rows.items() if any(values.values())}
    if not rows:
        return
    params = []
    for key in sorted(rows):
        params.extend(key)
        params.extend(rows[key][c] for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(_upsert(table, keys, columns, rows), params)


def _apply(figures: Counter, times: Counter, dues: Counter) -> None:
    detailed: dict[tuple, dict[str, int]] = {}
    rolled: dict[tuple, dict[str, int]] = {}
    for (month, procedure_id, field_id, agency_id, unit_id, channel, column), n in figures.items():
        key = (month, procedure_id, field_id, agency_id, unit_id, channel)
        detailed.setdefault(key, dict.fromkeys(FIGURE_COLUMNS, 0))[column] += n
        for dim, value in dims_of(procedure_id, field_id, agency_id, unit_id):
            for months, start in ((1, month), (12, date(month.year, 1, 1))):
                rolled.setdefault((dim, value, months, start, channel), dict.fromkeys(FIGURE_COLUMNS, 0))[
                    column
                ] += n
    pending: dict[tuple, dict[str, int]] = {}
    for (day, procedure_id, field_id, agency_id, unit_id, channel), n in dues.items():
        for dim, value in dims_of(procedure_id, field_id, agency_id, unit_id):
            pending.setdefault((dim, value, day, channel), {"count": 0})["count"] += n
    _execute(MonthFigure._meta.db_table, KEY_COLUMNS, FIGURE_COLUMNS, detailed)
    _execute(Rollup._meta.db_table, ROLLUP_KEY, FIGURE_COLUMNS, rolled)
    _execute(PendingDue._meta.db_table, DUE_KEY, ("count",), pending)
    _execute(
        ProcessingTime._meta.db_table,
        ("procedure_id", "month", "days"),
        ("count",),
        {key: {"count": n} for key, n in times.items()},
    )
