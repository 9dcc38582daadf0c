"""The in-process measurements of ``bench/run.py``: each runs in a child process with Django set up on one database
(``bench/run.py --phase <name>``) and prints one JSON line last. Also the small helpers the other benchmarks share
(``setup_django``, ``percentile``, ``summary``, ``search_queries``)."""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

from queries import SEARCH_QUERIES  # bench/queries.py (this script's folder is on sys.path)

REPO = Path(__file__).resolve().parent.parent
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
PAGE_SIZES = (10, 50)  # rows are read 50 at a time (portal/catalog/selectors.py: ROWS_AT_ONCE)
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
