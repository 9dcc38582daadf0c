"""Benchmark of signing in, in one command:

    .venv/bin/python bench/accounts.py [--sign-ins 200] [--password-sign-ins 50] [--duration 15] [--connections 8]

1. Prepares the database ``portal_bench_accounts`` (or ``BENCH_ACCOUNTS_DATABASE_URL``) with ``bench/run.py``'s
   helpers (created, migrated, units, agencies and the real catalogue), then a citizen with a password and a
   confirmed e-mail address and an officer of the Department of Justice.
2. Starts the OpenID provider of the single sign-on tests (``tests/sso/op``: oidc-provider under node, on loopback)
   and gunicorn (2 sync workers, production settings as in ``bench/run.py``) configured for it through the
   ``OIDC_*`` environment variables, as a deployment is, behind one trusted proxy (``PORTAL_TRUSTED_PROXY_COUNT=1``:
   each simulated visitor comes from its own address in X-Forwarded-For, so the per-address sign-in limits are not
   what is measured).
3. Against that one server: wrk on ``/healthz`` (the baseline) and on the sign-in page; then, sequentially with one
   plain HTTP client, ``--sign-ins`` complete single sign-ons (``/oidc/authenticate/``, the provider's login page,
   ``/oidc/callback/``), timing only the callback (which includes the portal's calls to the provider: token, keys,
   user info), and ``--password-sign-ins`` password sign-ins (the POST only), each next to a ``/healthz`` request
   timed by the same client.
4. In process: the SQL queries of public pages for an anonymous visitor, a signed-in citizen and a signed-in officer
   who passed the second factor, with the page cache as deployed and with every page rendered.

Prints a table and writes ``bench/results/accounts-latest.json``. Sends traffic to 127.0.0.1 only; every step is
bounded in time, and gunicorn and the provider are always stopped. See bench/README.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


# bench/run.py's helpers: database, gunicorn, wrk and its Lua hook, the Django env.
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402

log = common.log

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_accounts"
CACHE_PREFIX = "benchaccounts"
RESULT_FILE = common.RESULTS / "accounts-latest.json"
CITIZEN = "bench-congdan"
CITIZEN_EMAIL = "bench-congdan@example.invalid"
OFFICER = "bench-chuyenvien"
OFFICER_AGENCY = "000.00.05.H01"  # Sở Tư pháp
PASSWORD = "Mat-khau-do-tai-2026"  # noqa: S105 (a benchmark account on a scratch database)
SSO_LOGIN = "citizen"  # an account of tests/sso/op (national claims, TechID)
LOGIN_PAGE = "/tai-khoan/dang-nhap/"
SIGNED_IN_LANDING = "/ho-so/cua-toi/"  # LOGIN_REDIRECT_URL
HTTP_TIMEOUT_S = 30
# Public pages whose SQL queries are counted per kind of visitor.
PAGES = [
    ("home", "/"),
    ("catalogue list", "/thu-tuc/"),
    ("procedure", "/thu-tuc/1.001193/"),
    ("tracking form", "/ho-so/tra-cuu/"),
]
VISITORS = ("anonymous", "citizen", "officer")
# "Sign-in must not add more than a few SQL queries to a page" (issue 4): above this, the added queries are listed.
ADDED_QUERIES_LIMIT = 4


# --------------------------------------------------------------------------------------------------------------
# Orchestration (no Django in this process)
# --------------------------------------------------------------------------------------------------------------


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 600) -> dict:
    out = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True
    )
    return json.loads(out.strip().splitlines()[-1])


def provider_module():
    """tests/sso/op: the provider the single sign-on tests start, and its user agent (plain HTTP)."""
    sys.path.insert(0, str(REPO))
    from tests.sso import op

    return op


class Visitor:
    """One browser by plain HTTP (http.client, a new connection per request, as gunicorn's sync workers close each):
    keeps the portal's cookies, Secure ones too (production marks them Secure; there is no TLS on loopback), never
    follows a redirect, and comes from its own address through X-Forwarded-For."""

    def __init__(self, base: str, address: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-For": address, "User-Agent": "bench-accounts/1 (Python http.client)"}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, dict, str, float]:
        """(status, headers, body, milliseconds from connecting to the last byte of the answer)."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=HTTP_TIMEOUT_S)
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, dict(response.headers.items()), content.decode("utf-8", "replace"), elapsed

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]):
        return self.request("POST", path, urlencode(data))


