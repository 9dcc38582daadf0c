"""The outbox drained to the stand-in national portal under faults: every event arrives once in effect, in order.

    .venv/bin/python bench/national_sync.py                      # 100,000 events, 20 worker kills, one Redis restart
    .venv/bin/python bench/national_sync.py --events 20000 --kills 5   # quicker

What it does:

1. A database of its own (``portal_bench_national``, production settings), migrated and loaded like ``make bench``,
   then ``manage.py generate_dossiers`` until the dossiers' history has ``--events`` steps with a national status.
   One outbox row per step, with its payload built by ``dossiers/national/mapping.py`` (as the services write it).
2. The stand-in (``python -m integrations.standin``) in its own process. Its ceiling is measured first: valid
   ``DongBoHoSoMC`` calls, no faults, 4 concurrent clients. Then faults: 5 % temporary (2 % HTTP 503, 1 % connection
   reset, 0.5 % HTML page, 0.5 % malformed JSON, 1 % no answer within the client's timeout) and 1 % permanent
   refusals (the same key refused at every delivery).
3. A Redis of its own (broker) and a real Celery worker (prefork, 2 processes) running
   ``dossiers.tasks.national_outbox_drain``, which this script sends twice a second, as beat would. The worker is
   killed with SIGKILL ``--kills`` times (its whole process group, at random moments 2–6 s apart) and started again;
   Redis is stopped and started once half-way.
4. When no row is left to send, it checks with the stand-in's own records: every sent row's key applied exactly
   once, every parked row refused with a reason, no row pending, and for every dossier the keys applied in the
   order of the rows. It reports the drain rate in events/s against the ceiling.

Writes bench/results/national_sync.json. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from faults import Celery, RedisServer, setup_django  # noqa: E402 (bench/faults.py, this script's neighbour)
from run import REPO, RESULTS, django_env, log, manage, prepare_database  # noqa: E402

sys.path.insert(0, str(REPO))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_national"
TEMPORARY = {"error": 0.02, "reset": 0.01, "html": 0.005, "malformed": 0.005, "timeout": 0.01}
PERMANENT = {"invalid": 0.01}
CLIENT_TIMEOUT = 0.5


def outbox_fill(events: int, seed: int, env: dict) -> int:
    """Generate dossiers until their history holds ``events`` steps with a national status; one row per step."""
    from dossiers.models import Dossier, NationalStatus, OutboxEvent
    from dossiers.national.mapping import event_payload

    OutboxEvent.objects.all().delete()
    statuses = dict(NationalStatus.objects.values_list("state", "code"))
    made, done = 0, set()
    for round_seed in itertools.count(seed):
        if made >= events:
            break
        # The command refuses production settings (it writes made-up people): this database is the bench's own.
        generating = {**env, "PORTAL_ENV": "development", "DEBUG": "false"}
        count = str(max(2000, (events - made) // 4))
        manage(generating, "generate_dossiers", "--count", count, "--seed", str(round_seed))
        ids = list(
            Dossier.objects.exclude(code=None)
            .exclude(pk__in=done)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            done.update(chunk)
            dossiers = (
                Dossier.objects.filter(pk__in=chunk)
                .select_related("procedure", "receiving_agency", "handling_agency")
                .prefetch_related(
                    "files__vault_document",
                    "supplement_requests",
                    "events__actor",
                    "events__agency",
                    "procedure__channels",
                )
                .order_by("pk")
            )
            rows = []
            for dossier in dossiers:
                for event in sorted(dossier.events.all(), key=lambda e: (e.at, e.pk)):
                    status = statuses.get(event.to_state)
                    if status is not None and made + len(rows) < events:
                        rows.append(
                            OutboxEvent(
                                dossier=dossier,
                                event=event,
                                national_status=status,
                                payload=event_payload(dossier, event, status),
                            )
                        )
            OutboxEvent.objects.bulk_create(rows)
            made += len(rows)
            if made >= events:
                break
        log(f"  outbox: {made} rows")
    return made


def counts() -> dict:
    from django.db.models import Count

    from dossiers.models import OutboxEvent

    return dict(OutboxEvent.objects.values_list("state").annotate(n=Count("pk")))


def verify(standin) -> dict:
    """The portal's rows against what the stand-in applied."""
    from django.conf import settings

    from dossiers.models import OutboxEvent
    from dossiers.national.mapping import national_code

    keys = standin.keys()
    agency = settings.DVCQG_AGENCY_CODE
    problems: dict[str, int] = {"sent_not_applied_once": 0, "parked_applied": 0, "parked_without_reason": 0}
    by_dossier: dict[int, list[int]] = {}
    for pk, dossier_id, state, reason in OutboxEvent.objects.values_list(
        "pk", "dossier_id", "state", "last_error"
    ):
        key = f"{agency}-outbox-{pk}"
        applied = keys.get(key, {}).get("applied", 0)
        if state == OutboxEvent.State.SENT:
            problems["sent_not_applied_once"] += applied != 1
            by_dossier.setdefault(dossier_id, []).append(pk)
        elif state == OutboxEvent.State.PARKED:
            problems["parked_applied"] += applied != 0
            problems["parked_without_reason"] += not reason
    order_violations = 0
    codes = {}
    from dossiers.models import Dossier

    for dossier in Dossier.objects.filter(pk__in=list(by_dossier)).select_related("national_origin"):
        codes[dossier.pk] = national_code(dossier)
    for dossier_id, pks in by_dossier.items():
        history = standin.dossier(codes[dossier_id]).get("history", [])
        applied_pks = [int(item["key"].rsplit("-", 1)[1]) for item in history if item.get("key")]
        if applied_pks != sorted(applied_pks) or sorted(applied_pks) != sorted(pks):
            order_violations += 1
    deliveries = sum(v.get("deliveries", 0) for v in keys.values())
    applied = sum(v.get("applied", 0) for v in keys.values())
    return {
        **problems,
        "order_violations": order_violations,
        "dossiers_checked": len(by_dossier),
        "deliveries": deliveries,
        "applied": applied,
        "repeated_deliveries_ignored": deliveries - applied,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-minutes", type=float, default=40)
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    workdir = REPO / "var" / "bench" / "national"
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)

    from integrations.standin.testing import standin_start

    redis = RedisServer(workdir)
    redis.start()
    standin = standin_start(seed=args.seed)
    database_url = os.environ.get("BENCH_NATIONAL_DATABASE_URL", DEFAULT_DATABASE_URL)
    env = django_env(database_url, redis.url, "national")
    env.update(
        CELERY_TASK_ALWAYS_EAGER="false",
        DVCQG_BASE_URL=standin.dvcqg_url,
        DVCQG_USERNAME="cong-tinh",
        DVCQG_PASSWORD="mat-khau-bench",  # noqa: S106 (the stand-in's)
        DVCQG_AGENCY_CODE="000.00.00.H01",
        DVCQG_TIMEOUT=str(CLIENT_TIMEOUT),
        PORTAL_NATIONAL_BACKOFF_SECONDS="1",
        PORTAL_NATIONAL_BACKOFF_MAX_SECONDS="4",
        LOG_LEVEL="WARNING",
    )
    worker = Celery(env, "worker", RESULTS / "national-worker.log")
    report: dict = {"events": args.events, "kills": 0, "redis_restarts": 0}
    try:
        log("preparing the database (first run: a few minutes)")
        prepare_database(database_url, env)
        setup_django(env)
        from dossiers.tasks import national_outbox_drain

        started = time.monotonic()
        report["rows"] = outbox_fill(args.events, args.seed, env)
        report["fill_seconds"] = round(time.monotonic() - started, 1)
        ceiling = standin.measure_ceiling(calls=5000, concurrency=4)
        report["ceiling"] = ceiling
        log(f"stand-in ceiling: {ceiling}")
        standin.faults(**TEMPORARY, **PERMANENT, timeout_seconds=CLIENT_TIMEOUT + 0.5)

        worker.start()
        started = time.monotonic()
        next_kill = started + rng.uniform(2, 6)
        deadline = started + args.max_minutes * 60
        last_sent = 0.0
        while time.monotonic() < deadline:
            try:
                national_outbox_drain.delay()
                national_outbox_drain.delay()
            except Exception as error:  # the broker is down (the Redis restart): beat would miss these too
                log(f"  not sent to the broker: {type(error).__name__}")
            time.sleep(0.5)
            now = time.monotonic()
            if report["kills"] < args.kills and now >= next_kill:
                worker.kill()
                worker.start()
                report["kills"] += 1
                next_kill = now + rng.uniform(2, 6)
                if report["kills"] == args.kills // 2 and not report["redis_restarts"]:
                    log("  redis: stop, 3 s, start")
                    redis.stop()
                    time.sleep(3)
                    redis.start()
                    report["redis_restarts"] += 1
            state = counts()
            if now - last_sent > 10:
                log(f"  {state} kills={report['kills']}")
                last_sent = now
            if not state.get("pending") and report["kills"] >= args.kills:
                break
        report["drain_seconds"] = round(time.monotonic() - started, 1)
        report["counts"] = counts()
        sent = report["counts"].get("sent", 0)
        report["events_per_second"] = round(sent / report["drain_seconds"], 1)
        report["stand_in_stats"] = standin.stats()
        report["checks"] = verify(standin)
    finally:
        worker.stop()
        standin.stop()
        redis.stop()
    (RESULTS / "national_sync.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        json.dumps({k: v for k, v in report.items() if k != "stand_in_stats"}, indent=2, ensure_ascii=False)
    )
    checks = report["checks"]
    failed = (
        report["counts"].get("pending", 0)
        or checks["sent_not_applied_once"]
        or checks["parked_applied"]
        or checks["parked_without_reason"]
        or checks["order_violations"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
