"""Speed of ``POST /api/v1/faq/ask`` against ``/healthz`` in the same run, with 5,000 and 50,000 published entries.

Usage (against a database with the catalogue and the demo FAQ, e.g. after ``manage.py load_demo``; PostgreSQL and
Redis as in the environment)::

    .venv/bin/python bench/faq_ask.py [--sizes 5000 50000] [--requests 400] [--concurrency 4]

For each size, entries named ``bench-…`` are added (written from every procedure's record by
``faq.catalog_facts``, and once per commune "Tại <commune>: …" as communes' own lists would be) until that many are
published; gunicorn (one sync worker, production settings) serves the portal; the first question builds the
worker's answering index (its time is printed); then ``--requests`` questions from ``bench/faq_eval_set.csv`` and as
many ``/healthz`` requests are sent interleaved from ``--concurrency`` threads. Printed: p50/p95 of each, the ratio
of the p95s, and the worker's resident memory before and after its answering index was built. The ``bench-``
entries are removed afterwards. Goals: p95(ask) <= 1.5 x p95(healthz) at 5,000; p95 at 50,000 <= 3 x p95 at 5,000.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import run as common  # noqa: E402  (bench/run.py: free_port, django_env)
from django.db import transaction  # noqa: E402

from faq.catalog_facts import procedure_facts  # noqa: E402
from faq.demo import faq_demo_load  # noqa: E402
from faq.models import FaqEntry  # noqa: E402
from faq.versioning import faq_version_bump  # noqa: E402
from portal.agencies.models import Agency  # noqa: E402
from portal.catalog.models import Procedure  # noqa: E402
from portal.catalog.selectors import procedure_receiving_agencies  # noqa: E402

PREFIX = "bench-"


def _facts() -> list[tuple[str, str, int]]:
    out = []
    queryset = Procedure.objects.filter(is_active=True).prefetch_related(
        "channels", "documents", "applicant_types", "agency_links__agency"
    )
    for procedure in queryset.iterator(chunk_size=200):
        receiving = [a.name for a in procedure_receiving_agencies(procedure)]
        for fact in procedure_facts(procedure, receiving):
            if len(fact.question) <= 400:
                out.append((fact.question, fact.answer, procedure.pk))
    return out


def entries_fill(target: int, facts: list[tuple[str, str, int]], communes: list[Agency]) -> int:
    """Add ``bench-`` entries until ``target`` are published; the number added."""
    missing = target - FaqEntry.objects.filter(state=FaqEntry.State.PUBLISHED).count()
    if missing <= 0:
        return 0
    start = FaqEntry.objects.filter(external_id__startswith=PREFIX).count()
    rows, links = [], []
    for n in range(start, start + missing):
        question, answer, procedure_id = facts[n % len(facts)]
        commune = communes[(n // len(facts)) % len(communes)]
        if n >= len(facts):
            question = f"Tại {commune.name}: {question}"[:500]
        rows.append(
            FaqEntry(
                question=question,
                answer=answer,
                agency=commune if n >= len(facts) else None,
                state=FaqEntry.State.PUBLISHED,
                external_id=f"{PREFIX}{n}",
            )
        )
        links.append(procedure_id)
    with transaction.atomic():
        created = FaqEntry.objects.bulk_create(rows, batch_size=2000)
        through = FaqEntry.procedures.through
        through.objects.bulk_create(
            [through(faqentry_id=e.pk, procedure_id=p) for e, p in zip(created, links, strict=True)],
            batch_size=5000,
        )
    faq_version_bump()
    return missing


def entries_remove() -> None:
    FaqEntry.objects.filter(external_id__startswith=PREFIX).delete()
    faq_version_bump()


class Server:
    """gunicorn, one sync worker, in its own process group; stop() ends that group only."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = common.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--config", "python:portal.gunicorn_conf",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--worker-class", "sync",
            "--timeout", "300", "--no-control-socket", "--log-level", "warning",
        ]  # fmt: skip
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(  # noqa: S603
            cmd, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see its log")
            try:
                if get(self.base + "/readyz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn not ready")

    def worker_rss_mb(self) -> float:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def ask(base: str, question: str, timeout: float = 60) -> int:
    request = urllib.request.Request(  # noqa: S310
        base + "/api/v1/faq/ask",
        data=json.dumps({"question": question}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def measure(base: str, questions: list[str], requests: int, concurrency: int) -> dict:
    times: dict[str, list[float]] = {"ask": [], "healthz": []}
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker() -> None:
        for n in counter:
            for kind in ("ask", "healthz"):
                started = time.perf_counter()
                status = (
                    ask(base, questions[n % len(questions)]) if kind == "ask" else get(base + "/healthz")[0]
                )
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    times[kind].append(elapsed)
                    if status != 200:
                        errors.append(status)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def p(values: list[float], q: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    return {
        kind: {"p50": statistics.median(v), "p95": p(v, 0.95), "n": len(v)} for kind, v in times.items()
    } | {"errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    if not FaqEntry.objects.exists():
        faq_demo_load()
    with open(HERE / "faq_eval_set.csv", encoding="utf-8") as handle:
        questions = [row["question"] for row in csv.DictReader(handle)]
    print("writing entries from every procedure's record…", flush=True)
    facts = _facts()
    communes = list(Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code"))
    env = common.django_env(os.environ["DATABASE_URL"], os.environ["REDIS_URL"], "faqbench")
    env["PORTAL_FAQ_ASKS_PER_ADDRESS"] = str(10**9)
    results = {}
    try:
        for size in sorted(args.sizes):
            added = entries_fill(size, facts, communes)
            published = FaqEntry.objects.filter(state=FaqEntry.State.PUBLISHED).count()
            server = Server(env, Path("/tmp") / f"faq-ask-gunicorn-{size}.log")
            try:
                server.wait_ready()
                # The API's own first-use cost is paid here, so the difference below is the answering index.
                get(server.base + "/api/v1/procedures?q=khai+sinh")
                before = server.worker_rss_mb()
                started = time.perf_counter()
                ask(server.base, "khai sinh cần giấy tờ gì", timeout=600)
                build = time.perf_counter() - started
                after = server.worker_rss_mb()
                result = measure(server.base, questions, args.requests, args.concurrency)
            finally:
                server.stop()
            results[size] = result
            print(
                f"{published:>6} entries (+{added}): first question {build:.1f} s (builds the index); worker RSS "
                f"{before:.0f} MB -> {after:.0f} MB (+{after - before:.0f} MB for the answering index)\n"
                f"        ask p50 {result['ask']['p50']:.1f} ms p95 {result['ask']['p95']:.1f} ms | healthz p50 "
                f"{result['healthz']['p50']:.1f} ms p95 {result['healthz']['p95']:.1f} ms | ratio of p95 "
                f"{result['ask']['p95'] / result['healthz']['p95']:.1f} | non-200: {len(result['errors'])}",
                flush=True,
            )
    finally:
        entries_remove()
    sizes = sorted(results)
    if len(sizes) >= 2:
        growth = results[sizes[-1]]["ask"]["p95"] / results[sizes[0]]["ask"]["p95"]
        print(f"p95 at {sizes[-1]} / p95 at {sizes[0]}: {growth:.2f} (goal <= 3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
