"""Benchmark of the receipt (Mẫu 01) PDF: render time and memory over many renders, without a database.

    .venv/bin/python bench/receipt_pdf.py [--renders 1000] [--warmup 20]

Builds a realistic receipt context in memory (an applicant with a long address, six documents, a QR code of the
tracking URL; the QR is made anew for each render, as in production), renders it with ``render_pdf`` — the same
template, fonts and URL fetcher as the worker — and prints p50/p95/max milliseconds (wall clock and CPU time of
the process: on a busy machine the two differ) and the resident memory (VmRSS) after the warm-up, after 100
renders and at the end. Targets: p95 under 300 ms, under 50 MB of growth.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()
logging.getLogger("weasyprint").setLevel(logging.WARNING)  # its progress lines would drown the figures

from dossiers.pdf.dates import vn_date, vn_datetime  # noqa: E402
from dossiers.pdf.qr import qr_svg, tracking_url  # noqa: E402
from portal.pdf.render import render_pdf, worker_warm_up  # noqa: E402

TEMPLATE = "dossiers/pdf/form_01.html"
DOCUMENTS = [
    ("Tờ khai đăng ký khai sinh theo mẫu", 1, None),
    ("Giấy chứng sinh do cơ sở y tế nơi trẻ em sinh ra cấp", 1, None),
    ("Giấy tờ chứng minh nơi cư trú của cha, mẹ trẻ em", None, 1),
    ("Giấy chứng nhận kết hôn của cha, mẹ trẻ em", None, 1),
    ("Văn bản ủy quyền được chứng thực theo quy định", 1, None),
    ("Hộ chiếu, Căn cước công dân hoặc giấy tờ tùy thân có ảnh của người đi đăng ký", None, 1),
]


def receipt_context(sequence: int) -> dict:
    """A receipt like one the commune's counter prints, for dossier number ``sequence`` of the day."""
    code = f"000.01.50.H01-261125-{sequence % 10_000:04d}"
    received = datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    province = SimpleNamespace(name="Ủy ban nhân dân tỉnh An Giang")
    agency = SimpleNamespace(
        name="Ủy ban nhân dân Phường Bình Đức", parent=province, phone="0297 3 862 145", address=""
    )
    dossier = SimpleNamespace(
        code=code,
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_address="Số 12, đường Trần Hưng Đạo, khóm Bình Thới 3, Phường Bình Đức, tỉnh An Giang",
        applicant_phone="0912 345 678",
        applicant_email="hongnhung.nguyen@example.vn",
    )
    url = tracking_url(code)
    return {
        "form_code": "01",
        "title": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "dossier": dossier,
        "procedure": SimpleNamespace(name="Thủ tục đăng ký khai sinh", code="1.001193"),
        "agency": agency,
        "receiving_agency": agency,
        "place": "Bình Đức",
        "issued": vn_date(received),
        "track_url": url,
        "qr_svg": qr_svg(url),
        "documents": [SimpleNamespace(name=n, originals=o, copies=c, pages=None) for n, o, c in DOCUMENTS],
        "duration": "3 ngày làm việc",
        "received": vn_datetime(received),
        "due": vn_datetime(received + timedelta(days=3, hours=2)),
        "return_place": "Ủy ban nhân dân Phường Bình Đức",
        "fee": "Miễn phí",
        "book": "2026",
        "line": sequence,
        "officer": "Trần Văn Bình",
    }


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(renders: int, warmup: int) -> list[str]:
    worker_warm_up()  # what each Celery worker process does when it starts (dossiers/apps.py)
    for i in range(warmup):
        render_pdf(TEMPLATE, receipt_context(i))
    baseline = rss_mb()
    timings, cpu, memory = [], [], {}
    for i in range(1, renders + 1):
        started, cpu_started = time.perf_counter(), time.process_time()
        pdf = render_pdf(TEMPLATE, receipt_context(i))
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert pdf.startswith(b"%PDF-")
        if i in (100, renders):
            memory[i] = rss_mb()
    p95 = percentile(timings, 0.95)
    growth = memory[renders] - baseline
    return [
        f"Mẫu 01 receipt, {renders} renders after {warmup} warm-up (WeasyPrint, A5, 1 page, {len(pdf):,} bytes)",
        f"  time ms: p50 {statistics.median(timings):.1f}  p95 {p95:.1f}  max {max(timings):.1f}"
        f"  (target p95 < 300: {'ok' if p95 < 300 else 'MISSED'})",
        # CPU time is what the render itself costs; wall time also counts waiting for a core on a busy machine.
        f"  CPU ms:  p50 {statistics.median(cpu):.1f}  p95 {percentile(cpu, 0.95):.1f}  max {max(cpu):.1f}"
        f"  (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)",
        f"  RSS MB: after warm-up {baseline:.1f}, after 100 {memory.get(100, float('nan')):.1f},"
        f" after {renders} {memory[renders]:.1f}  (growth {growth:+.1f}; target < 50: {'ok' if growth < 50 else 'MISSED'})",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    print("\n".join(run(max(args.renders, 1), max(args.warmup, 0))))


if __name__ == "__main__":
    main()
