"""Recounting the summary tables from scratch (``manage.py rebuild_statistics``): on PostgreSQL in a few set-based
statements, the same tables the per-dossier path (``services.py``) keeps, as a test checks.

1. ``DossierFact`` in one ``INSERT … SELECT`` over the received dossiers, joined to what the ratings, payments and
   dossiers apps say (their selectors' querysets, as subqueries) and to a working-day table built from the portal's
   calendar (``portal.workdays``): office time up to each day, so working days from reception to result are
   ``cumulative(result) − cumulative(reception)``, exactly as ``working_days_between`` counts them.
2. ``MonthFigure``, ``ProcessingTime`` and ``PendingDue`` by ``GROUP BY`` over the facts; ``Rollup`` by ``GROUP BY``
   over ``MonthFigure``.

All in one transaction: the pages show the old figures until it commits. Elsewhere (SQLite in development) each
dossier is counted one at a time through the live path.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction

from portal import cache as versioned
from portal.agencies.models import Agency
from portal.catalog.models import Channel, Procedure
from portal.workdays import calendar as workdays
from public_statistics.facts import CHANNEL_KINDS, CLOSED_STATES, RESOLVED_STATES
from public_statistics.models import DossierFact, MonthFigure, PendingDue, ProcessingTime, Rollup
from public_statistics.selectors import NAMESPACE
from public_statistics.services import FIGURE_COLUMNS, count_row

FACT = DossierFact._meta.db_table
FIGURES = MonthFigure._meta.db_table
TIMES = ProcessingTime._meta.db_table
ROLLUP = Rollup._meta.db_table
DUES = PendingDue._meta.db_table
DAYS = "statistics_office_days"
DIMS = "(VALUES (0, 0), (1, field_id), (2, agency_id), (3, unit_id), (4, procedure_id)) AS d(dim, key)"
KEYS = "procedure_id, field_id, agency_id, unit_id, channel"


@dataclass(frozen=True)
class RebuildSummary:
    dossiers: int
    figure_rows: int
    time_rows: int
    seconds: float


def _sources() -> dict[str, tuple[str, tuple]]:
    """The other apps' rows as SQL subqueries, from their selectors (empty ones when an app is not installed)."""
    from django.apps import apps

    from dossiers.selectors import dossiers_digitised, statistics_rows

    out = {"dossiers": statistics_rows(), "digitised": dossiers_digitised()}
    out = {name: qs.query.sql_with_params() for name, qs in out.items()}
    out["paid"] = ("SELECT NULL::bigint AS dossier_id WHERE false", ())
    out["ratings"] = (
        "SELECT NULL::bigint AS dossier_id, NULL::timestamptz AS created_at, 0 AS i1, 0 AS i3, 0 AS i4, 0 AS i7 "
        "WHERE false",
        (),
    )
    if apps.is_installed("payments"):
        from payments.selectors import dossiers_paid_online

        out["paid"] = dossiers_paid_online().query.sql_with_params()
    if apps.is_installed("ratings"):
        from ratings.selectors import rating_answers

        out["ratings"] = rating_answers().query.sql_with_params()
    return out


