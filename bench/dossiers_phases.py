"""The in-process phases of ``bench/dossiers.py`` (``bench/dossiers.py --phase <name>``): each runs in a child process
with Django set up on the benchmark's database and prints one JSON line last."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent

sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402

OFFICER = "bench-motcua"
TRACKING_SAMPLES = 500
PAGE_SIZES = (10, 100)
DOSSIER_TABLES = [
    "dossiers_notification",
    "dossiers_outboxevent",
    "dossiers_dossierfile",
    "dossiers_supplementrequest",
    "dossiers_dossierevent",
    "dossiers_dossier",
    "dossiers_dailycounter",
]


def endpoints(setup: dict) -> list[dict]:
    queue = f"/ho-so/can-bo/hang-doi/{setup['queue']}/"
    first = setup["tracking"][0]
    return [
        {"key": "baseline", "label": "baseline", "path": "/healthz"},
        {"key": "queue", "label": "officer queue", "path": queue, "cookie": setup["officer_cookie"]},
        {"key": "tracking", "label": "tracking", "path": f"/ho-so/tra-cuu/?ma={first[0]}&xac_thuc={first[1]}"},
        {"key": "my_dossiers", "label": "my dossiers", "path": "/ho-so/cua-toi/", "cookie": setup["citizen_cookie"]},
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------------------------
# In-process phases (child processes with the benchmark's environment; each prints one JSON line last)
# --------------------------------------------------------------------------------------------------------------


def phase_status() -> dict:
    from django.apps import apps
    from django.db import connection

    from dossiers.models import Dossier, DossierEvent

    problems = []
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_app_config("dossiers").get_models():
            table = model._meta.db_table
            if table not in tables:
                problems.append(f"table {table} missing")
                continue
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            expected = {f.column for f in model._meta.local_concrete_fields}
            problems += [f"{table}.{c} missing" for c in sorted(expected - columns)]
            problems += [f"{table}.{c} not in the model" for c in sorted(columns - expected)]
    if problems:
        return {"schema_problems": problems, "dossiers": 0, "events": 0}
    return {
        "schema_problems": [],
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
    }


def phase_generate(count: int, seed: int) -> dict:
    from django.db import connection

    from loadtest.generator import generate_dossiers

    if not connection.settings_dict["NAME"].startswith("portal_bench"):
        raise SystemExit("the generate phase only replaces the dossiers of a portal_bench… database")
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(DOSSIER_TABLES)} RESTART IDENTITY CASCADE")
    summary = generate_dossiers(count=count, seed=seed)
    rows = summary.count + summary.events + summary.supplements
    return {
        "count": summary.count,
        "events": summary.events,
        "supplements": summary.supplements,
        "accounts_created": summary.accounts_created,
        "overdue": summary.overdue,
        "states": dict(summary.states),
        "channels": {str(k): v for k, v in summary.channels.items()},
        "seconds": round(summary.seconds, 1),
        "dossiers_per_s": summary.count / summary.seconds,
        "rows_per_s": rows / summary.seconds,
        "heavy_users": summary.heavy_users,
    }


def phase_setup(seed: int, path: str) -> dict:
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.db.models import Count
    from django.middleware.csrf import get_token
    from django.test import Client, RequestFactory

    from dossiers.models import Dossier
    from dossiers.selectors import Clock, queue_counts, queues_for
    from loadtest.generator.load import HEAVY_USER_QUOTAS, USERNAME
    from portal.accounts.models import AgencyMembership, User
    from portal.agencies.models import Agency

    centre = Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE).order_by("id").first()
    officer, _ = User.objects.update_or_create(
        username=OFFICER,
        defaults={
            "role": User.Role.ONESTOP_OFFICER,
            "full_name": "Cán bộ một cửa (đo tải)",
            "job_title": "Công chức một cửa",
        },
    )
    AgencyMembership.objects.get_or_create(user=officer, agency=centre)
    counts = queue_counts(officer, Clock.at())
    queue = max(queues_for(officer), key=lambda q: counts.get(q.slug, 0)).slug

    names = [USERNAME.format(seed=seed, index=i) for i in range(len(HEAVY_USER_QUOTAS))]
    heavy = list(
        Dossier.objects.filter(applicant__username__in=names)
        .values_list("applicant_id", "applicant__username")
        .annotate(n=Count("id"))
    )
    if not heavy:
        raise SystemExit("no generated citizen with dossiers: was the database generated with this --seed?")
    citizen_id, citizen_name, citizen_count = min(heavy, key=lambda row: abs(row[2] - 100))

    def session(user_id: int) -> str:
        """The Cookie header of a browser signed in as the user: its session and, as after its first page, the CSRF
        cookie (without it every page would set one, as for a first visit)."""
        client = Client()
        user = User.objects.get(pk=user_id)
        client.force_login(user)
        if (
            user.is_officer
        ):  # staff pass the TOTP second factor first (portal/accounts/mfa.py): as after the code page
            authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
            authenticator = authenticator or TOTP.activate(user, generate_totp_secret()).instance
            session = client.session
            recorded = RequestFactory().get("/")
            recorded.session, recorded.user = session, user
            record_authentication(recorded, user, "mfa", id=authenticator.pk, type=authenticator.type)
            session.save()
        request = RequestFactory().get("/")
        get_token(request)  # a new CSRF secret, as the cookie carries it
        return (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
            f"{settings.CSRF_COOKIE_NAME}={request.META['CSRF_COOKIE']}"
        )

    samples = []
    for code, phone in (
        Dossier.objects.exclude(code=None)
        .exclude(applicant_phone="")
        .order_by("?")[:TRACKING_SAMPLES]
        .values_list("code", "applicant_phone")
    ):
        samples.append([code, re.sub(r"\D", "", phone)[-4:]])
    result = {
        "agency": centre.code,
        "agency_dossiers": Dossier.objects.filter(receiving_agency=centre).count(),
        "queue": queue,
        "queue_counts": counts,
        "officer_cookie": session(officer.pk),
        "citizen": citizen_name,
        "citizen_dossiers": citizen_count,
        "citizen_cookie": session(citizen_id),
        "tracking": samples,
    }
    Path(path).write_text(json.dumps(result, ensure_ascii=False))
    return result


def _client_for(endpoint: dict):
    from django.test import Client

    client = Client()
    for pair in (endpoint.get("cookie") or "").split("; "):
        if pair:
            name, value = pair.split("=", 1)
            client.cookies[name] = value
    return client


class _Visitors:
    """A new X-Forwarded-For address per tracking lookup (the per-address limit is not what is measured)."""

    def __init__(self, first: int):
        self.n = first

    def headers(self) -> dict:
        self.n += 1
        return {"HTTP_X_FORWARDED_FOR": f"10.250.{self.n // 256 % 256}.{self.n % 256}"}


def phase_service(setup_path: str, repeat: int) -> dict:
    setup = json.loads(Path(setup_path).read_text())
    visitors = _Visitors(int(time.time()) % 30000)
    result = {}
    for endpoint in endpoints(setup):
        client = _client_for(endpoint)
        paths = [endpoint["path"]]
        if endpoint["key"] == "tracking":
            paths = [f"/ho-so/tra-cuu/?ma={c}&xac_thuc={f}" for c, f in setup["tracking"]]
        timings, cpu = [], []
        for k in range(repeat + 3):
            path = paths[k % len(paths)]
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path, **visitors.headers())
            elapsed, used = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if k >= 3:
                timings.append(elapsed)
                cpu.append(used)
        # CPU time of this process: the Python side alone, whatever else the machine is doing (the database's
        # work runs in PostgreSQL's process and is measured by the counts phase).
        result[endpoint["key"]] = {**common.summary(timings), "cpu_p50_ms": common.percentile(cpu, 0.5)}
    return result


def phase_profile(setup_path: str, repeat: int = 200) -> dict:
    """Print the functions one request of each page spends its time in (cumulative, top 30), after a warm-up."""
    import cProfile
    import pstats

    setup = json.loads(Path(setup_path).read_text())
    visitors = _Visitors(50000)
    for endpoint in endpoints(setup):
        client = _client_for(endpoint)
        for _ in range(3):
            response = client.get(endpoint["path"], **visitors.headers())
            assert response.status_code == 200, (endpoint["path"], response.status_code)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(repeat):
            client.get(endpoint["path"], **visitors.headers())
        profiler.disable()
        print(f"\n===== {endpoint['key']} {endpoint['path']} ({repeat} requests)")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        stats.dump_stats(str(common.RESULTS / f"profile-{endpoint['key']}.prof"))
    return {}


def phase_counts(setup_path: str) -> dict:
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from dossiers import selectors
    from dossiers.views import citizen

    setup_test_environment()  # responses carry their template context (the page shown)
    setup = json.loads(Path(setup_path).read_text())
    visitors = _Visitors(40000)
    pages: dict[str, dict] = {}
    for endpoint in endpoints(setup):
        if endpoint["key"] == "baseline":
            continue
        client = _client_for(endpoint)
        page = pages[endpoint["key"]] = {"path": endpoint["path"], "sizes": {}}
        for size in PAGE_SIZES:
            with (
                mock.patch.object(selectors, "QUEUE_PAGE_SIZE", size),
                mock.patch.object(citizen, "PAGE_SIZE", size),
            ):
                client.get(endpoint["path"], **visitors.headers())  # warm: connection, caches
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(endpoint["path"], **visitors.headers())
            context = response.context
            items = None
            if context is not None and context.get("page") is not None:
                items = len(context["page"].object_list)
            elif context is not None and context.get("events") is not None:
                items = len(list(context["events"]))
            page["sizes"][str(size)] = {
                "status": response.status_code,
                "queries": len(ctx.captured_queries),
                "items": items,
                "sql": [q["sql"] for q in ctx.captured_queries],
            }
        # EXPLAIN ANALYZE of the queries of the default page size's request.
        plans, total, slowest = [], 0.0, 0.0
        for sql in page["sizes"][str(PAGE_SIZES[0])]["sql"]:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            match = re.search(r"Execution Time: ([\d.]+) ms", plan)
            ms = float(match[1]) if match else 0.0
            total += ms
            slowest = max(slowest, ms)
            plans.append({"sql": sql, "ms": ms, "plan": plan})
        page["plans"] = sorted(plans, key=lambda p: -p["ms"])
        page["sql_ms"] = total
        page["slowest_ms"] = slowest
    return {"pages": pages}


def run_phase(name: str, args: list[str]) -> int:
    common.setup_django()
    if name == "status":
        result = phase_status()
    elif name == "generate":
        result = phase_generate(int(args[0]), int(args[1]))
    elif name == "setup":
        result = phase_setup(int(args[0]), args[1])
    elif name == "service":
        result = phase_service(args[0], int(args[1]))
    elif name == "profile":
        result = phase_profile(args[0])
    elif name == "counts":
        result = phase_counts(args[0])
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0
