"""Load benchmark of the portal on PostgreSQL and Redis, in one command: ``make bench``.

    .venv/bin/python bench/run.py [--duration 15] [--connections 8] [--threads 2] [--rounds 10] [--no-20k]

1. Prepares the database ``portal_bench`` (or ``DATABASE_URL``): creates it, migrates, loads the units, the
   agencies and the real catalogue (1,601 procedures) unless they are there already. Prepares a second
   database, ``<name>_20k``, holding the same data plus synthetic procedures up to 20,000.
2. Serves ``portal_bench`` with gunicorn (2 sync workers, on a free loopback port) under production settings
   (``PORTAL_ENV=production``, DEBUG off, whitenoise manifest storage, Redis cache) except that plain HTTP is
   served (``SECURE_SSL_REDIRECT=false``). Waits for /readyz, warms every endpoint up, then runs wrk against
   each endpoint in turn and reads p50/p95/p99 from a small Lua ``done()`` hook.
3. Counts the SQL queries of each catalogue page in process (Django test client and
   ``CaptureQueriesContext``) at page sizes 10 and 100, on both databases: the counts must not change.
4. Times ranked search in process at 1,601 and 20,000 procedures: the index alone
   (``search_index().search(q)``) and the whole page query (``selectors.procedure_page``).

Prints a table and writes ``bench/results/latest.json``. Sends traffic to 127.0.0.1 only; every step is
bounded in time and gunicorn is always stopped. See bench/README.md for how to read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from queries import SEARCH_QUERIES  # bench/queries.py (this script's folder is on sys.path)

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
PYTHON = sys.executable

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: the tests use 0
SYNTHETIC_TOTAL = 20_000
REAL_TOTAL = 1_601

ENDPOINTS = [
    ("baseline /healthz", "/healthz"),
    ("catalogue list", "/thu-tuc/"),
    ("catalogue search", "/thu-tuc/?q=dang+ky+khai+sinh"),
    ("procedure detail", "/thu-tuc/1.001193/"),
    ("API search", "/api/v1/procedures?q=giay+phep+xay+dung"),
]

# Pages whose SQL query count is checked at two page sizes ({agency} is filled in with a real agency code).
COUNTED_PAGES = [
    "/thu-tuc/",
    "/thu-tuc/?q=dang+ky+khai+sinh",
    "/thu-tuc/?q=dang+ky&level=xa",
    "/thu-tuc/1.001193/",
    "/co-quan/{agency}/",
    "/api/v1/procedures",
    "/api/v1/procedures?q=giay+phep+xay+dung",
]
PAGE_SIZES = (10, 100)
DETAIL_PATH = re.compile(r"^/thu-tuc/[^/?]+/$")


# Synthetic names: a real name plus one of these, so the 20,000 titles differ and share real vocabulary.
VARIANTS = [
    " (thực hiện tại cấp xã)",
    " (thực hiện tại cấp tỉnh)",
    " - trực tuyến",
    " tại bộ phận một cửa",
    " (bản {k})",
    " cho tổ chức",
    " cho cá nhân",
    " lần đầu",
    " qua dịch vụ bưu chính",
    " theo mẫu số {k}",
    " (áp dụng từ năm 20{k:02d})",
    " tại khu vực biên giới",
]

WRK_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "mean_us": %.1f, "p50_us": %.0f, '
    .. '"p75_us": %.0f, "p90_us": %.0f, "p95_us": %.0f, "p99_us": %.0f, "max_us": %.0f, '
    .. '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean, latency:percentile(50),
    latency:percentile(75), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


# --------------------------------------------------------------------------------------------------------------
# Orchestration (this process never imports Django: each database gets its own child process)
# --------------------------------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def django_env(database_url: str, redis_url: str, cache_prefix: str) -> dict[str, str]:
    """Production settings served over plain HTTP, on the given database, with a Redis cache of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"PORTAL_CATALOG_PAGE_SIZE", "CELERY_BROKER_URL"}}
    env.update(
        PORTAL_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(48),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=cache_prefix,
        PORTAL_VAR_DIR=str(REPO / "var" / "bench"),
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(cmd: list[str], env: dict[str, str], timeout: float, *, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and fixed arguments)
        cmd, cwd=REPO, env=env, timeout=timeout, text=True, capture_output=capture, check=False
    )
    if result.returncode != 0:
        detail = (result.stderr or "")[-3000:] if capture else ""
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(cmd)}\n{detail}")
    return result.stdout if capture else ""


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    run([PYTHON, "manage.py", *args], env, timeout)


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 900) -> dict:
    """Run one in-process measurement in a child process and return the JSON it prints on its last line."""
    out = run([PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def _maintenance_connection(url: str):
    sys.path.insert(0, str(REPO))
    import psycopg

    from portal.env import parse_database_url

    cfg = parse_database_url(url)
    conninfo = {"dbname": "postgres", "host": cfg["HOST"], "port": cfg["PORT"], "user": cfg["USER"]}
    conninfo["password"] = cfg["PASSWORD"]
    conninfo = {k: v for k, v in conninfo.items() if v}
    return psycopg.connect(**conninfo, autocommit=True, connect_timeout=10)


def ensure_database(url: str, *, template: str | None = None, drop: bool = False) -> None:
    """Create the database if it does not exist, as a copy of ``template`` when given; ``drop`` recreates it."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    with _maintenance_connection(url) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        if template:
            try:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                        sql.Identifier(name), sql.Identifier(template)
                    )
                )
                return
            except psycopg.Error as exc:  # e.g. a session is still connected to the template
                log(f"copy of {template} failed ({exc.__class__.__name__}); creating {name} empty")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_database(
    url: str, env: dict[str, str], *, template: str | None = None, recreate: bool = False
) -> dict:
    """Create, migrate and load the database; recreate it if its tables no longer match the models.

    Until the first release the initial migrations are edited in place, so a database migrated by an older
    checkout can lack a column that ``migrate`` will never add. The benchmark's databases are scratch copies:
    such a database is dropped and built again (only if its name starts with ``portal_bench``, or with
    ``--recreate``).
    """
    ensure_database(url, template=template, drop=recreate)
    manage(env, "migrate", "--noinput", "-v", "0")
    counts = phase(env, "status")
    if counts["schema_problems"]:
        name = database_name(url)
        if not (recreate or name.startswith("portal_bench")):
            raise SystemExit(
                f"{name} does not match the models ({counts['schema_problems'][:3]}); use --recreate"
            )
        log(f"  {name} does not match the models ({counts['schema_problems'][0]}): recreating it")
        ensure_database(url, template=template, drop=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        counts = phase(env, "status")
        if counts["schema_problems"]:
            raise SystemExit(f"{name} still does not match the models: {counts['schema_problems'][:3]}")
    if not counts["units"]:
        manage(env, "load_units")
    if not counts["agencies"]:
        manage(env, "load_agencies")
    if counts["procedures"] < REAL_TOTAL:
        manage(env, "import_procedures", "--quiet-incomplete")
    return phase(env, "status")


def vacuum(env: dict[str, str]) -> None:
    """Fresh statistics and visibility map, as autovacuum keeps them in production (counts use the index)."""
    phase(env, "vacuum", timeout=600)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Gunicorn:
    """gunicorn in its own process group on 127.0.0.1:<free port>; stop() ends that group and nothing else."""

    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        cmd = [
            PYTHON, "-m", "gunicorn", "portal.wsgi:application",
            "--config", "python:portal.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers),
            "--worker-class", "sync",
            "--timeout", "30",
            "--worker-tmp-dir", "/dev/shm",
            "--no-control-socket",
            "--log-level", "warning",
        ]  # fmt: skip
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {self.log_path}")
            try:
                status, body = http_get(self.base + "/readyz", timeout=3)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn not ready after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group this script created, by its id
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._log.close()


def wrk(url: str, lua: Path, *, threads: int, connections: int, duration: int) -> dict:
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        url,
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)  # noqa: S603
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({result.returncode}) on {url}:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = data["duration_us"] / 1e6
    return {
        "requests": int(data["requests"]),
        "rps": data["requests"] / seconds if seconds else 0.0,
        "mean_ms": data["mean_us"] / 1000,
        **{f"p{p}_ms": data[f"p{p}_us"] / 1000 for p in (50, 75, 90, 95, 99)},
        "max_ms": data["max_us"] / 1000,
        "errors": {k: int(v) for k, v in data["errors"].items()},
    }


def http_benchmark(env: dict[str, str], args) -> list[dict]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")  # production storage needs the manifest
    server = Gunicorn(env, args.workers, RESULTS / "gunicorn.log")
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lua = Path(tmp) / "report.lua"
            lua.write_text(WRK_LUA)
            server.wait_ready()
            log(f"gunicorn ready on {server.base} ({args.workers} sync workers)")
            for _label, path in ENDPOINTS:
                status, body = http_get(server.base + path, timeout=60)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}; see {server.log_path}\n{body[:500]!r}")
                # Warm-up: with 8 connections both workers get requests and build their search index.
                wrk(server.base + path, lua, threads=args.threads, connections=args.connections, duration=3)
            for label, path in ENDPOINTS:
                log(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s {path}")
                stats = wrk(server.base + path, lua, threads=args.threads, connections=args.connections,
                            duration=args.duration)  # fmt: skip
                rows.append({"endpoint": label, "path": path, **stats})
    finally:
        server.stop()
        log("gunicorn stopped")
    baseline = rows[0]["p95_ms"] or 1e-9
    for row in rows:
        row["p95_ratio"] = row["p95_ms"] / baseline
    return rows


def print_http(rows: list[dict]) -> None:
    print()
    print(
        f"{'endpoint':<18} {'path':<41} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'p95/base':>8}"
        f" {'alone ms':>8}  errors"
    )
    for r in rows:
        errors = sum(r["errors"].values())
        alone = f"{r['alone_ms']:>8.2f}" if "alone_ms" in r else f"{'':>8}"
        print(
            f"{r['endpoint']:<18} {r['path']:<41} {r['rps']:>7.1f} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f}"
            f" {r['p99_ms']:>7.2f} {r['p95_ratio']:>7.1f}x {alone}  {errors or '-'}"
        )


def print_counts(label: str, counts: dict) -> bool:
    print(f"\nSQL queries per request, {label} (page size {' vs '.join(map(str, PAGE_SIZES))}):")
    ok = True
    for path, by_size in counts["pages"].items():
        values = [by_size[str(s)]["queries"] for s in PAGE_SIZES]
        statuses = {by_size[str(s)]["status"] for s in PAGE_SIZES}
        same = len(set(values)) == 1 and statuses == {200}
        ok &= same
        detail = "  ".join(
            f"{s}: {by_size[str(s)]['queries']:>2}"
            + ("" if by_size[str(s)]["items"] is None else f" ({by_size[str(s)]['items']} rows)")
            for s in PAGE_SIZES
        )
        print(f"  {'ok ' if same else 'BAD'} {path:<42} {detail}  status {sorted(statuses)}")
    return ok


def print_search(label: str, timing: dict) -> None:
    print(
        f"\nSearch at {timing['procedures']:,} procedures ({label}): index build {timing['build_ms']:.0f} ms,"
        f" {timing['queries']} queries x {timing['rounds']} rounds"
    )
    for key, name in (("index", "search_index().search(q)"), ("page", "selectors.procedure_page(q)"),
                      ("list", "procedure_page, no query")):  # fmt: skip
        t = timing[key]
        print(
            f"  {name:<30} p50 {t['p50_ms']:7.2f} ms   p95 {t['p95_ms']:7.2f} ms   max {t['max_ms']:7.2f} ms"
        )


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every load benchmark here takes: wrk's and gunicorn's sizes, --no-http, --recreate and the
    hidden in-process phase."""
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per endpoint (default 15)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--no-http", action="store_true", help="skip the wrk part")
    parser.add_argument(
        "--recreate", action="store_true", help="drop and rebuild the benchmark database(s) first"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="*", help=argparse.SUPPRESS)


def load_run_urls(args, variable: str, default: str, script: str) -> tuple[str, str]:
    """Check that wrk is there (unless --no-http) and return the PostgreSQL URL (``variable`` or ``default``) and the
    Redis URL of a benchmark run."""
    if not args.no_http and subprocess.run(["which", "wrk"], capture_output=True, check=False).returncode:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    database_url = os.environ.get(variable) or default
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit(f"{script} measures PostgreSQL: {variable} must be a postgres:// URL")
    return database_url, os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load benchmark of the portal (see bench/README.md).")
    add_load_arguments(parser)
    parser.add_argument(
        "--rounds", type=int, default=10, help="repetitions of each search query (default 10)"
    )
    parser.add_argument("--no-20k", action="store_true", help="skip the 20,000-procedure database")
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args.phase, args.phase_args)

    database_url, redis_url = load_run_urls(args, "DATABASE_URL", DEFAULT_DATABASE_URL, "bench/run.py")
    started = time.monotonic()
    url_20k = with_database(database_url, database_name(database_url) + "_20k")
    env = django_env(database_url, redis_url, "bench")
    env_20k = django_env(url_20k, redis_url, "bench20k")

    log(f"database {database_name(database_url)}: create if missing, migrate, load data if missing")
    status = prepare_database(database_url, env, recreate=args.recreate)
    log(f"  {status['units']} units, {status['agencies']} agencies, {status['procedures']} procedures")
    if not args.no_20k:
        log(
            f"database {database_name(url_20k)}: the above plus synthetic procedures up to {SYNTHETIC_TOTAL:,}"
        )
        # Recreated whenever the real one was, so that both run the same code's schema and data.
        prepare_database(url_20k, env_20k, template=database_name(database_url), recreate=args.recreate)
        status_20k = phase(env_20k, "synthesize", str(SYNTHETIC_TOTAL), timeout=1200)
        log(f"  {status_20k['procedures']} procedures ({status_20k['created']} created now)")
        vacuum(env_20k)
    vacuum(env)

    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "setup": {
            "settings": "PORTAL_ENV=production, DEBUG off, SECURE_SSL_REDIRECT=false, Redis cache",
            "gunicorn": f"{args.workers} sync workers",
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
            "database": database_name(database_url),
        },
    }
    report["machine"]["loadavg_before"] = [round(x, 2) for x in os.getloadavg()]
    if not args.no_http:
        # As deployed (public pages from the page cache, warm after the first request), then with the page cache off
        # so every request renders: the second table is what a first visit to an uncommon URL costs.
        report["http"] = http_benchmark(env, args)
        report["http_uncached"] = http_benchmark({**env, "PORTAL_PAGE_CACHE_SECONDS": "0"}, args)

    log("in-process time of one request per endpoint")
    uncached = {
        **env,
        "PORTAL_PAGE_CACHE_SECONDS": "0",
    }  # in-process figures measure rendering, not the cache
    service = phase(uncached, "service", "30")
    for row in report.get("http", []):
        row["alone_ms"] = service[row["path"]]["p50_ms"]
    report["alone"] = service

    log("SQL query counts at page sizes 10 and 100")
    report["query_counts"] = {"real": phase(uncached, "counts")}
    if not args.no_20k:
        report["query_counts"]["synthetic_20k"] = phase(
            {**env_20k, "PORTAL_PAGE_CACHE_SECONDS": "0"}, "counts"
        )

    log(f"search timing, {args.rounds} rounds")
    report["search"] = {"real": phase(env, "search", str(args.rounds))}
    if not args.no_20k:
        report["search"]["synthetic_20k"] = phase(env_20k, "search", str(args.rounds))

    RESULTS.mkdir(parents=True, exist_ok=True)
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    (RESULTS / "latest.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")

    if "http" in report:
        print("\nPage cache on (as deployed):", end="")
        print_http(report["http"])
        print("\nPage cache off (every request rendered):", end="")
        print_http(report["http_uncached"])
        print(f"(load average before the run: {' '.join(map(str, report['machine']['loadavg_before']))})")
    ok = True
    for counts in report["query_counts"].values():
        ok &= print_counts(f"{counts['procedures']:,} procedures", counts)
    for key, timing in report["search"].items():
        print_search("real catalogue" if key == "real" else "synthetic copies", timing)
    print(f"\nwritten {RESULTS / 'latest.json'} ({report['elapsed_s']:.0f} s)")
    if not ok:
        print("Query counts differ between page sizes (or a page did not answer 200): an N+1 crept in.")
        return 1
    return 0


