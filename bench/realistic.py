"""Realistic traffic against the whole portal, in one command:

    .venv/bin/python bench/realistic.py [--dossiers 1000000] [--seed 1] [--concurrency 2] [--workers 2]

Distinct addresses, not one address hammered: every procedure page (1,601), 2,000 different searches (with and
without diacritics, as people type them), filtered catalogue lists, the public API, officers' queues across their
pages, "my dossiers" of many citizens and the tracking lookup with distinct codes, each from its own address.

1. The database ``portal_bench_realistic`` (or ``BENCH_REALISTIC_DATABASE_URL``) is prepared as bench/dossiers.py
   prepares its own (migrated, units, agencies, catalogue, holidays, ``--dossiers`` dossiers from
   ``generate_dossiers --seed``), then officers of the busiest agencies and citizens are signed in (database sessions
   sent as cookies, staff with their second factor passed) and the addresses are drawn.
2. gunicorn serves the portal (sync workers, production settings, ``bench/realistic_settings.py``: one reverse proxy
   in front, and a header with the worker's CPU time per request). The cache's key prefix is emptied first.
3. Three passes over all the addresses, shuffled, with ``/healthz`` every fourth request so that the baseline is
   measured under the same load: **cold** (a server just started, an empty cache), **warm** (the same addresses
   again), and **rendered** (a new server with the page caches turned off, warm otherwise: what a page costs when
   it is rendered). Each pass reports per category p50/p95 latency, p95 over the pass's ``/healthz`` p95, and the
   worker's CPU ms per request (p50 and mean).

Prints the tables and writes ``bench/results/realistic-latest.json``. Only 127.0.0.1; gunicorn is always stopped.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import platform
import random
import re
import sys
import threading
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_dossiers", BENCH / "dossiers.py")
dossier_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dossier_bench)

log = common.log
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_realistic"
SETTINGS_MODULE = "bench.realistic_settings"
CACHE_PREFIX = "benchrealistic"
RESULT_FILE = common.RESULTS / "realistic-latest.json"
SEARCHES = 2_000
TRACKING = 1_000
CITIZENS = 150
BASELINE_EVERY = 4
WARM_UP = 800  # requests before the rendered pass
# p95 over /healthz's p95 in the same pass, per kind of page: the targets.
PUBLIC = ("procedure", "search", "list", "api", "tracking")
SIGNED_IN = ("queue", "my_dossiers")
TARGETS = {"cold": 5.0, "warm": 3.0, "rendered": 5.0}


# --------------------------------------------------------------------------------------------------------------
# Orchestration
# --------------------------------------------------------------------------------------------------------------


def bench_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = common.django_env(database_url, redis_url, CACHE_PREFIX)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    return env


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 1800) -> dict:
    out = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True
    )
    return json.loads(out.strip().splitlines()[-1])


def forget_cache(redis_url: str) -> int:
    """Empty this benchmark's key prefix: the cold pass starts with nothing kept."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{CACHE_PREFIX}:*", count=10_000))
    return client.delete(*keys) if keys else 0


class Traffic:
    """Requests from ``concurrency`` threads, each on its own connection per request (sync workers close it)."""

    def __init__(self, port: int, requests: list[dict], concurrency: int):
        self.port, self.requests, self.concurrency = port, requests, concurrency
        self.results: list[tuple[str, float, float | None, int]] = []
        self._next = 0
        self._lock = threading.Lock()

    def _take(self) -> dict | None:
        with self._lock:
            if self._next >= len(self.requests):
                return None
            self._next += 1
            return self.requests[self._next - 1]

    def _worker(self) -> None:
        while (item := self._take()) is not None:
            headers = {"X-Forwarded-For": item["address"]}
            if item.get("cookie"):
                headers["Cookie"] = item["cookie"]
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request("GET", item["path"], headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - t0) * 1000
            cpu = response.getheader("X-Bench-CPU-ms")
            conn.close()
            with self._lock:
                self.results.append((item["kind"], elapsed, float(cpu) if cpu else None, response.status))

    def run(self) -> float:
        threads = [threading.Thread(target=self._worker) for _ in range(self.concurrency)]
        t0 = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.monotonic() - t0