class Addresses:
    """A new client address per simulated visitor (10.x.y.z)."""

    def __init__(self, first: int = 0):
        self.n = first

    def next(self) -> str:
        self.n += 1
        return f"10.{self.n // 65536 % 256}.{self.n // 256 % 256}.{self.n % 256}"


def gunicorn_on(port: int, env: dict[str, str], workers: int, log_path: Path):
    """``common.Gunicorn`` on a port chosen beforehand: the provider must know the portal's callback address before
    the portal starts, and the portal the provider's address."""
    choose = common.free_port
    common.free_port = lambda: port
    try:
        return common.Gunicorn(env, workers, log_path)
    finally:
        common.free_port = choose


def oidc_env(provider, client_id: str) -> dict[str, str]:
    """The provider's settings as a deployment's environment sets them (portal/settings.py reads these names)."""
    names = (
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
        "OIDC_OP_LOGOUT_ENDPOINT",
        "OIDC_OP_ISSUER",
    )
    values = provider.settings(client_id)
    return {name: str(values[name]) for name in names}


def http_benchmark(env: dict[str, str], args, addresses: Addresses) -> dict:
    """wrk on /healthz and the sign-in page, then the sequential sign-ins, against one gunicorn and one provider."""
    op = provider_module()
    if reason := op.unavailable_reason():
        raise SystemExit(f"the OpenID provider cannot run: {reason}")
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    common.manage(env, "collectstatic", "--noinput", "-v", "0")
    port = common.free_port()
    base = f"http://127.0.0.1:{port}"
    client = op.Client(
        client_id="portal-bench",
        client_secret=secrets.token_urlsafe(32),
        redirect_uris=[f"{base}/oidc/callback/"],
        post_logout_redirect_uris=[f"{base}/"],
    )
    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        provider = op.TestProvider(workdir=Path(tmp) / "op", clients=[client])
        server = None
        try:
            provider.start()
            log(f"OpenID provider (oidc-provider) on {provider.issuer}")
            server_env = {**env, **oidc_env(provider, client.client_id), "PORTAL_TRUSTED_PROXY_COUNT": "1"}
            server = gunicorn_on(port, server_env, args.workers, common.RESULTS / "gunicorn-accounts.log")
            server.wait_ready()
            log(f"gunicorn ready on {server.base} ({args.workers} sync workers, SSO configured)")
            result["wrk"] = wrk_pass(server, args, Path(tmp))
            log(f"{args.sign_ins} single sign-ons through the provider, timing /oidc/callback/ and /healthz")
            result["sso"] = sso_sign_ins(server, provider, args.sign_ins, addresses)
            log(f"{args.password_sign_ins} password sign-ins, timing the POST and /healthz")
            result["password"] = password_sign_ins(server, args.password_sign_ins, addresses)
        except AssertionError as exc:  # tests/sso/op's user agent asserts what the provider answers
            raise SystemExit(f"the provider did not answer as expected: {exc}\n{provider.logs()}") from exc
        finally:
            if server is not None:
                server.stop()
                log("gunicorn stopped")
            provider.stop()
            log("provider stopped")
    return result


