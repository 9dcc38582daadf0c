"""Load benchmark of the dossier pages at scale, in one command:

    .venv/bin/python bench/dossiers.py [--count 1000000] [--seed 1] [--duration 15] [--connections 8] [--regenerate]

1. Prepares the database ``portal_bench_dossiers`` (or ``BENCH_DOSSIERS_DATABASE_URL``): creates it, migrates,
   loads units, agencies, the real catalogue and the holidays (the helpers of ``bench/run.py``), then generates
   ``--count`` dossiers with ``generate_dossiers`` unless exactly that many are there (timed: rows per second),
   and runs ``VACUUM ANALYZE``.
2. Creates a one-stop officer of the provincial service centre and signs them and a generated citizen with about
   100 dossiers in (sessions in the database, sent as a cookie).
3. Serves the portal with gunicorn (2 sync workers, production settings, as ``bench/run.py``) and runs wrk against
   ``/healthz`` (the baseline), the officer's fullest queue, the public tracking lookup (500 real codes with their
   second factor, each request from its own address through X-Forwarded-For; see ``bench/dossiers_settings.py``)
   and the citizen's "my dossiers".
4. In process: the time of one request alone, the SQL queries per page at two page sizes (the count must not
   change) and ``EXPLAIN (ANALYZE, BUFFERS)`` of every query of each page.

Prints a table and writes ``bench/results/dossiers-latest.json``. Sends traffic to 127.0.0.1 only; every step is
bounded in time and gunicorn is always stopped. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


# bench/run.py's helpers: database, gunicorn, wrk and its Lua hook, the Django env.
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402
from dossiers_phases import PAGE_SIZES, endpoints, run_phase  # noqa: E402 (bench/dossiers_phases.py, beside)

log = common.log

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_dossiers"
SETTINGS_MODULE = "bench.dossiers_settings"
CACHE_PREFIX = "benchdossiers"
RESULT_FILE = common.RESULTS / "dossiers-latest.json"
# p95 over the /healthz p95, per endpoint key: the targets of the brief.
TARGETS = {"queue": 3.0, "tracking": 1.5, "my_dossiers": 3.0}
TRACKING_LUA = r"""
-- Each request looks up the next real code with its digits, from an address of its own (thread id, counter).
local codes = {CODES}
local i = 0
setup = function(thread)
  thread:set("tid", (counter or 0) + 1)
  counter = (counter or 0) + 1
