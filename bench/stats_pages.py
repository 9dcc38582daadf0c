"""Benchmark of the public statistics (public_statistics/; not named statistics.py, which would shadow the standard
library's module for everything run from bench/) on a database that already holds generated dossiers:

    .venv/bin/python bench/stats_pages.py [--database-url URL] [--duration 10] [--connections 4] [--rebuild]

The database is the one of ``DATABASE_URL`` unless ``--database-url`` is given; fill it first with
``manage.py generate_dossiers --count 1000000`` (about 19 minutes here for one million). Then:

1. ``--rebuild``: ``manage.py rebuild_statistics``, timed.
2. In process: the cost of keeping the summary tables right per dossier transition: for 400 received dossiers, a due
   date moved by a month and back (each a change of contribution: an upsert per touched key), timed around
   ``dossier.save()`` with the receiver and without it, in a transaction rolled back at the end.
3. gunicorn (2 sync workers, production settings, as ``bench/run.py``) and ``--connections`` keep-alive clients for
   ``--duration`` seconds each at ``/healthz`` (the baseline), the overview of a year, a drill-down by agency and the
   commune map: once with every answer recounted from the summary tables (``PORTAL_STATISTICS_CACHE_SECONDS=0``
   and ``PORTAL_PAGE_CACHE_SECONDS=0``: neither the figures nor the page kept), once with the answers and pages
   kept (the defaults, 300 s and 600 s). p95 divided by the ``/healthz`` p95 of the same run.

With ``--multiply K`` first (only on a database named ``portal_bench…``): K more copies of the dossiers already there,
copy k moved back by k × 364 days (whole weeks: the same weekdays) with its own ids and codes, in one
``INSERT … SELECT`` per copy. One million generated dossiers and ``--multiply 9`` give ten million over about twelve
years, near the province's million a year (DOMAIN.md §12), in minutes instead of the hours ``generate_dossiers``
would take; the copies have no history events (the statistics read none). Then ``--rebuild``.

Prints the figures and writes ``bench/results/statistics-latest.json`` (or ``--output``). Traffic to 127.0.0.1
only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import feedback_search  # noqa: E402  (its load generator)
import run as common  # noqa: E402

log = common.log
RESULT_FILE = common.RESULTS / "statistics-latest.json"


def transition_cost() -> dict:
    import django

    sys.path.insert(0, str(BENCH.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from datetime import timedelta

    from django.db import transaction
    from django.db.models.signals import post_save

    from dossiers.models import Dossier
    from public_statistics import receivers

    dossiers = list(
        Dossier.objects.filter(received_at__isnull=False, due_at__isnull=False).order_by("-id")[:400]
    )

    def timed(connected: bool) -> float:
        if not connected:
            post_save.disconnect(
                receivers.dossier_saved, sender="dossiers.Dossier", dispatch_uid="statistics_dossier_saved"
            )
        try:
            with transaction.atomic():
                started = time.perf_counter()
                for dossier in dossiers:
                    dossier.due_at += timedelta(days=31)
                    dossier.save()
                    dossier.due_at -= timedelta(days=31)
                    dossier.save()
                seconds = time.perf_counter() - started
                transaction.set_rollback(True)
        finally:
            receivers.connect()
        return 1000 * seconds / (2 * len(dossiers))

    without, with_ = timed(False), timed(True)
    return {
        "saves": 2 * len(dossiers),
        "ms_per_save_without": without,
        "ms_per_save_with": with_,
        "ms_per_transition": with_ - without,
    }


def multiply(copies: int) -> dict:
    import django

    sys.path.insert(0, str(BENCH.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    django.setup()
    from django.db import connection, transaction

    from dossiers.models import Dossier

    table = Dossier._meta.db_table
    columns = [f.column for f in Dossier._meta.concrete_fields]
    stamps = {f.column for f in Dossier._meta.concrete_fields if f.get_internal_type() == "DateTimeField"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {table}")  # noqa: S608 (our table)
        last, count = cursor.fetchone()
    timings = []
    for k in range(1, copies + 1):

        def value(column: str, k: int = k) -> str:
            if column == "id":
                return f"id + {k * last}"
            if column == "code":
                return f"code || '-{k}'"
            if column in stamps:
                return f"{column} - interval '{k * 364} days'"
            return column

        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 (names from the model)
                f"SELECT {', '.join(value(c) for c in columns)} FROM {table} WHERE id <= {last}"
            )
        timings.append(round(time.monotonic() - started, 1))
        log(f"copy {k}: {count:,} dossiers in {timings[-1]} s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"  # noqa: S608
        )
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        total = cursor.fetchone()[0]
    return {"copies": copies, "dossiers": total, "seconds_per_copy": timings}


def http(env: dict[str, str], args, cache_seconds: int, paths) -> list[dict]:
    env = {**env, "PORTAL_STATISTICS_CACHE_SECONDS": str(cache_seconds)}
    if not cache_seconds:  # recounted: the whole page is not kept either (PORTAL_PAGE_CACHE_SECONDS)
        env["PORTAL_PAGE_CACHE_SECONDS"] = "0"
    return feedback_search.http_benchmark(env, args, paths)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", common.DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", common.DEFAULT_REDIS_URL))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--multiply", type=int, default=0, metavar="K")
    parser.add_argument("--output", type=Path, default=RESULT_FILE)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase == "transition":
        print(json.dumps(transition_cost()))
        return 0
    if args.phase == "multiply":
        print(json.dumps(multiply(args.multiply)))
        return 0
    env = common.django_env(args.database_url, args.redis_url, "benchstats")
    report: dict = {"database": common.database_name(args.database_url)}
    if args.multiply:
        if not report["database"].startswith("portal_bench"):
            raise SystemExit(f"--multiply only on a portal_bench… database, not {report['database']}")
        started = time.monotonic()
        out = common.run(
            [
                common.PYTHON,
                str(Path(__file__).resolve()),
                "--phase",
                "multiply",
                "--multiply",
                str(args.multiply),
            ],
            env,
            4 * 3600,
            capture=True,
        )
        report["multiply"] = {
            **json.loads(out.strip().splitlines()[-1]),
            "seconds": time.monotonic() - started,
        }
        log(f"multiply: {report['multiply']}")
    if args.rebuild:
        started = time.monotonic()
        common.manage(env, "rebuild_statistics", timeout=3600)
        report["rebuild_seconds"] = time.monotonic() - started
        log(f"rebuild: {report['rebuild_seconds']:.1f} s")
    report["transition"] = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", "transition"], env, 900, capture=True
    )
    report["transition"] = json.loads(report["transition"].strip().splitlines()[-1])
    log(f"per transition: {report['transition']}")
    year = time.localtime().tm_year
    paths = [
        ("healthz", "/healthz"),
        ("overview_year", f"/thong-ke/?ky={year}"),
        ("by_agency", f"/thong-ke/theo/co-quan/?ky={year}&sap-xep=dung-han"),
        ("map", f"/thong-ke/ban-do/?ky={year}"),
    ]
    report["recounted"] = http(env, args, 0, paths)
    report["kept"] = http(env, args, 300, paths)
    for label in ("recounted", "kept"):
        print(f"\n{label}: endpoint, requests, p50 ms, p95 ms, p95 / healthz p95")
        for row in report[label]:
            print(
                f"  {row['endpoint']:<14} {row['requests']:>6} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['p95_ratio']:6.2f}"
            )
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