def wrk_pass(server, args, tmp: Path) -> list[dict]:
    lua = tmp / "report.lua"
    lua.write_text(common.WRK_LUA)
    endpoints = [("baseline", "/healthz"), ("sign-in page", LOGIN_PAGE)]
    for _label, path in endpoints:
        status, body = common.http_get(server.base + path, timeout=60)
        if status != 200:
            raise SystemExit(f"{path} answered {status}; see {server.log_path}\n{body[:300]!r}")
        common.wrk(server.base + path, lua, threads=args.threads, connections=args.connections, duration=3)
    rows = []
    for label, path in endpoints:
        log(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s {path}")
        stats = common.wrk(
            server.base + path,
            lua,
            threads=args.threads,
            connections=args.connections,
            duration=args.duration,
        )
        rows.append({"endpoint": label, "path": path, **stats})
    for row in rows:
        row["p95_ratio"] = row["p95_ms"] / (rows[0]["p95_ms"] or 1e-9)
        row["p50_ratio"] = row["p50_ms"] / (rows[0]["p50_ms"] or 1e-9)
    return rows


def _expect_redirect(
    what: str, status: int, headers: dict, body: str, server, target: str | None = None
) -> str:
    location = headers.get("Location", "")
    if status != 302 or (target and urlsplit(location).path != target):
        raise SystemExit(
            f"{what}: expected a redirect{f' to {target}' if target else ''}, got {status} {location!r}; "
            f"see {server.log_path}\n{body[:500]}"
        )
    return location


def sso_sign_in(server, provider, addresses: Addresses) -> float:
    """One whole single sign-on by a new browser; returns the callback's time (ms)."""
    visitor = Visitor(server.base, addresses.next())
    status, headers, body, _ = visitor.get("/oidc/authenticate/")
    authorization_url = _expect_redirect("/oidc/authenticate/", status, headers, body, server)
    callback = urlsplit(provider.user_agent().sign_in(authorization_url, SSO_LOGIN))
    if f"{callback.scheme}://{callback.netloc}" != server.base or callback.path != "/oidc/callback/":
        raise SystemExit(
            f"the provider sent the browser to {callback.geturl()}, not to the portal's callback"
        )
    status, headers, body, elapsed = visitor.get(f"{callback.path}?{callback.query}")
    _expect_redirect("/oidc/callback/", status, headers, body, server, SIGNED_IN_LANDING)
    if "sessionid" not in visitor.cookies:
        raise SystemExit("/oidc/callback/ redirected without starting a session")
    return elapsed


def _alternating(n: int, baseline, measured) -> tuple[list[float], list[float]]:
    """``n`` times: ``/healthz`` from ``baseline``, then ``measured()``; the times of both, for a ratio in one run."""
    measured_ms, healthz_ms = [], []
    for _ in range(n):
        status, _headers, _body, elapsed = baseline.get("/healthz")
        if status != 200:
            raise SystemExit(f"/healthz answered {status}")
        healthz_ms.append(elapsed)
        measured_ms.append(measured())
    return measured_ms, healthz_ms


def sso_sign_ins(server, provider, n: int, addresses: Addresses) -> dict:
    baseline = Visitor(server.base, "10.255.0.1")
    first = sso_sign_in(server, provider, addresses)  # may create the account (a new issuer each run)
    for _ in range(3):  # warm: both workers, their connections to PostgreSQL and to the provider
        sso_sign_in(server, provider, addresses)
        baseline.get("/healthz")
    callback_ms, healthz_ms = _alternating(n, baseline, lambda: sso_sign_in(server, provider, addresses))
    # One of the callback's three calls to the provider, alone from this client: the provider's share of the callback.
    at_provider = Visitor(provider.issuer, "10.255.0.3")
    jwks_path = urlsplit(provider.metadata["jwks_uri"]).path
    jwks_ms = [at_provider.get(jwks_path)[3] for _ in range(50)]
    return {
        "n": n,
        "first_callback_ms": first,
        "callback": common.summary(callback_ms),
        "healthz": common.summary(healthz_ms),
        "provider_jwks": common.summary(jwks_ms),
    }


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def password_sign_in(server, addresses: Addresses) -> float:
    """One password sign-in by a new browser: the sign-in page (its CSRF cookie and token), then the POST (timed)."""
    visitor = Visitor(server.base, addresses.next())
    status, _headers, body, _ = visitor.get(LOGIN_PAGE)
    token = CSRF_FIELD.search(body)
    if status != 200 or not token or "csrftoken" not in visitor.cookies:
        raise SystemExit(f"{LOGIN_PAGE} answered {status} without a CSRF cookie and token")
    form = {"csrfmiddlewaretoken": token[1], "login": CITIZEN, "password": PASSWORD}
    status, headers, body, elapsed = visitor.post(LOGIN_PAGE, form)
    _expect_redirect(f"POST {LOGIN_PAGE}", status, headers, body, server, SIGNED_IN_LANDING)
    return elapsed


def password_sign_ins(server, n: int, addresses: Addresses) -> dict:
    baseline = Visitor(server.base, "10.255.0.2")
    for _ in range(3):
        password_sign_in(server, addresses)
    post_ms, healthz_ms = _alternating(n, baseline, lambda: password_sign_in(server, addresses))
    return {"n": n, "post": common.summary(post_ms), "healthz": common.summary(healthz_ms)}


def print_report(report: dict) -> None:
    setup = report["setup"]
    http_result = report.get("http")
    if http_result:
        print(
            f"\nUnder load (wrk {report['setup_args']['wrk']}, gunicorn {report['setup_args']['workers']} sync "
            "workers, production settings, SSO configured):"
        )
        print(
            f"{'endpoint':<14} {'path':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
            f"{'p95/base':>8}  errors"
        )
        for r in http_result["wrk"]:
            errors = sum(r["errors"].values())
            print(
                f"{r['endpoint']:<14} {r['path']:<22} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} "
                f"{r['p99_ms']:>8.2f} {r['p95_ratio']:>7.1f}x  {errors or '-'}"
            )
        sso, password = http_result["sso"], http_result["password"]
        print("\nSequential, one client at a time (each sign-in a new browser and client address):")
        print(
            f"{'request':<44} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p50/base':>8} {'p95/base':>8}"
        )
        rows = [
            ("/healthz (next to the sign-ins)", sso["healthz"], sso["healthz"]),
            ("GET /oidc/callback/ (single sign-on)", sso["callback"], sso["healthz"]),
            ("provider's JWKS alone (1 of the 3 calls)", sso["provider_jwks"], sso["healthz"]),
            ("/healthz (next to the password sign-ins)", password["healthz"], password["healthz"]),
            (f"POST {LOGIN_PAGE} (password)", password["post"], password["healthz"]),
        ]
        for label, stats, base in rows:
            print(
                f"{label:<44} {stats['n']:>4} {stats['p50_ms']:>8.2f} {stats['p95_ms']:>8.2f} "
                f"{stats['max_ms']:>8.2f} {stats['p50_ms'] / base['p50_ms']:>7.1f}x "
                f"{stats['p95_ms'] / base['p95_ms']:>7.1f}x"
            )
        print(
            f"First callback of the run (the account is created for this provider): {sso['first_callback_ms']:.2f} ms."
            f"\nPasswords: {setup['hasher']} with {setup['iterations']:,} iterations; one check_password in process "
            f"takes {setup['check_password_ms']:.1f} ms (p50 of 5), most of the POST."
        )
    for mode, counts in report["counts"].items():
        title = "page cache as deployed" if mode == "deployed" else "every page rendered (page caches off)"
        print(f"\nSQL queries per request, {title} (sessions: {setup['session_engine']}):")
        print(f"{'page':<16} {'path':<22} " + " ".join(f"{v:>10}" for v in VISITORS) + "   added by sign-in")
        for key, page in counts["pages"].items():
            cells = " ".join(f"{page[v]['queries']:>10}" for v in VISITORS)
            added = ", ".join(f"{v} +{page[v]['added']}" for v in VISITORS[1:])
            print(f"{key:<16} {page['path']:<22} {cells}   {added}")
        login = counts["sign_in_page"]
        print(f"{'sign-in page':<16} {login['path']:<22} {login['queries']:>10}   (anonymous only)")
        if mode == "rendered":
            print_added_queries(counts["pages"])
    print(f"\nwritten {RESULT_FILE} ({report['elapsed_s']:.0f} s)")


def print_added_queries(pages: dict) -> None:
    """The queries a signed-in visitor adds, where there are more than ``ADDED_QUERIES_LIMIT`` (grouped by pages
    that add the same ones)."""
    groups: dict[tuple, list[str]] = {}
    for key, page in pages.items():
        for visitor in VISITORS[1:]:
            if page[visitor]["added"] > ADDED_QUERIES_LIMIT:
                shape = (
                    visitor,
                    page[visitor]["added"],
                    tuple(_normalised(q) for q in page[visitor]["added_sql"]),
                )
                groups.setdefault(shape, []).append(key)
    for (visitor, added, _shape), keys in groups.items():
        sample = pages[keys[0]][visitor]["added_sql"]
        print(f"  {visitor} adds {added} queries on {', '.join(keys)} (limit {ADDED_QUERIES_LIMIT}):")
        for sql in sample:
            print(f"    {sql[:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of signing in (see bench/README.md).")
    parser.add_argument("--sign-ins", type=int, default=200, help="single sign-ons timed (default 200)")
    parser.add_argument(
        "--password-sign-ins", type=int, default=50, help="password sign-ins timed (default 50)"
    )
    common.add_load_arguments(parser)
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args.phase, args.phase_args)

    database_url, redis_url = common.load_run_urls(
        args, "BENCH_ACCOUNTS_DATABASE_URL", DEFAULT_DATABASE_URL, "bench/accounts.py"
    )
    started = time.monotonic()
    env = common.django_env(database_url, redis_url, CACHE_PREFIX)
    report: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "loadavg_before": [round(x, 2) for x in os.getloadavg()],
        },
        "setup_args": {
            "sign_ins": args.sign_ins,
            "password_sign_ins": args.password_sign_ins,
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
            "database": common.database_name(database_url),
        },
    }
    log(f"database {common.database_name(database_url)}: create if missing, migrate, load data if missing")
    status = common.prepare_database(database_url, env, recreate=args.recreate)
    log(f"  {status['units']} units, {status['agencies']} agencies, {status['procedures']} procedures")
    log("accounts: a citizen with a password, an officer")
    report["setup"] = phase(env, "setup")
    addresses = Addresses(int(time.time()) % 1_000_000)
    if not args.no_http:
        report["machine"]["loadavg_before_http"] = [round(x, 2) for x in os.getloadavg()]
        report["http"] = http_benchmark(env, args, addresses)
    log("SQL queries per page: anonymous, citizen, officer (page cache as deployed, then off)")
    report["counts"] = {
        "deployed": phase(env, "counts"),
        "rendered": phase(
            {**env, "PORTAL_PAGE_CACHE_SECONDS": "0", "PORTAL_DOSSIER_PAGE_CACHE_SECONDS": "0"}, "counts"
        ),
    }
    report["elapsed_s"] = round(time.monotonic() - started, 1)
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    print_report(report)
    statuses = {
        page[v]["status"] for c in report["counts"].values() for page in c["pages"].values() for v in VISITORS
    }
    statuses |= {c["sign_in_page"]["status"] for c in report["counts"].values()}
    if statuses != {200}:
        print(f"A counted page did not answer 200 ({sorted(statuses)}): see {RESULT_FILE}")
        return 1
    return 0