def requests_for(plan: dict, rng: random.Random) -> list[dict]:
    """Every address of the plan once, shuffled, with /healthz every ``BASELINE_EVERY`` requests."""
    items = [dict(item) for item in plan["requests"]]
    rng.shuffle(items)
    out = []
    for n, item in enumerate(items):
        if n % (BASELINE_EVERY - 1) == 0:
            out.append({"kind": "healthz", "path": "/healthz", "address": "10.9.9.9"})
        out.append(item)
    return out


def summarise(results, seconds: float) -> dict:
    by_kind: dict[str, dict] = {}
    for kind in sorted({r[0] for r in results}):
        rows = [r for r in results if r[0] == kind]
        latency = [r[1] for r in rows]
        cpu = [r[2] for r in rows if r[2] is not None]
        statuses: dict[str, int] = {}
        for r in rows:
            statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
        by_kind[kind] = {
            "n": len(rows),
            "p50_ms": common.percentile(latency, 0.5),
            "p95_ms": common.percentile(latency, 0.95),
            "cpu_p50_ms": common.percentile(cpu, 0.5) if cpu else None,
            "cpu_mean_ms": sum(cpu) / len(cpu) if cpu else None,
            "statuses": statuses,
        }
    base = by_kind["healthz"]["p95_ms"] or 1e-9
    for row in by_kind.values():
        row["p95_ratio"] = row["p95_ms"] / base
    return {"seconds": round(seconds, 1), "rps": len(results) / seconds, "kinds": by_kind}


def http_passes(env: dict[str, str], args, plan: dict) -> dict:
    common.manage(env, "collectstatic", "--noinput", "-v", "0")
    rng = random.Random(args.seed)
    passes = {}
    for name, extra in (
        ("as deployed", {}),
        ("rendered", {"PORTAL_PAGE_CACHE_SECONDS": "0", "PORTAL_DOSSIER_PAGE_CACHE_SECONDS": "0"}),
    ):
        log(f"forgot {forget_cache(env['REDIS_URL']):,} cache keys")
        server = common.Gunicorn({**env, **extra}, args.workers, common.RESULTS / "gunicorn-realistic.log")
        try:
            server.wait_ready()
            log(f"gunicorn ready on {server.base} ({args.workers} sync workers); {name}")
            labels = ("cold", "warm") if name == "as deployed" else ("warm-up", "rendered")
            for label in labels:
                requests = requests_for(plan, rng)
                if label == "warm-up":  # the processes' search index and calendar, the database's buffers
                    requests = requests[:WARM_UP]
                log(f"  {label}: {len(requests):,} requests, {args.concurrency} at a time")
                traffic = Traffic(server.port, requests, args.concurrency)
                seconds = traffic.run()
                if label != "warm-up":
                    passes[label] = summarise(traffic.results, seconds)
                    print_pass(label, passes[label])
        finally:
            server.stop()
            log("gunicorn stopped")
    return passes


