"""Reading ``Rollup`` in plain SQL: one statement of fixed text a page, a row per key or month with every figure
summed by PostgreSQL (``FIGURES``). (The same through the ORM's filtered aggregates cost more to build than to run:
twenty ``SUM(…) FILTER (…)`` expressions compiled on every request.)

The rows read for a period: calendar years before its first year, that year's months before it, and the period
itself as whole years where it has them and months for the rest. A row is "in the period" when it starts on or after
the period's first month.
"""

from datetime import date, datetime

from django.db import connection

from public_statistics.models import DossierFact, FigureColumns, PendingDue, ProcessingTime, Rollup

COLUMNS = tuple(field.name for field in FigureColumns._meta.local_fields)  # in the model's order
FLOWS = COLUMNS[1:5] + COLUMNS[6:]
RECEIVED = {1: "received_direct", 2: "received_online", 3: "received_postal", 4: "received_online"}
TABLE = Rollup._meta.db_table
SUMS = ", ".join(f"SUM({c})" for c in COLUMNS)


def whole_years(first: date, last: date) -> list[int]:
    return [y for y in range(first.year, last.year + 1) if date(y, 1, 1) >= first and date(y, 12, 1) <= last]


def _where(first: date, last: date, dim: int, key: int | None, channels) -> tuple[str, list]:
    january = date(first.year, 1, 1)
    years = whole_years(first, last)
    branches, params = ["(months = 12 AND start < %s)"], [january]
    if first > january:
        branches.append("(months = 1 AND start >= %s AND start < %s)")
        params += [january, first]
    if years:
        branches.append("(months = 12 AND start >= %s AND start <= %s)")
        params += [date(years[0], 1, 1), date(years[-1], 1, 1)]
    # The period's months outside its whole years: before the first of them, after the last (or all of them).
    before_years = date(years[0], 1, 1) if years else None
    after_years = date(years[-1], 12, 31) if years else None
    if before_years is None:
        branches.append("(months = 1 AND start >= %s AND start <= %s)")
        params += [first, last]
    else:
        if first < before_years:
            branches.append("(months = 1 AND start >= %s AND start < %s)")
            params += [first, before_years]
        if last > after_years:
            branches.append("(months = 1 AND start > %s AND start <= %s)")
            params += [after_years, last]
    sql = f"dim = %s AND ({' OR '.join(branches)})"
    params = [dim, *params]
    if key is not None:
        sql += " AND key = %s"
        params.append(key)
    if channels:
        among, values = _among("channel", channels)
        sql += f" AND {among}"
        params += values
    return sql, params