# --------------------------------------------------------------------------------------------------------------
# In-process phases (child processes with the benchmark's environment; each prints one JSON line last)
# --------------------------------------------------------------------------------------------------------------


def phase_setup() -> dict:
    """The citizen (password, confirmed e-mail) and the officer; the single sign-on accounts of earlier runs go (the
    provider's issuer has a new port each run, so each run's first sign-in makes a new account)."""
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import check_password, get_hasher
    from django.contrib.sessions.models import Session
    from django.db import connection

    from portal.accounts.models import AgencyMembership, User
    from portal.agencies.models import Agency

    if connection.settings_dict["NAME"].startswith("portal_bench"):
        User.objects.filter(external_identities__issuer__startswith="http://127.0.0.1:").delete()
        Session.objects.all().delete()  # hundreds of sign-ins per run
    citizen, _ = User.objects.update_or_create(
        username=CITIZEN,
        defaults={"role": User.Role.CITIZEN, "full_name": "Công dân (đo tải)", "email": CITIZEN_EMAIL},
    )
    citizen.set_password(PASSWORD)  # the production hasher: what every password sign-in checks against
    citizen.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=citizen, email=CITIZEN_EMAIL, defaults={"verified": True, "primary": True}
    )
    officer, _ = User.objects.update_or_create(
        username=OFFICER,
        defaults={
            "role": User.Role.HANDLING_OFFICER,
            "full_name": "Chuyên viên (đo tải)",
            "job_title": "Chuyên viên",
        },
    )
    AgencyMembership.objects.get_or_create(user=officer, agency=Agency.objects.get(code=OFFICER_AGENCY))
    hasher = get_hasher()
    timings = []
    for _ in range(5):
        t0 = time.perf_counter()
        check_password(PASSWORD, citizen.password)
        timings.append((time.perf_counter() - t0) * 1000)
    return {
        "citizen": CITIZEN,
        "officer": OFFICER,
        "officer_agency": OFFICER_AGENCY,
        "session_engine": settings.SESSION_ENGINE,
        "hasher": hasher.algorithm,
        "iterations": getattr(hasher, "iterations", None),
        "check_password_ms": common.percentile(timings, 0.5),
    }