# --------------------------------------------------------------------------------------------------------------
# In-process phases: run in a child process with DATABASE_URL etc. set; each prints one JSON line last
# --------------------------------------------------------------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values_ms: list[float]) -> dict:
    return {
        "p50_ms": percentile(values_ms, 0.50),
        "p95_ms": percentile(values_ms, 0.95),
        "max_ms": max(values_ms),
        "mean_ms": statistics.fmean(values_ms),
        "n": len(values_ms),
    }


def search_queries() -> list[str]:
    """The realistic query list shared with bench/search_index.py, without over-long queries."""
    from portal.catalog.forms import MAX_QUERY_LENGTH

    return [q for q in SEARCH_QUERIES if len(q) <= MAX_QUERY_LENGTH]


def schema_problems() -> list[str]:
    """Differences between the project's models and the tables (missing tables, missing or extra columns)."""
    from django.apps import apps
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models():
            if not model.__module__.startswith("portal.") or not model._meta.managed:
                continue
            table = model._meta.db_table
            if table not in tables:
                problems.append(f"table {table} missing")
                continue
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            expected = {f.column for f in model._meta.local_concrete_fields}
            problems += [f"{table}.{c} missing" for c in sorted(expected - columns)]
            problems += [f"{table}.{c} not in the model" for c in sorted(columns - expected)]
    return problems