def _office_days(cursor, first: datetime, last: datetime) -> int:
    """A temporary table of each local day from ``first`` to ``last`` (a day either side): whether it is a working
    day and the office time (µs) of the working days before it."""
    # A caller's open transaction may still hold the one of an earlier rebuild.
    cursor.execute(f"DROP TABLE IF EXISTS {DAYS}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {DAYS} (day date PRIMARY KEY, working boolean, before_us bigint) ON COMMIT DROP"
    )
    per_day = _per_day_us()
    day, end = first.date() - timedelta(days=1), last.date() + timedelta(days=1)
    rows, before = [], 0
    while day <= end:
        working = workdays.is_working_day(day)
        rows.append((day, working, before))
        before += per_day if working else 0
        day += timedelta(days=1)
    with cursor.connection.cursor() as raw, raw.copy(f"COPY {DAYS} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return per_day


def _sessions_us() -> list[tuple[int, int]]:
    def us(t) -> int:
        return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond

    return [(us(opens), us(closes)) for opens, closes in workdays.office_hours()]


def _per_day_us() -> int:
    return sum(closes - opens for opens, closes in _sessions_us())


def _cumulative(alias: str, column: str, tz: str) -> str:
    """SQL: office time (µs) from the start of the days table to ``column`` (``alias`` is its day's row)."""
    moment = f"EXTRACT(EPOCH FROM ({column} AT TIME ZONE '{tz}')::time) * 1000000"
    within = " + ".join(
        f"GREATEST(0, LEAST({moment}, {closes}) - {opens})" for opens, closes in _sessions_us()
    )
    return f"({alias}.before_us + CASE WHEN {alias}.working THEN {within} ELSE 0 END)"


def _facts_sql(tz: str, per_day: int) -> str:
    month = "date_trunc('month', {} AT TIME ZONE '" + tz + "')::date"
    local_day = "({} AT TIME ZONE '" + tz + "')::date"
    resolved = ", ".join(f"'{s}'" for s in sorted(RESOLVED_STATES))
    closed = ", ".join(f"'{s}'" for s in sorted(CLOSED_STATES))
    kinds = " ".join(f"WHEN {channel} THEN '{kind}'" for channel, kind in CHANNEL_KINDS.items())
    overdue_from = f"GREATEST({month.format('e.due_at')}, e.received_month)"
    answers = ("r.i1", "r.i3", "r.i4", "r.i7")
    good = " + ".join(f"({a} = 2)::int" for a in answers)
    fair = " + ".join(f"({a} = 1)::int" for a in answers)
    # Names from the models and settings, no values: those are the subqueries' own parameters.
    return f"""
        INSERT INTO {FACT} (dossier_id, {KEYS}, received_month, end_month, end_kind, overdue_month, working_days,
            due_at, with_fee, paid_online, digitised, rated_month, rated_good, rated_fair)
        WITH e AS (
            SELECT s.id, s.procedure_id, COALESCE(s.handling_agency_id, s.receiving_agency_id) AS agency_id,
                s.channel, s.received_at, s.due_at, s.finished_at,
                {month.format("s.received_at")} AS received_month,
                CASE WHEN s.finished_at IS NOT NULL AND s.state IN ({resolved}) THEN 'r'
                     WHEN s.finished_at IS NOT NULL AND s.state IN ({closed}) THEN 'c' END AS ended
            FROM (%(dossiers)s) AS s
        ), f AS (
            SELECT e.*, CASE WHEN e.ended IS NOT NULL THEN {month.format("e.finished_at")} END AS end_month FROM e
        )
        SELECT e.id, e.procedure_id, COALESCE(p.field_id, 0), COALESCE(e.agency_id, 0), COALESCE(a.unit_id, 0),
            e.channel, e.received_month, e.end_month,
            CASE e.ended WHEN 'c' THEN 'closed'
                WHEN 'r' THEN CASE WHEN e.due_at IS NULL THEN 'on_time' WHEN e.finished_at > e.due_at THEN 'late'
                    WHEN {local_day.format("e.finished_at")} < {local_day.format("e.due_at")} THEN 'early'
                    ELSE 'on_time' END
                ELSE '' END,
            CASE WHEN e.due_at IS NOT NULL AND (e.end_month IS NULL OR e.finished_at > e.due_at)
                  AND NOT (e.end_month IS NOT NULL AND e.end_month <= {overdue_from})
                THEN {overdue_from} END,
            CASE WHEN e.ended = 'r' THEN GREATEST(0, CEIL(ROUND(
                ({_cumulative("df", "e.finished_at", tz)} - {_cumulative("dr", "e.received_at", tz)})::numeric
                / {per_day}, 2)))::int END,
            e.due_at,
            (fee.procedure_id IS NOT NULL OR paid.dossier_id IS NOT NULL),
            paid.dossier_id IS NOT NULL,
            dig.dossier_id IS NOT NULL,
            {month.format("r.created_at")},
            COALESCE({good}, 0),
            COALESCE({fair}, 0)
        FROM f AS e
        LEFT JOIN {Procedure._meta.db_table} AS p ON p.id = e.procedure_id
        LEFT JOIN {Agency._meta.db_table} AS a ON a.id = e.agency_id
        LEFT JOIN (SELECT DISTINCT procedure_id, kind FROM {Channel._meta.db_table}
                   WHERE fee_amount > 0 AND NOT fee_free) AS fee
            ON fee.procedure_id = e.procedure_id AND fee.kind = CASE e.channel {kinds} END
        LEFT JOIN (%(paid)s) AS paid ON paid.dossier_id = e.id
        LEFT JOIN (%(digitised)s) AS dig ON dig.dossier_id = e.id
        LEFT JOIN (%(ratings)s) AS r ON r.dossier_id = e.id
        LEFT JOIN {DAYS} AS dr ON dr.day = {local_day.format("e.received_at")}
        LEFT JOIN {DAYS} AS df ON df.day = {local_day.format("e.finished_at")}
    """  # noqa: S608


def _figures_sql() -> str:
    zeros = dict.fromkeys(FIGURE_COLUMNS, "0")
    parts = {
        "received_month": {
            **zeros,
            "received": "1",
            "with_fee": "with_fee::int",
            "paid_online": "paid_online::int",
            "digitised": "digitised::int",
        },
        "end_month": {
            **zeros,
            **{kind: f"(end_kind = '{kind}')::int" for kind in ("early", "on_time", "late", "closed")},
            "overdue_change": "-(overdue_month IS NOT NULL)::int",
        },
        "overdue_month": {**zeros, "overdue_change": "1"},
        "rated_month": {**zeros, "rated": "1", "rated_good": "rated_good", "rated_fair": "rated_fair"},
    }
    union = " UNION ALL ".join(
        f"SELECT {month} AS month, {KEYS}, {', '.join(f'{v} AS {c}' for c, v in values.items())} "  # noqa: S608
        f"FROM {FACT} WHERE {month} IS NOT NULL"
        for month, values in parts.items()
    )
    sums = ", ".join(f"SUM({c})" for c in FIGURE_COLUMNS)
    return (
        f"INSERT INTO {FIGURES} (month, {KEYS}, {', '.join(FIGURE_COLUMNS)}) "  # noqa: S608
        f"SELECT month, {KEYS}, {sums} FROM ({union}) AS x GROUP BY month, {KEYS}"
    )


def _rollup_sql() -> str:
    sums = ", ".join(f"SUM({c})" for c in FIGURE_COLUMNS)
    return (
        f"INSERT INTO {ROLLUP} (dim, key, months, start, channel, {', '.join(FIGURE_COLUMNS)}) "  # noqa: S608
        f"SELECT d.dim, d.key, g.months, "
        f"CASE g.months WHEN 1 THEN f.month ELSE date_trunc('year', f.month)::date END AS start, f.channel, {sums} "
        f"FROM {FIGURES} AS f CROSS JOIN LATERAL {DIMS} CROSS JOIN (VALUES (1), (12)) AS g(months) "
        f"GROUP BY 1, 2, 3, 4, 5"
    )


def _statements(tz: str, per_day: int) -> list[str]:
    return [
        _figures_sql(),
        f"INSERT INTO {TIMES} (procedure_id, month, days, count) SELECT procedure_id, end_month, working_days, "  # noqa: S608
        f"COUNT(*) FROM {FACT} WHERE working_days IS NOT NULL GROUP BY 1, 2, 3",
        f"INSERT INTO {DUES} (dim, key, day, channel, count) SELECT d.dim, d.key, "  # noqa: S608
        f"(f.due_at AT TIME ZONE '{tz}')::date, f.channel, COUNT(*) FROM {FACT} AS f CROSS JOIN LATERAL {DIMS} "
        f"WHERE f.end_month IS NULL AND f.due_at IS NOT NULL GROUP BY 1, 2, 3, 4",
        _rollup_sql(),
    ]


def statistics_rebuild(*, progress=None) -> RebuildSummary:
    """Recount everything from the dossiers, in one transaction."""
    started = time.monotonic()
    say = progress or (lambda message: None)
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (MonthFigure, ProcessingTime, DossierFact, Rollup, PendingDue):
            verb = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
            cursor.execute(f"{verb} {model._meta.db_table}")
        if connection.vendor == "postgresql":
            _rebuild_in_sql(cursor, say)
        else:
            _rebuild_one_by_one()
    versioned.bump(NAMESPACE)  # what was made from the old tables is stale
    return RebuildSummary(
        DossierFact.objects.count(),
        MonthFigure.objects.count(),
        ProcessingTime.objects.count(),
        time.monotonic() - started,
    )


def _rebuild_in_sql(cursor, say) -> None:
    tz = settings.TIME_ZONE
    sources = _sources()
    dossiers_sql, dossiers_params = sources["dossiers"]
    cursor.execute(
        f"SELECT MIN(LEAST(received_at, finished_at)), MAX(GREATEST(received_at, finished_at)) "  # noqa: S608
        f"FROM ({dossiers_sql}) AS s",
        dossiers_params,
    )
    first, last = cursor.fetchone()
    if first is None:
        return
    per_day = _per_day_us()
    _office_days(cursor, first, last)
    sql, params = _facts_sql(tz, per_day), []
    # Each subquery's placeholders in the order they appear in the statement.
    order = sorted(sources, key=lambda name: sql.index(f"%({name})s"))
    for name in order:
        sql = sql.replace(f"%({name})s", sources[name][0])
        params.extend(sources[name][1])
    started = time.monotonic()
    cursor.execute(sql, params)
    say(f"facts: {cursor.rowcount:,} in {time.monotonic() - started:.1f} s")
    for statement in _statements(tz, per_day):
        started = time.monotonic()
        cursor.execute(statement)
        say(f"{statement.split()[2]}: {cursor.rowcount:,} rows in {time.monotonic() - started:.1f} s")
    for table in (FACT, FIGURES, TIMES, ROLLUP, DUES):  # fresh planner statistics for the pages' first reads
        cursor.execute(f"ANALYZE {table}")


def _rebuild_one_by_one() -> None:
    from dossiers.selectors import statistics_source

    for row in statistics_source():
        count_row(row["id"], row)