def _normalised(sql: str) -> str:
    """A query's shape, to tell which queries a signed-in request adds (ids and literals vary)."""
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def phase_counts() -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.accounts.models import User

    sys.path.insert(0, str(REPO))
    # The officer's TOTP authenticator and this session's passed second factor, as the staff tests sign in.
    from tests.accounts.mfa import staff_login

    clients = {"anonymous": Client(), "citizen": Client(), "officer": Client()}
    clients["citizen"].force_login(User.objects.get(username=CITIZEN))
    staff_login(clients["officer"], User.objects.get(username=OFFICER))
    pages = {}
    for key, path in PAGES:
        page = pages[key] = {"path": path}
        for visitor, client in clients.items():
            for _ in range(2):  # warm: connection, caches, the page cache when it is on, the CSRF cookie
                client.get(path)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path)
            page[visitor] = {
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
                "sql": [q["sql"] for q in ctx.captured_queries],
            }
        anonymous = Counter(_normalised(sql) for sql in page["anonymous"]["sql"])
        for visitor in VISITORS:
            page[visitor]["added"] = page[visitor]["queries"] - page["anonymous"]["queries"]
            extra = Counter(_normalised(sql) for sql in page[visitor]["sql"]) - anonymous
            page[visitor]["added_sql"] = [sql[:400] for sql in extra.elements()]
    anonymous = Client()
    anonymous.get(LOGIN_PAGE)
    with CaptureQueriesContext(connection) as ctx:
        response = anonymous.get(LOGIN_PAGE)
    sign_in_page = {"path": LOGIN_PAGE, "status": response.status_code, "queries": len(ctx.captured_queries)}
    return {"pages": pages, "sign_in_page": sign_in_page}


def run_phase(name: str, args: list[str]) -> int:
    common.setup_django()
    if name == "setup":
        result = phase_setup()
    elif name == "counts":
        result = phase_counts()
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
