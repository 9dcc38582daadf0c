"""Micro-benchmark for ``portal.catalog.search``: index build time and query latency.

Usage::

    python bench/search_index.py [path/to/procedures.jsonl[.gz]] [--rounds N]

The default data file is the shared capture, or the copy bundled with the portal if that is missing.

Builds the index over the real catalogue (1,601 procedures) and over 20,000 synthetic documents (copies of the
real ones with slightly varied names and codes), runs a fixed list of realistic citizen queries many times and
prints build time and p50/p95/max latency per corpus size, in milliseconds. Pure stdlib; no Django needed.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import resource
import statistics
import sys
import time
import types
from pathlib import Path

from queries import SEARCH_QUERIES  # bench/queries.py (this script's folder is on sys.path)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path("/work/shared/data/tthc/procedures.jsonl")
BUNDLED_DATA = REPO / "portal" / "catalog" / "data" / "procedures-2026.jsonl.gz"
SYNTHETIC_SIZE = 20_000

QUERIES = [*SEARCH_QUERIES, "xyzzy quux", "a" * 10_000]  # plus nonsense and an over-long query


def load_search_module():
    """Import ``portal.catalog.search`` without running ``portal/__init__.py`` (which needs Celery)."""
    try:
        return importlib.import_module("portal.catalog.search")
    except ImportError:
        pass
    for name in ("portal", "portal.catalog"):
        sys.modules.pop(name, None)
    for name, path in (("portal", REPO / "portal"), ("portal.catalog", REPO / "portal" / "catalog")):
        package = types.ModuleType(name)
        package.__path__ = [str(path)]
        sys.modules[name] = package
    return importlib.import_module("portal.catalog.search")


def load_rows(path: Path) -> list[dict]:
    """Rows of a procedures JSONL file, gzip-compressed or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def documents(search, rows: list[dict]) -> list:
    return [
        search.Document(
            id=i,
            title=row.get("ten_thu_tuc", ""),
            keywords=f"{row.get('ma_thu_tuc', '')} {row.get('linh_vuc', '')}",
            body=" ".join(
                row.get(key, "") for key in ("co_quan_thuc_hien", "ket_qua_xu_ly", "trinh_tu_thuc_hien")
            ),
        )
        for i, row in enumerate(rows)
    ]


VARIANTS = [
    "",
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


def synthetic(search, base: list, size: int) -> list:
    """``size`` documents cycling through ``base`` with varied names and distinct codes."""
    out = []
    for i in range(size):
        doc = base[i % len(base)]
        k = i // len(base)
        if k == 0:
            out.append(doc)
            continue
        suffix = VARIANTS[k % len(VARIANTS)].format(k=k)
        code, _, field = doc.keywords.partition(" ")
        out.append(
            search.Document(id=i, title=doc.title + suffix, keywords=f"9.{i:06d} {field}", body=doc.body)
        )
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench(search, docs: list, rounds: int, label: str) -> None:
    started = time.perf_counter()
    index = search.SearchIndex.build(docs)
    build_s = time.perf_counter() - started
    for query in QUERIES:  # warm-up (lazy caches, branch predictors)
        index.search(query)
    timings: list[float] = []
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for query in QUERIES:
            t0 = time.perf_counter()
            index.search(query)
            elapsed = (time.perf_counter() - t0) * 1000.0
            timings.append(elapsed)
            per_query[query].append(elapsed)
    slowest = max(per_query.items(), key=lambda kv: statistics.median(kv[1]))
    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    print(
        f"{label:>17}: {len(index):>6} docs, build {build_s:6.2f} s, query p50 {p50:6.2f} ms,"
        f" p95 {p95:6.2f} ms, max {max(timings):6.2f} ms ({len(timings)} queries;"
        f" slowest median {statistics.median(slowest[1]):.2f} ms: {slowest[0][:30]!r})"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, help=f"procedures JSONL (default {DEFAULT_DATA})")
    parser.add_argument("--rounds", type=int, default=30, help="times each query is run per corpus")
    args = parser.parse_args(argv)

    data = args.data or (DEFAULT_DATA if DEFAULT_DATA.exists() else BUNDLED_DATA)
    search = load_search_module()
    rows = load_rows(data)
    base = documents(search, rows)
    print(
        f"{data}: Python {sys.version.split()[0]}, {len(QUERIES)} queries x {args.rounds} rounds per corpus"
    )
    bench(search, base, args.rounds, "real catalogue")
    bench(search, synthetic(search, base, SYNTHETIC_SIZE), args.rounds, "synthetic copies")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak_mb:.0f} MB (both indexes and the corpus in memory)")


if __name__ == "__main__":
    main()