def _among(column: str, values) -> tuple[str, list]:
    """``column IN (…)`` with one parameter a value: PostgreSQL's ``= ANY(list)`` is not SQLite's (``make run``)."""
    values = list(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def _adapted(params: list) -> list:
    """Dates and moments as the database keeps them (SQLite as text)."""
    ops = connection.ops
    return [
        ops.adapt_datetimefield_value(p)
        if isinstance(p, datetime)
        else ops.adapt_datefield_value(p)
        if isinstance(p, date)
        else p
        for p in params
    ]


def _run(sql: str, params: list) -> list[tuple]:
    """Rows of ``sql``; dates and moments passed and read back as the database keeps them (SQLite as text)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, _adapted(params))
        rows = cursor.fetchall()
    return [
        (date.fromisoformat(row[0][:10]) if isinstance(row[0], str) else row[0], *row[1:]) for row in rows
    ]


OPEN = "received - early - on_time - late - closed"
# Output name → SQL, ``{in}`` standing for "the row is in the period".
FIGURES = {
    "received_direct": "SUM(received) FILTER (WHERE {in} AND channel = 1)",
    "received_online": "SUM(received) FILTER (WHERE {in} AND channel IN (2, 4))",
    "received_postal": "SUM(received) FILTER (WHERE {in} AND channel = 3)",
    **{column: f"SUM({column}) FILTER (WHERE {{in}})" for column in FLOWS},
    "carried_over": f"SUM({OPEN}) FILTER (WHERE NOT {{in}})",
    "overdue_before": "SUM(overdue_change) FILTER (WHERE NOT {in})",
    "pending": f"SUM({OPEN})",
    "overdue": "SUM(overdue_change)",
}


def _select(in_period: str) -> str:
    return ", ".join(f"COALESCE({sql.replace('{in}', in_period)}, 0)" for sql in FIGURES.values())


def blank() -> dict:
    return dict.fromkeys(FIGURES, 0)


def totals(first: date, last: date, dim: int, key: int | None, channels) -> dict:
    """``{key: figures}`` (key None unless ``key`` is None: every key of ``dim``) up to the end of ``last``."""
    where, params = _where(first, last, dim, key, channels)
    group = "key" if key is None else "NULL"
    in_period = f"start >= '{first.isoformat()}'"  # a date's own ISO text: nothing to inject
    sql = f"SELECT {group}, {_select(in_period)} FROM {TABLE} WHERE {where} GROUP BY 1"  # noqa: S608 (names only)
    return {row[0]: dict(zip(FIGURES, row[1:], strict=True)) for row in _run(sql, params)}


def processing_days(procedure_id: int, first: date, last: date) -> list[tuple[int, int]]:
    """``[(working days, dossiers)]`` of a procedure resolved in the months ``first`` to ``last``, by days."""
    sql = (
        f"SELECT days, SUM(count) FROM {ProcessingTime._meta.db_table} "  # noqa: S608 (names only)
        "WHERE procedure_id = %s AND month >= %s AND month <= %s GROUP BY days ORDER BY days"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [procedure_id, *_adapted([first, last])])
        return [(days, int(n)) for days, n in cursor.fetchall()]


def by_month(first: date, last: date, dim: int, key: int, channels) -> dict[date, dict]:
    """Each month's flows, and its change of what is pending and overdue."""
    sql = (
        f"SELECT start, {_select('true')} FROM {TABLE} "  # noqa: S608 (names only)
        "WHERE dim = %s AND key = %s AND months = 1 AND start >= %s AND start <= %s"
    )
    params = [dim, key, first, last]
    if channels:
        among, values = _among("channel", channels)
        sql += f" AND {among}"
        params += values
    return {row[0]: dict(zip(FIGURES, row[1:], strict=True)) for row in _run(sql + " GROUP BY 1", params)}


def not_yet_due(*, dim, key, attr, filtered: dict, channels, now, tomorrow, end) -> list[tuple]:
    """Dossiers pending now and due before ``end``: the rest of today counted in ``DossierFact`` (grouped by the
    ``attr`` column, or as one row with no day), the days after from ``PendingDue`` (grouped by key, or by day).
    ``filtered``: the one dimension filter a rollup answers (attribute → value), or none."""
    facts_where, facts_params = (
        ["end_month IS NULL", "due_at >= %s", "due_at < %s"],
        [now, min(tomorrow, end)],
    )
    for column, value in filtered.items():
        facts_where.append(f"{column} = %s")
        facts_params.append(value)
    dues_where, dues_params = ["dim = %s", "day >= %s", "day < %s"], [dim, tomorrow.date(), end.date()]
    if key is not None:
        dues_where.append("key = %s")
        dues_params.append(key)
    if channels:
        among, values = _among("channel", channels)
        facts_where.append(among)
        facts_params += values
        dues_where.append(among)
        dues_params += values
    facts_group, dues_group = (attr, "key") if attr else ("NULL", "day")
    sql = (
        f"SELECT g, SUM(n) FROM (SELECT {facts_group} AS g, 1 AS n FROM {DossierFact._meta.db_table} "  # noqa: S608
        f"WHERE {' AND '.join(facts_where)} UNION ALL SELECT {dues_group}, count FROM {PendingDue._meta.db_table} "
        f"WHERE {' AND '.join(dues_where)}) AS x GROUP BY 1"
    )
    return _run(sql, facts_params + dues_params)
