"""Load benchmark of the public ranking pages with 1,000,000 rated dossiers in a year, in one command:

    .venv/bin/python bench/ratings.py [--count 1000000] [--year 2025] [--duration 15] [--connections 8] [--regenerate]

1. Prepares the database ``portal_bench_ratings`` (or ``BENCH_RATINGS_DATABASE_URL``; by default on the server and
   user of ``DATABASE_URL``): creates it, migrates, loads units, agencies and the real catalogue (the helpers of
   ``bench/run.py``), then, unless exactly ``--count`` ratings are there, writes ``--count`` returned dossiers of
   ``--year`` and one rating each with ``INSERT … SELECT`` over ``generate_series`` (each dossier on a procedure and
   one of its agencies from the catalogue, random answers, 300 officers sharing the ratings), and rebuilds the
   summaries with the app's own ``summaries_rebuild`` (timed). The ranking pages read only the summaries, so the
   dossiers carry the columns a rating reads and no history: ``manage.py generate_dossiers`` makes realistic ones
   (bench/dossiers.py), at minutes per million on idle cores. Then ``VACUUM ANALYZE``.
2. Serves the portal with gunicorn (2 sync workers, production settings, as ``bench/run.py``) and sends
   ``--connections`` keep-alive clients (threads with http.client, as bench/feedback_search.py) at ``/healthz`` (the
   baseline) and at the year's and a quarter's ranking of agencies, the year's ranking of communes and its JSON
   download, each for ``--duration`` seconds in turn. p95 is divided by the ``/healthz`` p95 of the same run (goal
   ≤ 3).
   The pages are kept once rendered for anonymous visitors until a rating arrives in their year
   (``ratings/page_cache.py``), so this measures what most requests cost.
3. In process: each page rendered anew (its tokens replaced first, as a new rating does) and kept, time and SQL
   queries of each, and that the summaries equal a direct computation over the ratings.

Prints a table and writes ``bench/results/ratings-latest.json``. Sends traffic to 127.0.0.1 only; every step is
bounded in time and gunicorn is always stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402
from feedback_search import Load  # noqa: E402

log = common.log
CACHE_PREFIX = "benchratings"
RESULT_FILE = common.RESULTS / "ratings-latest.json"
OFFICERS = 300
ENDPOINTS = [
    ("healthz", "/healthz"),
    ("agencies_year", "/danh-gia/xep-hang/co-quan/{year}/"),
    ("agencies_quarter", "/danh-gia/xep-hang/co-quan/{year}-q2/"),
    ("communes_year", "/danh-gia/xep-hang/xa-phuong/{year}/"),
    ("json_year", "/danh-gia/xep-hang/co-quan/{year}/tai-ve.json"),
]


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 3600) -> dict:
    out = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True
    )
    return json.loads(out.strip().splitlines()[-1])


def default_database_url() -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    return common.with_database(base, "portal_bench_ratings")


def http_benchmark(env: dict[str, str], args, paths: list[tuple[str, str]]) -> list[dict]:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    common.manage(env, "collectstatic", "--noinput", "-v", "0")
    server = common.Gunicorn(env, args.workers, common.RESULTS / "gunicorn-ratings.log")
    rows = []
    try:
        server.wait_ready()
        log(f"gunicorn ready on {server.base} ({args.workers} sync workers)")
        for _label, path in paths:
            status, body = common.http_get(server.base + path, timeout=60)
            if status != 200:
                raise SystemExit(f"{path} answered {status}; see {server.log_path}\n{body[:500]!r}")
            Load("127.0.0.1", server.port, path, args.connections, 2).run()  # warm-up
        for label, path in paths:
            log(f"{args.connections} clients × {args.duration}s {path}")
            stats = Load("127.0.0.1", server.port, path, args.connections, args.duration).run()
            rows.append({"endpoint": label, "path": path, **stats})
    finally:
        server.stop()
        log("gunicorn stopped")
    baseline = rows[0]["p95_ms"] or 1e-9
    for row in rows:
        row["p95_ratio"] = row["p95_ms"] / baseline
    return rows


def print_report(report: dict) -> None:
    data = report["data"]
    print()
    print(
        f"Ranking pages, {data['ratings']:,} rated dossiers in {report['year']} ({data['summaries']:,} summary rows); "
        f"load average before: {report['load_average']}"
    )
    print(f"{'endpoint':<18}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/base':>10}  errors")
    for row in report["http"]:
        print(
            f"{row['endpoint']:<18}{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['p95_ratio']:>10.2f}  {row['errors'] or '-'}"
        )
    print()
    checks = report["checks"]
    print(
        "In process, one request alone (median of 10): rendered (after a rating) / kept; SQL queries rendered / kept"
    )
    for path, rendered in checks["render_ms_median"].items():
        print(
            f"  {path:<48}{rendered:>8.1f} ms /{checks['kept_ms_median'][path]:>6.1f} ms   "
            f"{checks['queries'][path]} / {checks['kept_queries'][path]} queries"
        )
    print("summaries equal a direct computation:", report["checks"]["summaries_equal"])
    if report["generation"]:
        g = report["generation"]
        print(
            f"generation: {g['dossiers']:,} dossiers in {g['dossiers_s']} s, ratings in {g['ratings_s']} s, "
            f"officers' rows in {g['officers_s']} s, summaries rebuilt in {g['rebuild_s']} s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--recreate", action="store_true")
    args, rest = parser.parse_known_args(argv)
    if args.phase:
        return run_phase(args.phase, rest)
    database_url = os.environ.get("BENCH_RATINGS_DATABASE_URL") or default_database_url()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    env = common.django_env(database_url, redis_url, CACHE_PREFIX)
    log(f"database {common.database_name(database_url)}")
    catalogue = common.prepare_database(database_url, env, recreate=args.recreate)
    status = phase(env, "status", str(args.year))
    generation = None
    if status["ratings"] != args.count or args.regenerate:
        if not common.database_name(database_url).startswith("portal_bench"):
            raise SystemExit("refusing to replace the dossiers of a database not named portal_bench…")
        log(
            f"generating {args.count:,} returned and rated dossiers of {args.year} (had {status['ratings']:,})"
        )
        generation = phase(
            {**env, "PORTAL_ENV": "development"},
            "generate",
            str(args.count),
            str(args.year),
            timeout=3 * 3600,
        )
        log(f"  {json.dumps(generation)}")
        common.vacuum(env)
        status = phase(env, "status", str(args.year))
    log(f"  {status['ratings']:,} ratings, {status['summaries']:,} summary rows")
    paths = [(label, path.format(year=args.year)) for label, path in ENDPOINTS]
    load_average = os.getloadavg()[0]
    rows = http_benchmark(env, args, paths)
    checks = phase(env, "checks", json.dumps([path for _label, path in paths[1:]]))
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": round(load_average, 2),
        "year": args.year,
        "catalogue": catalogue,
        "data": status,
        "generation": generation,
        "settings": {"connections": args.connections, "duration": args.duration, "workers": args.workers},
        "http": rows,
        "checks": checks,
    }
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report)
    log(f"written to {RESULT_FILE.relative_to(REPO)}")
    return 0


# --------------------------------------------------------------------------------------------------------------
# Phases (a child process with Django)
# --------------------------------------------------------------------------------------------------------------


def phase_status(year: int) -> dict:
    from ratings.models import Rating, RatingSummary

    return {
        "ratings": Rating.objects.filter(year=year).count(),
        "summaries": RatingSummary.objects.count(),
    }


DOSSIERS_SQL = """
WITH pairs AS (
    SELECT array_agg(pa.procedure_id ORDER BY pa.id) AS procedures, array_agg(pa.agency_id ORDER BY pa.id) AS agencies,
           count(*) AS n
    FROM catalog_procedureagency pa JOIN catalog_procedure p ON p.id = pa.procedure_id WHERE p.is_active
), rows AS (
    SELECT g, pairs.procedures[1 + ((g * 7919) %% pairs.n)::int] AS procedure_id,
           pairs.agencies[1 + ((g * 7919) %% pairs.n)::int] AS agency_id,
           make_timestamptz(%(year)s, 1, 1, 8, 0, 0, 'Asia/Ho_Chi_Minh')
               + (g %% 350) * interval '1 day' + (g %% 480) * interval '1 minute' AS received
    FROM generate_series(1::bigint, %(count)s) AS g, pairs
)
INSERT INTO dossiers_dossier (
    code, procedure_id, receiving_agency_id, handling_agency_id, applicant_id, applicant_kind, applicant_name,
    applicant_id_number, applicant_phone, applicant_email, applicant_address, channel, state, delivery,
    delivery_address, version, submitted_at, received_at, due_at, original_due_at, due_reset, paused_at,
    finished_at, returned_at, created_at, updated_at
)
SELECT 'BENCH-R-' || g, procedure_id, agency_id, agency_id, NULL, 1, 'Người nộp thử', '', '', '', '',
       1 + g %% 2, 'returned', 'office', '', 5, received, received, received + interval '10 days', NULL, false,
       NULL, received + interval '8 days', received + (7 + g %% 5) * interval '1 day', received, received