def phase_status() -> dict:
    from portal.agencies.models import Agency
    from portal.catalog.models import Procedure
    from portal.territory.models import AdministrativeUnit

    problems = schema_problems()
    if problems:
        return {"schema_problems": problems, "units": 0, "agencies": 0, "procedures": 0}
    return {
        "schema_problems": [],
        "units": AdministrativeUnit.objects.count(),
        "agencies": Agency.objects.count(),
        "procedures": Procedure.objects.count(),
    }


def phase_synthesize(target: int) -> dict:
    """Add procedures copied from the real ones (new codes 9.xxxxxx, varied names, same channels) up to target."""
    from django.db import transaction

    from portal import cache as versioned
    from portal.catalog.models import Channel, Procedure
    from portal.catalog.search_index import NAMESPACE

    existing = Procedure.objects.count()
    created = 0
    if existing < target:
        base = list(Procedure.objects.exclude(code__startswith="9.").order_by("id"))
        channels: dict[int, list[Channel]] = {}
        for channel in Channel.objects.filter(procedure__in=base).order_by("procedure_id", "position"):
            channels.setdefault(channel.procedure_id, []).append(channel)
        fields = [f for f in Procedure._meta.concrete_fields if not f.primary_key]
        channel_fields = [f for f in Channel._meta.concrete_fields if f.name not in {"id", "procedure"}]
        name_length = Procedure._meta.get_field("name").max_length
        taken = set(Procedure.objects.filter(code__startswith="9.").values_list("code", flat=True))
        new, sources, i = [], [], 0
        while existing + len(new) < target:
            source = base[i % len(base)]
            code = f"9.{i:06d}"
            k = i // len(base)
            i += 1
            if code in taken:
                continue
            values = {f.attname: getattr(source, f.attname) for f in fields}
            suffix = VARIANTS[k % len(VARIANTS)].format(k=k)
            values.update(code=code, name=source.name[: name_length - len(suffix)] + suffix)
            new.append(Procedure(**values))
            sources.append(source.id)
        with transaction.atomic():
            Procedure.objects.bulk_create(new, batch_size=1000)
            copies = [
                Channel(
                    procedure_id=procedure.id, **{f.attname: getattr(c, f.attname) for f in channel_fields}
                )
                for procedure, source_id in zip(new, sources, strict=True)
                for c in channels.get(source_id, [])
            ]
            Channel.objects.bulk_create(copies, batch_size=2000)
        versioned.bump(NAMESPACE)  # bulk writes send no signal
        created = len(new)
    return {"procedures": Procedure.objects.count(), "created": created}


