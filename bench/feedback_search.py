"""Load benchmark of the public list of answered feedback (/phan-anh/) with 100,000 items, in one command:

    .venv/bin/python bench/feedback_search.py [--count 100000] [--duration 15] [--connections 8] [--regenerate]

1. Prepares the database ``portal_bench_feedback`` (or ``BENCH_FEEDBACK_DATABASE_URL``; by default on the server
   and user of ``DATABASE_URL``): creates it, migrates, loads units, agencies and the real catalogue (the helpers of
   ``bench/run.py``), then generates ``--count`` feedback items unless exactly that many are there: about 60 %
   published (with their public question and answer, over two years, spread over the agencies, fields and
   procedures of the catalogue), the rest open, answered or closed. Then ``VACUUM ANALYZE``.
2. Serves the portal with gunicorn (2 sync workers, production settings, as ``bench/run.py``) and sends
   ``--connections`` concurrent keep-alive clients (Python threads with http.client: ``wrk`` is not installed
   here) at ``/healthz`` (the baseline, a view that does nothing) and at the public list: its first page, a word
   search, an agency, a field with a period, a procedure, and a deep page; each for ``--duration`` seconds, in turn.
   p50/p95/p99 are computed from every request's own time, and p95 is divided by the ``/healthz`` p95 of the same
   run.
3. In process: SQL queries per page (the count must not change between pages) and the time of one request alone
   (no network, no concurrency: the "alone" column).

Prints a table and writes ``bench/results/feedback-latest.json``. Sends traffic to 127.0.0.1 only; every step is
bounded in time and gunicorn is always stopped.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402

log = common.log
CACHE_PREFIX = "benchfeedback"
RESULT_FILE = common.RESULTS / "feedback-latest.json"
PUBLISHED_SHARE = 0.6
BATCH = 5000
ENDPOINTS = [
    ("healthz", "/healthz"),
    ("list", "/phan-anh/"),
    ("words", "/phan-anh/?q=khai+sinh"),
    ("agency", "/phan-anh/?agency=000.00.05.H01"),
    ("field_period", "/phan-anh/?field={field}&tu_ngay=01%2F01%2F{year}&den_ngay=31%2F12%2F{year}"),
    ("procedure", "/phan-anh/?procedure=1.001193"),
    ("deep_page", "/phan-anh/?page=500"),
]
SUBJECTS = [
    "Thời hạn giải quyết {p} quá dài",
    "Đề nghị đơn giản hóa thành phần hồ sơ {p}",
    "Cán bộ hướng dẫn {p} chưa rõ ràng",
    "Phí, lệ phí {p} chưa được niêm yết",
    "Không nộp trực tuyến được {p}",
    "Kiến nghị bỏ yêu cầu bản sao chứng thực khi làm {p}",
]
ANSWERS = [
    "Theo quy định, thời hạn giải quyết là {d} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Cơ quan đã chấn chỉnh bộ phận một cửa và niêm yết công khai mức thu tại nơi tiếp nhận.",
    "Kiến nghị đã được tổng hợp gửi cơ quan có thẩm quyền xem xét sửa đổi quy định.",
    "Người dân có thể nộp hồ sơ trực tuyến trên Cổng Dịch vụ công; hệ thống đã được khắc phục.",
]


# --------------------------------------------------------------------------------------------------------------
# Orchestration (no Django in this process)
# --------------------------------------------------------------------------------------------------------------


def phase(env: dict[str, str], name: str, *args: str, timeout: float = 1800) -> dict:
    out = common.run(
        [common.PYTHON, str(Path(__file__).resolve()), "--phase", name, *args], env, timeout, capture=True
    )
    return json.loads(out.strip().splitlines()[-1])


def default_database_url() -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    return common.with_database(base, "portal_bench_feedback")


class Load:
    """``connections`` threads, each with its own keep-alive connection, asking ``path`` until the time is up."""

    def __init__(self, host: str, port: int, path: str, connections: int, duration: float):
        self.host, self.port, self.path = host, port, path
        self.connections, self.duration = connections, duration
        self.timings: list[float] = []
        self.errors: dict[str, int] = {}
        self.lock = threading.Lock()

    def _client(self, stop_at: float) -> None:
        own, errors = [], {}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        headers = {"User-Agent": "bench-feedback/1", "Connection": "keep-alive"}
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                connection.request("GET", self.path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                connection.close()
                connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
                continue
            own.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors[f"http_{status}"] = errors.get(f"http_{status}", 0) + 1
        connection.close()
        with self.lock:
            self.timings.extend(own)
            for key, value in errors.items():
                self.errors[key] = self.errors.get(key, 0) + value

    def run(self) -> dict:
        stop_at = time.monotonic() + self.duration
        threads = [threading.Thread(target=self._client, args=(stop_at,)) for _ in range(self.connections)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=self.duration + 30)
        seconds = time.monotonic() - started
        if not self.timings:
            raise SystemExit(f"no answer from {self.path}: {self.errors}")
        ordered = sorted(self.timings)

        def pct(q: float) -> float:
            return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

        return {
            "requests": len(ordered),
            "rps": len(ordered) / seconds,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "max_ms": ordered[-1],
            "errors": self.errors,
        }


def http_benchmark(env: dict[str, str], args, paths: list[tuple[str, str]]) -> list[dict]:
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    common.manage(env, "collectstatic", "--noinput", "-v", "0")
    server = common.Gunicorn(env, args.workers, common.RESULTS / "gunicorn-feedback.log")
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
    print()
    print(f"Public answered-feedback search, {report['data']['published']:,} published of "
          f"{report['data']['items']:,} items; load average before: {report['load_average']}")  # fmt: skip
    print(
        f"{'endpoint':<14}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/base':>10}{'alone ms':>10}  errors"
    )
    for row in report["http"]:
        alone = report["alone"][row["path"]]["p50_ms"]
        print(
            f"{row['endpoint']:<14}{row['rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['p95_ratio']:>10.2f}{alone:>10.1f}  {row['errors'] or '-'}"
        )
    print()
    print("SQL queries per page:", ", ".join(f"{k} {v}" for k, v in report["queries"].items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--recreate", action="store_true")
    args, rest = parser.parse_known_args(argv)
    if args.phase:
        return run_phase(args.phase, rest)
    database_url = os.environ.get("BENCH_FEEDBACK_DATABASE_URL") or default_database_url()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
    env = common.django_env(database_url, redis_url, CACHE_PREFIX)
    log(f"database {common.database_name(database_url)}")
    catalogue = common.prepare_database(database_url, env, recreate=args.recreate)
    status = phase(env, "status")
    generation = None
    if status["items"] != args.count or args.regenerate:
        log(f"generating {args.count:,} feedback items (had {status['items']:,})")
        generation = phase({**env, "PORTAL_ENV": "development"}, "generate", str(args.count), str(args.seed))
        log(f"  {generation['items']:,} items in {generation['seconds']:.1f} s")
        common.vacuum(env)
        status = phase(env, "status")
    log(f"  {status['items']:,} items, {status['published']:,} published")
    paths = [(label, path.format(field=status["field"], year=status["year"])) for label, path in ENDPOINTS]
    load_average = os.getloadavg()[0]
    rows = http_benchmark(env, args, paths)
    paths_json = json.dumps([path for _label, path in paths])
    queries = phase(env, "counts", json.dumps([path for _label, path in paths[1:]]))
    alone = phase(env, "alone", paths_json)
    report = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average": round(load_average, 2),
        "catalogue": catalogue,
        "data": status,
        "generation": generation,
        "settings": {"connections": args.connections, "duration": args.duration, "workers": args.workers},
        "http": rows,
        "queries": queries,
        "alone": alone,
    }
    RESULT_FILE.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print_report(report)
    log(f"written to {RESULT_FILE.relative_to(REPO)}")
    return 0


# --------------------------------------------------------------------------------------------------------------
# Phases (a child process with Django)
# --------------------------------------------------------------------------------------------------------------


def phase_status() -> dict:
    from django.db.models import Count

    from feedback.models import Feedback

    published = Feedback.objects.filter(state=Feedback.State.PUBLISHED)
    top = published.values("field__slug").annotate(n=Count("pk")).order_by("-n").first() or {}
    latest = published.order_by("-published_at").values_list("published_at", flat=True).first()
    return {
        "items": Feedback.objects.count(),
        "published": published.count(),
        "field": top.get("field__slug") or "",
        "year": latest.year if latest else 2026,
    }


def phase_generate(count: int, seed: int) -> dict:
    """``count`` items written with bulk inserts (codes, deadlines and texts as the services would make them; the
    services themselves would take hours for 100,000)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from feedback.models import Feedback, FeedbackEvent
    from feedback.rules import office_agency
    from portal.catalog.models import Procedure, ProcedureAgency

    rng = random.Random(seed)
    started = time.monotonic()
    with transaction.atomic():
        FeedbackEvent.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM feedback_feedbackoutbox")
            cursor.execute("DELETE FROM feedback_feedback_related")
            cursor.execute("DELETE FROM feedback_feedbackattachment")
            cursor.execute("UPDATE feedback_feedback SET merged_into_id = NULL")
            cursor.execute("DELETE FROM feedback_feedback")
    office = office_agency()
    competent = {
        link.procedure_id: link.agency_id
        for link in ProcedureAgency.objects.filter(role=ProcedureAgency.Role.COMPETENT).only(
            "procedure_id", "agency_id"
        )
    }
    procedures = list(Procedure.objects.filter(pk__in=competent).only("id", "name", "field_id"))
    now = timezone.now()
    states = [
        Feedback.State.ANSWERED,
        Feedback.State.ROUTED,
        Feedback.State.ASSIGNED,
        Feedback.State.NOT_FEEDBACK,
    ]
    made = 0
    while made < count:
        batch = []
        for i in range(made, min(count, made + BATCH)):
            procedure = rng.choice(procedures)
            received = now - timedelta(days=rng.uniform(1, 730))
            # answered 3 to 35 days later, published the day after, never in the future
            answered = min(received + timedelta(days=rng.uniform(3, 35)), now - timedelta(days=1))
            published = rng.random() < PUBLISHED_SHARE
            name = procedure.name[:120]
            subject = rng.choice(SUBJECTS).format(p=name.lower())[:200]
            answer = rng.choice(ANSWERS).format(d=rng.choice((1, 3, 5, 10, 15)))
            state = Feedback.State.PUBLISHED if published else rng.choice(states)
            batch.append(
                Feedback(
                    code=f"PA-{office.code}-{received:%y%m%d}-B{i:06d}",
                    kind=Feedback.Kind.REGULATION,
                    subject=subject,
                    content=f"{subject}. Tôi đã liên hệ nhiều lần nhưng chưa được hướng dẫn cụ thể.",
                    procedure_id=procedure.pk,
                    field_id=procedure.field_id,
                    sender_name="Người gửi thử",
                    sender_phone=f"09{rng.randrange(10**8):08d}",
                    consent_publish=published,
                    receiving_agency_id=office.pk,
                    agency_id=competent[procedure.pk],
                    state=state,
                    received_at=received,
                    routing_due_at=received + timedelta(days=7),
                    routed_at=received + timedelta(days=2),
                    answer_due_at=received + timedelta(days=30),
                    answered_at=answered
                    if state in (Feedback.State.PUBLISHED, Feedback.State.ANSWERED)
                    else None,
                    published_at=answered + timedelta(days=1) if published else None,
                    answer=answer if state in (Feedback.State.PUBLISHED, Feedback.State.ANSWERED) else "",
                    public_question=f"{subject}\n\nTôi đã liên hệ nhiều lần nhưng chưa được hướng dẫn."
                    if published
                    else "",
                    public_answer=answer if published else "",
                )
            )
        Feedback.objects.bulk_create(batch, batch_size=1000)
        made += len(batch)
    seconds = time.monotonic() - started
    return {"items": made, "seconds": round(seconds, 1), "items_per_s": round(made / seconds)}


def phase_counts(paths_json: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    result = {}
    for path in json.loads(paths_json):
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        result[path] = len(captured.captured_queries)
    return result


def phase_alone(paths_json: str, repeat: int = 30) -> dict:
    """One request at a time in this process (no network, no queue): p50 and p95 of ``repeat`` after a warm-up."""
    from django.test import Client

    client, result = Client(), {}
    for path in json.loads(paths_json):
        client.get(path)
        timings = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        result[path] = common.summary(timings)
    return result


def phase_vacuum() -> dict:
    return common.phase_vacuum()


def run_phase(name: str, args: list[str]) -> int:
    common.setup_django()
    if name == "status":
        result = phase_status()
    elif name == "generate":
        result = phase_generate(int(args[0]), int(args[1]))
    elif name == "counts":
        result = phase_counts(args[0])
    elif name == "alone":
        result = phase_alone(args[0])
    elif name == "vacuum":
        result = phase_vacuum()
    else:
        raise SystemExit(f"unknown phase {name}")
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