end
request = function()
  i = i + 1
  local c = codes[(i % #codes) + 1]
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", tid or 0, math.floor(i / 256) % 256, i % 256)
  return wrk.format("GET", "/ho-so/tra-cuu/?ma=" .. c[1] .. "&xac_thuc=" .. c[2])
end
"""


# --------------------------------------------------------------------------------------------------------------
# Orchestration (no Django in this process)
# --------------------------------------------------------------------------------------------------------------


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 900) -> dict:
    out = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True
    )
    return json.loads(out.strip().splitlines()[-1])


def bench_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = common.django_env(database_url, redis_url, CACHE_PREFIX)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    return env


def prepare(database_url: str, env: dict[str, str], args) -> dict:
    """The catalogue database of bench/run.py, plus holidays, plus ``args.count`` generated dossiers."""
    name = common.database_name(database_url)
    status = common.prepare_database(database_url, env, recreate=args.recreate)
    dossier_status = phase(env, "status")
    if dossier_status["schema_problems"]:  # bench/run.py checks the portal's tables; these are the dossiers'
        log(f"  {name}: dossier tables do not match the models ({dossier_status['schema_problems'][0]})")
        status = common.prepare_database(database_url, env, recreate=True)
        dossier_status = phase(env, "status")
    log(f"  {status['units']} units, {status['agencies']} agencies, {status['procedures']} procedures")
    year = date.today().year
    common.manage(env, "seed_holidays", "--from-year", str(year - 3), "--to-year", str(year + 3))
    generation = None
    if dossier_status["dossiers"] != args.count or args.regenerate:
        if not name.startswith("portal_bench"):
            raise SystemExit(
                f"{name} holds {dossier_status['dossiers']:,} dossiers; refusing to replace them"
            )
        log(
            f"generating {args.count:,} dossiers (seed {args.seed}; had {dossier_status['dossiers']:,}); "
            "(about 3 minutes per million on 2 cores)"
        )
        # The command refuses production settings: generate under development ones, on the same database.
        dev_env = {**env, "PORTAL_ENV": "development"}
        generation = phase(dev_env, "generate", str(args.count), str(args.seed), timeout=3 * 3600)
        log(
            f"  {generation['count']:,} dossiers, {generation['events']:,} events, "
            f"{generation['supplements']:,} supplement requests in {generation['seconds']:.1f} s "
            f"({generation['dossiers_per_s']:,.0f} dossiers/s, {generation['rows_per_s']:,.0f} rows/s)"
        )
        log("VACUUM ANALYZE")
        t0 = time.monotonic()
        common.vacuum(env)
        generation["vacuum_s"] = round(time.monotonic() - t0, 1)
        dossier_status = phase(env, "status")
    else:
        log(f"  {dossier_status['dossiers']:,} dossiers already there (--regenerate to make them again)")
    return {"catalogue": status, "dossiers": dossier_status, "generation": generation}


def lua_for(endpoint: dict, setup: dict) -> str:
    script = common.WRK_LUA
    if endpoint.get("cookie"):
        script = f'wrk.headers["Cookie"] = "{endpoint["cookie"]}"\n' + script
    if endpoint["key"] == "tracking":
        codes = ", ".join(f'{{"{code}", "{factor}"}}' for code, factor in setup["tracking"])
        script = TRACKING_LUA.replace("{CODES}", "{" + codes + "}") + script
    return script


def forget_kept_pages(redis_url: str) -> int:
    """Drop the pages an earlier run kept (this benchmark's key prefix only): one kept ten minutes ago would expire
    in the middle of this run's measurement and be rendered again there."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{CACHE_PREFIX}:*dossier-page*", count=10_000))
    return client.delete(*keys) if keys else 0


def http_benchmark(env: dict[str, str], args, setup: dict) -> list[dict]:
    """Two passes, each against its own /healthz: as deployed (pages kept while unchanged, dossiers/page_cache.py),
    then with that cache off, every request rendered (what a page costs the first time, or right after a change)."""
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    common.manage(env, "collectstatic", "--noinput", "-v", "0")
    log(f"forgot {forget_kept_pages(env['REDIS_URL']):,} pages kept by an earlier run")
    rows = _http_pass(env, args, setup, "")
    log("again with the dossier page cache off: every request rendered")
    rendered = _http_pass({**env, "PORTAL_DOSSIER_PAGE_CACHE_SECONDS": "0"}, args, setup, " (rendered)")
    return rows + rendered


def _http_pass(env: dict[str, str], args, setup: dict, suffix: str) -> list[dict]:
    server = common.Gunicorn(env, args.workers, common.RESULTS / "gunicorn-dossiers.log")
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            server.wait_ready()
            log(f"gunicorn ready on {server.base} ({args.workers} sync workers)")
            scripts = {}
            for endpoint in endpoints(setup):
                lua = Path(tmp) / f"{endpoint['key']}.lua"
                lua.write_text(lua_for(endpoint, setup))
                scripts[endpoint["key"]] = lua
                status, body = _get(server.base + endpoint["path"], endpoint.get("cookie"))
                if status != 200:
                    raise SystemExit(
                        f"{endpoint['path']} answered {status}; see {server.log_path}\n{body[:300]!r}"
                    )
                if endpoint["key"] == "tracking" and not suffix:
                    # Every sample code once, so that wrk measures lookups made before (kept answers); a first
                    # lookup costs what the "(rendered)" pass measures. wrk's own warm-up is too short for that.
                    for n, (code, factor) in enumerate(setup["tracking"]):
                        _get(
                            f"{server.base}/ho-so/tra-cuu/?ma={code}&xac_thuc={factor}",
                            None,
                            f"10.252.{n // 256}.{n % 256}",
                        )
                common.wrk(
                    server.base + endpoint["path"],
                    lua,
                    threads=args.threads,
                    connections=args.connections,
                    duration=3,
                )
            for endpoint in endpoints(setup):
                log(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s {endpoint['label']}")
                stats = common.wrk(
                    server.base + endpoint["path"],
                    scripts[endpoint["key"]],
                    threads=args.threads,
                    connections=args.connections,
                    duration=args.duration,
                )
                row = {**{k: endpoint[k] for k in ("key", "label", "path")}, **stats}
                rows.append({**row, "label": row["label"] + suffix, "cached": not suffix})
    finally:
        server.stop()
        log("gunicorn stopped")
    base = rows[0]
    for row in rows:
        row["p95_ratio"] = row["p95_ms"] / (base["p95_ms"] or 1e-9)
        row["p50_ratio"] = row["p50_ms"] / (base["p50_ms"] or 1e-9)
        row["target"] = TARGETS.get(row["key"]) if row["cached"] else None
    return rows


def _get(url: str, cookie: str | None, address: str = "10.251.0.1") -> tuple[int, bytes]:
    import urllib.error
    import urllib.request

    headers = {"X-Forwarded-For": address}  # the tracking page counts lookups per address
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def print_report(report: dict) -> None:
    generation = report["data"]["generation"]
    if generation:
        print(
            f"\nGeneration: {generation['count']:,} dossiers, {generation['events']:,} events, "
            f"{generation['supplements']:,} supplement requests in {generation['seconds']:.1f} s = "
            f"{generation['dossiers_per_s']:,.0f} dossiers/s, {generation['rows_per_s']:,.0f} rows/s "
            f"(+ VACUUM ANALYZE {generation.get('vacuum_s', 0):.0f} s)"
        )
    data = report["data"]["dossiers"]
    setup = report["setup"]
    print(
        f"Data: {data['dossiers']:,} dossiers, {data['events']:,} events; officer of {setup['agency']} "
        f"({setup['agency_dossiers']:,} dossiers received there), queue '{setup['queue']}' "
        f"({setup['queue_counts'].get(setup['queue'], 0):,} rows); citizen {setup['citizen']} "
        f"({setup['citizen_dossiers']} dossiers)"
    )
    if "http" in report:
        print(
            f"\n{'endpoint':<14} {'path':<44} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'p95/base':>8} {'target':>6} {'alone ms':>8} {'cpu ms':>6}  errors"
        )
        for r in report["http"]:
            errors = sum(r["errors"].values())
            target = f"{r['target']:.1f}x" if r["target"] else ""
            mark = "" if not r["target"] else (" ok" if r["p95_ratio"] <= r["target"] else " MISSED")
            alone = f"{r['alone_ms']:>8.2f} {r['cpu_ms']:>6.2f}" if "alone_ms" in r else f"{'':>15}"
            path = r["path"] if len(r["path"]) <= 44 else r["path"][:41] + "..."
            print(
                f"{r['label']:<14} {path:<44} {r['rps']:>7.1f} {r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f} "
                f"{r['p99_ms']:>7.2f} {r['p95_ratio']:>7.1f}x {target:>6} {alone}  {errors or '-'}{mark}"
            )
    print(
        f"\nSQL queries per request (page size {' vs '.join(map(str, PAGE_SIZES))}), and their time in the database:"
    )
    for key, page in report["counts"]["pages"].items():
        sizes = page["sizes"]
        counts = [sizes[str(s)]["queries"] for s in PAGE_SIZES]
        rows = [sizes[str(s)]["items"] for s in PAGE_SIZES]
        ok = len(set(counts)) == 1 and {sizes[str(s)]["status"] for s in PAGE_SIZES} == {200}
        print(
            f"  {'ok ' if ok else 'BAD'} {key:<14} {page['path'][:44]:<44} queries {counts[0]:>2} / {counts[1]:>2}"
            f"  rows {rows[0]} / {rows[1]}  SQL {page['sql_ms']:.2f} ms (slowest {page['slowest_ms']:.2f} ms)"
        )
    print(f"\nwritten {RESULT_FILE} ({report['elapsed_s']:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Load benchmark of the dossier pages (see bench/README.md).")
    parser.add_argument(
        "--count", type=int, default=1_000_000, help="dossiers in the database (default 1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of generate_dossiers (default 1)")
    common.add_load_arguments(parser)
    parser.add_argument(
        "--profile", action="store_true", help="only print where one request's time goes, per page (cProfile)"
    )
    parser.add_argument("--regenerate", action="store_true", help="generate the dossiers again")
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args.phase, args.phase_args)

    database_url, redis_url = common.load_run_urls(
        args, "BENCH_DOSSIERS_DATABASE_URL", DEFAULT_DATABASE_URL, "bench/dossiers.py"
    )
    started = time.monotonic()
    env = bench_env(database_url, redis_url)
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_before": [round(x, 2) for x in os.getloadavg()],
        },
        "setup_args": {
            "count": args.count,
            "seed": args.seed,
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
        },  # fmt: skip
    }
    log(f"database {common.database_name(database_url)}: create if missing, migrate, load data if missing")
    report["data"] = prepare(database_url, env, args)

    log("officer, citizen and their sessions; tracking samples")
    setup_path = common.RESULTS / "dossiers-setup.json"
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    setup = phase(env, "setup", str(args.seed), str(setup_path))
    report["setup"] = {
        k: v for k, v in setup.items() if k not in {"officer_cookie", "citizen_cookie", "tracking"}
    }
    if args.profile:
        common.manage(env, "collectstatic", "--noinput", "-v", "0")
        print(
            common.run(
                [common.PYTHON, __file__, "--phase", "profile", str(setup_path)], env, 600, capture=True
            )
        )
        return 0
    report["machine"]["loadavg_before_http"] = [round(x, 2) for x in os.getloadavg()]
    if not args.no_http:
        report["http"] = http_benchmark(env, args, setup)

    log("in-process time of one request per endpoint, as deployed and with the dossier page cache off")
    rendering_env = {**env, "PORTAL_DOSSIER_PAGE_CACHE_SECONDS": "0"}
    service = phase(env, "service", str(setup_path), "30")
    rendered = phase(rendering_env, "service", str(setup_path), "30")
    for row in report.get("http", []):
        alone = service if row.get("cached", True) else rendered
        row["alone_ms"] = alone[row["key"]]["p50_ms"]
        row["cpu_ms"] = alone[row["key"]]["cpu_p50_ms"]
    report["alone"] = {"cached": service, "rendered": rendered}
    log("SQL queries per page at two page sizes (every request rendered), with EXPLAIN ANALYZE")
    report["counts"] = phase(rendering_env, "counts", str(setup_path))

    report["elapsed_s"] = round(time.monotonic() - started, 1)
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    print_report(report)
    counts_ok = all(
        len({p["sizes"][str(s)]["queries"] for s in PAGE_SIZES}) == 1
        and {p["sizes"][str(s)]["status"] for s in PAGE_SIZES} == {200}
        for p in report["counts"]["pages"].values()
    )
    if not counts_ok:
        print("Query counts differ between page sizes (or a page did not answer 200): an N+1 crept in.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