def phase_counts() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from portal.agencies.models import Agency
    from portal.catalog.models import Procedure

    agency = (
        Agency.objects.filter(is_active=True, procedure_links__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    client = Client()
    pages: dict[str, dict] = {}
    for template in COUNTED_PAGES:
        if "{agency}" in template and not agency:
            continue
        path = template.format(agency=agency)
        pages[path] = {}
        for size in PAGE_SIZES:
            with override_settings(PORTAL_CATALOG_PAGE_SIZE=size):
                client.get(path)  # warm: the search index, the catalogue version in the cache, the connection
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
            body = response.content
            if response.status_code != 200 or DETAIL_PATH.match(path):
                items = None
            elif path.startswith("/api/"):
                items = len(json.loads(body)["results"])
            else:  # one link per procedure row on list pages; the detail page shows one procedure
                items = len(set(re.findall(rb'href="/thu-tuc/([0-9A-Za-z.\-]+)/"', body)))
            pages[path][str(size)] = {
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
                "items": items,
                "bytes": len(body),
                "sql": [q["sql"][:200] for q in ctx.captured_queries],
            }
    return {"procedures": Procedure.objects.filter(is_active=True).count(), "pages": pages}


def phase_search(rounds: int) -> dict:
    from portal import cache as versioned
    from portal.catalog import selectors
    from portal.catalog.models import Procedure
    from portal.catalog.search_index import NAMESPACE, search_index
    from portal.catalog.selectors import CatalogFilters

    queries = search_queries()
    versioned.bump(NAMESPACE)
    t0 = time.perf_counter()
    search_index()  # reads every active procedure and builds the in-memory index
    build_ms = (time.perf_counter() - t0) * 1000
    page_size = 20
    for q in queries:  # warm-up
        search_index().search(q)
        selectors.procedure_page(filters=CatalogFilters(query=q), page=1, page_size=page_size)
    index_ms, page_ms, list_ms = [], [], []
    for _ in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            search_index().search(q, limit=selectors.SEARCH_RESULT_LIMIT)
            t1 = time.perf_counter()
            selectors.procedure_page(filters=CatalogFilters(query=q), page=1, page_size=page_size)
            t2 = time.perf_counter()
            index_ms.append((t1 - t0) * 1000)
            page_ms.append((t2 - t1) * 1000)
        for page in (1, 2, 50):
            t0 = time.perf_counter()
            selectors.procedure_page(filters=CatalogFilters(), page=page, page_size=page_size)
            list_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "procedures": Procedure.objects.filter(is_active=True).count(),
        "build_ms": build_ms,
        "queries": len(queries),
        "rounds": rounds,
        "index": summary(index_ms),
        "page": summary(page_ms),
        "list": summary(list_ms),
    }


def phase_vacuum() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {}


def phase_service(repeat: int) -> dict:
    """Time of one request to each benchmarked endpoint, in process and alone: no network, no queueing."""
    from django.test import Client

    client = Client()
    result = {}
    for _label, path in ENDPOINTS:
        for _ in range(3):
            client.get(path)
        timings = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        result[path] = summary(timings)
    return result


def run_phase(name: str, args: list[str]) -> int:
    setup_django()
    if name == "status":
        result = phase_status()
    elif name == "service":
        result = phase_service(int(args[0]))
    elif name == "vacuum":
        result = phase_vacuum()
    elif name == "synthesize":
        result = phase_synthesize(int(args[0]))
    elif name == "counts":
        result = phase_counts()
    elif name == "search":
        result = phase_search(int(args[0]))
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
