"""The stand-in's ceiling: how many valid ``DongBoHoSoMC`` calls per second it answers with no faults, measured
from ``concurrency`` client processes (each logged in once, each call a new dossier and key, keep-alive
connections), so a drain rate measured against the stand-in can be compared with what the stand-in itself can take.

    python -m integrations.standin.ceiling                  # starts a stand-in of its own, measures, stops it
    python -m integrations.standin.ceiling --url http://127.0.0.1:8790 --requests 5000 --concurrency 4

Against a running stand-in the calls stay recorded (keys ``ceiling-…``, dossiers ``CEILING-…``); reset it after.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
import uuid

import requests

PAYLOAD = {
    "MaTTHC": "1.000253",
    "KenhThucHien": 2,
    "ChuHoSo": {"HoVaTen": "Nguyễn Văn Thử", "SoDienThoai": "0912345678"},
    "LoaiDoiTuong": 1,
    "NgayTiepNhan": "20261125080000",
    "NgayHenTra": "20261202170000",
    "TrangThaiHoSo": 2,
}


def _worker(args) -> tuple[int, int]:
    base_url, count, prefix = args
    http = requests.Session()
    session = http.post(
        f"{base_url}/login", json={"username": "ceiling", "password": "ceiling"}, timeout=10
    ).json()["session"]
    ok = failed = 0
    for number in range(count):
        key = f"ceiling-{prefix}-{number}"
        body = {
            "session": session,
            "madonvi": "000.00.00.H01",
            "service": "DongBoHoSoMC",
            "IdempotencyKey": key,
            "data": [{**PAYLOAD, "MaHoSo": f"CEILING-{prefix}-{number}"}],
        }
        response = http.post(f"{base_url}/service", json=body, headers={"Idempotency-Key": key}, timeout=10)
        if response.status_code == 200 and response.json().get("error_code") == 0:
            ok += 1
        else:
            failed += 1
    return ok, failed


def _server_cpu(dvcqg_url: str) -> float:
    root = dvcqg_url.rstrip("/").removesuffix("/dvcqg")
    return requests.get(f"{root}/_control/stats", timeout=10).json()["cpu_seconds"]


def measure(dvcqg_url: str, *, calls: int = 2000, concurrency: int = 4) -> dict:
    """{requests, ok, failed, seconds, per_second, concurrency, server_cpu_ms_per_call, server_bound_per_second}:
    ``per_second`` is answered calls per second end to end (clients included, on this machine as loaded now);
    ``server_bound_per_second`` what the stand-in's own CPU per call would allow on one free core."""
    run = uuid.uuid4().hex[:8]
    share = max(1, calls // concurrency)
    jobs = [(dvcqg_url.rstrip("/"), share, f"{run}-{worker}") for worker in range(concurrency)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(concurrency) as pool:
        pool.map(
            _worker, [(url, 1, f"warm-{prefix}") for url, _, prefix in jobs]
        )  # processes up, logged in once
        cpu_before = _server_cpu(dvcqg_url)
        started = time.perf_counter()
        results = pool.map(_worker, jobs)
        seconds = time.perf_counter() - started
        cpu = _server_cpu(dvcqg_url) - cpu_before
    ok = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    return {
        "requests": share * concurrency,
        "ok": ok,
        "failed": failed,
        "seconds": round(seconds, 3),
        "per_second": round((ok + failed) / seconds, 1),
        "concurrency": concurrency,
        "server_cpu_ms_per_call": round(1000 * cpu / max(1, ok + failed), 3),
        "server_bound_per_second": round((ok + failed) / cpu, 1) if cpu > 0 else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integrations.standin.ceiling", description=__doc__)
    parser.add_argument("--url", help="a running stand-in (default: start one for the measure)")
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    if args.url:
        result = measure(f"{args.url.rstrip('/')}/dvcqg", calls=args.requests, concurrency=args.concurrency)
    else:
        from integrations.standin.testing import standin_start

        standin = standin_start()
        try:
            result = standin.measure_ceiling(calls=args.requests, concurrency=args.concurrency)
        finally:
            standin.stop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