def print_pass(label: str, result: dict) -> None:
    target = TARGETS.get(label)
    print(f"\n{label}: {result['seconds']:.0f} s, {result['rps']:.0f} req/s", flush=True)
    print(
        f"  {'category':<12} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>8} {'CPU p50':>8} {'CPU mean':>8}  "
        "statuses"
    )
    for kind, row in result["kinds"].items():
        mark = ""
        if target and kind != "healthz" and (kind in PUBLIC or label == "rendered"):
            mark = " ok" if row["p95_ratio"] <= target else f" MISSED ({target:.0f}x)"
        cpu50 = f"{row['cpu_p50_ms']:8.2f}" if row["cpu_p50_ms"] is not None else f"{'':>8}"
        cpumean = f"{row['cpu_mean_ms']:8.2f}" if row["cpu_mean_ms"] is not None else f"{'':>8}"
        print(
            f"  {kind:<12} {row['n']:>5} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['p95_ratio']:7.1f}x "
            f"{cpu50} {cpumean}  {row['statuses']}{mark}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Realistic traffic against the portal (see bench/README.md)."
    )
    parser.add_argument(
        "--dossiers", type=int, default=1_000_000, help="dossiers in the database (1,000,000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of generate_dossiers and of the traffic")
    parser.add_argument("--concurrency", type=int, default=2, help="requests in flight (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--recreate", action="store_true", help="drop and rebuild the database first")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        common.setup_django()
        result = {"setup": phase_setup}[args.phase](*args.phase_args)
        print(json.dumps(result, ensure_ascii=False))
        return 0

    database_url = os.environ.get("BENCH_REALISTIC_DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or common.DEFAULT_REDIS_URL
    started = time.monotonic()
    env = bench_env(database_url, redis_url)
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "args": {k: v for k, v in vars(args).items() if k not in {"phase", "phase_args"}},
    }
    log(f"database {common.database_name(database_url)}: create if missing, migrate, load data if missing")
    prepare_args = argparse.Namespace(
        count=args.dossiers, seed=args.seed, recreate=args.recreate, regenerate=False
    )
    report["data"] = dossier_bench.prepare(
        database_url, dossier_bench.bench_env(database_url, redis_url), prepare_args
    )
    log("officers, citizens and their sessions; the addresses")
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    plan_path = common.RESULTS / "realistic-plan.json"
    plan = phase(env, "setup", str(args.seed), str(plan_path))
    plan = json.loads(plan_path.read_text())
    report["plan"] = plan["summary"]
    log(f"  {plan['summary']}")
    report["machine"]["loadavg_before_http"] = [round(x, 2) for x in os.getloadavg()]
    report["passes"] = http_passes(env, args, plan)
    report["machine"]["loadavg_after_http"] = [round(x, 2) for x in os.getloadavg()]
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(
        f"\nload average before / after: {report['machine']['loadavg_before_http']} / "
        f"{report['machine']['loadavg_after_http']}; written {RESULT_FILE} ({report['elapsed_s']:.0f} s)"
    )
    bad = {
        kind: row["statuses"]
        for p in report["passes"].values()
        for kind, row in p["kinds"].items()
        if set(row["statuses"]) - {"200"}
    }
    if bad:
        print(f"Answers other than 200: {bad}")
        return 1
    return 0


# --------------------------------------------------------------------------------------------------------------
# In-process phase: the signed-in visitors and the addresses
# --------------------------------------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Without diacritics, as many people type: "đăng ký" -> "dang ky"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def searches(names: list[str], rng: random.Random) -> list[str]:
    """``SEARCHES`` distinct queries: the shared realistic list, then 2–4 consecutive words of procedure names,
    lower-case, one in two without diacritics."""
    out = list(dict.fromkeys(q.lower() for q in common.search_queries()))
    seen = set(out)
    while len(out) < SEARCHES:
        words = re.findall(r"\w+", rng.choice(names).lower())
        if len(words) < 2:
            continue
        size = rng.randint(2, min(4, len(words)))
        start = rng.randrange(len(words) - size + 1)
        query = " ".join(words[start : start + size])
        if rng.random() < 0.5:
            query = fold(query)
        if query not in seen:
            seen.add(query)
            out.append(query)
    return out[:SEARCHES]