FROM rows
"""

RATINGS_SQL = """
INSERT INTO ratings_rating (
    dossier_id, i1, i3, i4, i7, comment, i2, i6, source, agency_id, commune_id, field_id, year, quarter,
    on_time, online, digitised, one_stop, created_at, changed_at
)
SELECT d.id, (d.id * 31) % 3, 1 + (d.id * 17) % 2, 2 - (d.id * 13) % 2 * (d.id % 5 / 4), 2 - (d.id % 23 = 0)::int,
       '', CASE WHEN d.id % 11 = 0 THEN NULL ELSE 1 + (d.id % 7 > 1)::int END,
       CASE WHEN p.decision_number <> '' THEN 2 ELSE 1 END, 'link', d.handling_agency_id,
       CASE WHEN a.kind = 'commune' THEN a.id END, p.field_id,
       extract(year FROM d.returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int,
       extract(quarter FROM d.returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::int,
       d.returned_at <= d.due_at, d.channel = 2, d.id % 3 > 0, true, d.returned_at, d.returned_at
FROM dossiers_dossier d
JOIN catalog_procedure p ON p.id = d.procedure_id
JOIN agencies_agency a ON a.id = d.handling_agency_id
WHERE d.code LIKE 'BENCH-R-%'
"""

OFFICERS_SQL = """
INSERT INTO ratings_ratingofficer (rating_id, user_id)
SELECT r.id, (%(officers)s::bigint[])[1 + (r.id %% %(n)s)::int] FROM ratings_rating r
"""


def phase_generate(count: int, year: int) -> dict:
    from django.db import connection, transaction

    from portal.accounts.models import User
    from ratings.models import Rating, RatingLinkUse, RatingOfficer, RatingOutbox
    from ratings.rebuild import summaries_rebuild

    timings = {}
    with transaction.atomic():
        RatingOfficer.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ratings_ratingofficer")
            cursor.execute("DELETE FROM ratings_rating")
            cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE 'BENCH-R-%'")
        RatingLinkUse.objects.all().delete()
        RatingOutbox.objects.all().delete()
        officers = []
        for i in range(OFFICERS):
            user, _created = User.objects.get_or_create(
                username=f"bench-canbo-{i:03d}",
                defaults={"role": User.Role.ONESTOP_OFFICER, "full_name": f"Cán bộ thử {i:03d}"},
            )
            officers.append(user.pk)
        with connection.cursor() as cursor:
            t0 = time.monotonic()
            cursor.execute(DOSSIERS_SQL, {"year": year, "count": count})
            timings["dossiers"] = cursor.rowcount
            timings["dossiers_s"] = round(time.monotonic() - t0, 1)
            t0 = time.monotonic()
            cursor.execute(RATINGS_SQL)
            timings["ratings"] = cursor.rowcount
            timings["ratings_s"] = round(time.monotonic() - t0, 1)
            t0 = time.monotonic()
            cursor.execute(OFFICERS_SQL, {"officers": officers, "n": len(officers)})
            timings["officers_s"] = round(time.monotonic() - t0, 1)
    t0 = time.monotonic()
    timings["summaries"] = summaries_rebuild()
    timings["rebuild_s"] = round(time.monotonic() - t0, 1)
    timings["ratings_in_year"] = Rating.objects.filter(year=year).count()
    return timings


def phase_checks(paths_json: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ratings import page_cache
    from ratings.models import RatingSummary
    from ratings.rebuild import summaries_computed
    from ratings.services import SUMS

    client = Client()
    queries, kept_queries, miss_ms, kept_ms = {}, {}, {}, {}
    for path in json.loads(paths_json):
        client.get(path)
        misses, hits = [], []
        for _round in range(10):
            page_cache.everything_changed()  # as after a rating: the next request renders the page again
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            misses.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            queries[path] = len(captured.captured_queries)
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            hits.append((time.perf_counter() - t0) * 1000)
            kept_queries[path] = len(captured.captured_queries)
        miss_ms[path], kept_ms[path] = (
            round(common.percentile(misses, 0.5), 1),
            round(common.percentile(hits, 0.5), 1),
        )

    def as_rows(rows):
        return sorted((r.scope, r.key, r.year, r.quarter, *(getattr(r, c) for c in SUMS)) for r in rows)

    t0 = time.monotonic()
    equal = as_rows(RatingSummary.objects.all()) == as_rows(summaries_computed())
    return {
        "queries": queries,
        "kept_queries": kept_queries,
        "render_ms_median": miss_ms,
        "kept_ms_median": kept_ms,
        "summaries_equal": equal,
        "direct_computation_s": round(time.monotonic() - t0, 1),
    }


def run_phase(name: str, args: list[str]) -> int:
    common.setup_django()
    if name == "status":
        result = phase_status(int(args[0]))
    elif name == "generate":
        result = phase_generate(int(args[0]), int(args[1]))
    elif name == "checks":
        result = phase_checks(args[0])
    elif name == "vacuum":
        result = common.phase_vacuum()
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