def phase_setup(seed: str, path: str) -> dict:
    from urllib.parse import urlencode

    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from dossiers.models import Dossier
    from dossiers.selectors import QUEUE_PAGE_SIZE, Clock, queue_counts, queues_for
    from portal.accounts.models import AgencyMembership
    from portal.catalog.models import Field, Procedure
    from portal.catalog.selectors import filter_choices

    User = get_user_model()
    rng = random.Random(int(seed))
    session = _session_maker()
    requests: list[dict] = []
    address = iter(f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in range(1, 10**7))

    def add(kind: str, path: str, cookie: str | None = None) -> None:
        requests.append({"kind": kind, "path": path, "address": next(address), "cookie": cookie})

    procedures = list(Procedure.objects.filter(is_active=True).values_list("code", "name"))
    for code, _name in procedures:
        add("procedure", f"/thu-tuc/{code}/")
    for query in searches([name for _code, name in procedures], rng):
        add("search", "/thu-tuc/?" + urlencode({"q": query}))

    choices = filter_choices()
    fields = list(Field.objects.values_list("slug", flat=True))
    agencies = [code for code, _name, _kind in choices["agency_choices"]]
    lists = set()
    while len(lists) < 400:
        params = {}
        if rng.random() < 0.6:
            params["field"] = rng.choice(fields)
        if rng.random() < 0.4:
            params["level"] = rng.choice(["tinh", "xa", "bo"])
        if rng.random() < 0.4:
            params["agency"] = rng.choice(agencies)
        if rng.random() < 0.3:
            params["online"] = rng.choice(["toan-trinh", "mot-phan", "2", "3", "4"])
        if rng.random() < 0.3:
            params["page"] = str(rng.randint(2, 5))
        lists.add(urlencode(params))
    for query in sorted(lists):
        add("list", "/thu-tuc/" + (f"?{query}" if query else ""))
    api = set()
    for code, _name in rng.sample(procedures, 200):
        api.add(f"/api/v1/procedures/{code}")
    for query in rng.sample(searches([n for _c, n in procedures], random.Random(int(seed) + 1)), 150):
        api.add("/api/v1/procedures?" + urlencode({"q": query, "page": rng.randint(1, 2)}))
    for slug in rng.sample(fields, min(50, len(fields))):
        api.add("/api/v1/procedures?" + urlencode({"field": slug}))
    for path_ in sorted(api):
        add("api", path_)

    # Officers: one per role in the busiest receiving and handling agencies, their queues across pages.
    busiest = list(
        Dossier.objects.values("receiving_agency").annotate(n=Count("id")).order_by("-n")[:4]
    ) + list(Dossier.objects.values("handling_agency").annotate(n=Count("id")).order_by("-n")[:4])
    agency_ids = list(
        dict.fromkeys(row.get("receiving_agency") or row.get("handling_agency") for row in busiest)
    )
    for agency_id in agency_ids:
        for role in (User.Role.ONESTOP_OFFICER, User.Role.HANDLING_OFFICER, User.Role.LEADER):
            officer, _ = User.objects.update_or_create(
                username=f"bench-{role}-{agency_id}", defaults={"role": role, "full_name": "Cán bộ đo tải"}
            )
            AgencyMembership.objects.get_or_create(user=officer, agency_id=agency_id)
            cookie = session(officer)
            counts = queue_counts(officer, Clock.at())
            for queue in queues_for(officer):
                pages = min(8, max(1, -(-counts.get(queue.slug, 0) // QUEUE_PAGE_SIZE)))
                for page in range(1, pages + 1):
                    add(
                        "queue",
                        f"/ho-so/can-bo/hang-doi/{queue.slug}/" + (f"?page={page}" if page > 1 else ""),
                        cookie,
                    )

    # Citizens with dossiers: "my dossiers", every page they have (20 a page), up to 5.
    with_dossiers = list(
        Dossier.objects.filter(applicant__isnull=False)
        .values("applicant_id")
        .annotate(n=Count("id"))
        .order_by("-n")[:40]
    ) + list(
        Dossier.objects.filter(applicant__isnull=False, id__in=[rng.randint(1, 10**6) for _ in range(400)])
        .values("applicant_id")
        .annotate(n=Count("id"))
    )
    citizens = {row["applicant_id"]: row["n"] for row in with_dossiers}
    for user_id in list(citizens)[:CITIZENS]:
        cookie = session(User.objects.get(pk=user_id))
        for page in range(1, min(5, -(-citizens[user_id] // 20)) + 1):
            add("my_dossiers", "/ho-so/cua-toi/" + (f"?page={page}" if page > 1 else ""), cookie)

    for code, phone in (
        Dossier.objects.exclude(code=None)
        .exclude(applicant_phone="")
        .order_by("?")[:TRACKING]
        .values_list("code", "applicant_phone")
    ):
        add(
            "tracking",
            "/ho-so/tra-cuu/?" + urlencode({"ma": code, "xac_thuc": re.sub(r"\D", "", phone)[-4:]}),
        )

    summary = {
        kind: sum(1 for r in requests if r["kind"] == kind)
        for kind in dict.fromkeys(r["kind"] for r in requests)
    }
    Path(path).write_text(json.dumps({"requests": requests, "summary": summary}, ensure_ascii=False))
    return {"summary": summary}


def _session_maker():
    """The Cookie header of a browser signed in as a user (staff with the second factor passed), with the CSRF
    cookie a first page would have set."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    def session(user) -> str:
        client = Client()
        client.force_login(user)
        if user.is_officer:
            authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            authenticator = authenticator or TOTP.activate(user, generate_totp_secret()).instance
            stored = client.session
            recorded = RequestFactory().get("/")
            recorded.session, recorded.user = stored, user
            record_authentication(recorded, user, "mfa", id=authenticator.pk, type=authenticator.type)
            stored.save()
        request = RequestFactory().get("/")
        get_token(request)
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
            f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
        )

    return session


if __name__ == "__main__":
    sys.exit(main())
