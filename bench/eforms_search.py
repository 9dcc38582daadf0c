"""The officers' queue search by declaration answers, with many dossiers that have answers, in one command:

    .venv/bin/python bench/eforms_search.py [--count 200000] [--rounds 15]

1. Prepares the database ``portal_bench_eforms`` (or ``BENCH_EFORMS_DATABASE_URL``; by default on the server and
   user of ``DATABASE_URL``) with the helpers of ``bench/run.py``: created, migrated, units, agencies and the real
   catalogue loaded. Unless ``--count`` dossiers are there, generates them (``loadtest``: two years of history over
   the province's agencies), and gives ``--with-answers`` of them (default all) a birth-registration declaration with
   random answers (a child's and
   a mother's name, the mother's personal id, an address in a commune of the tree), its ``search_text`` written by
   the app's own ``eforms.search.answers_search_text``; the busiest handling agency gets 20,000 of its dossiers with
   a declaration in its "Đang giải quyết" queue. Then ``VACUUM ANALYZE``.
2. In process, as a handling officer of the agency with the longest "Đang giải quyết" queue: the first page of that
   queue (``dossiers.selectors.queue_page``: count and rows) without a search, then searching a child's name (with
   and without accents), a mother's personal id, part of one, a street, and a name nobody has; median and worst of
   ``--rounds`` runs each, with the number found. The same searches again with the trigram index dropped (it is
   created again afterwards), and the plan of one search.

Prints a table and writes ``bench/results/eforms-search-latest.json``. Talks to the local PostgreSQL only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import run as common  # noqa: E402

RESULT_FILE = common.RESULTS / "eforms-search-latest.json"
INDEX = "eforms_answerset_search_trgm"
QUEUE_SIZE = 20_000
LIVE = ("processing", "consulting", "financial")
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Quốc", "Thanh", "Gia", "Hữu", "Kim", "Bảo"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Hà",
    "Hải",
    "Khang",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Vy",
]
STREETS = ["Nguyễn Trung Trực", "Lạc Hồng", "Trần Phú", "Mạc Cửu", "Ngô Quyền", "Hùng Vương", "Tôn Đức Thắng"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _answers(rng: random.Random, communes: list[str]) -> dict:
    born = f"{rng.randint(1, 28):02d}"
    return {
        "nguoi_yeu_cau": {
            "nyc_ho_ten": _name(rng),
            "nyc_so_dinh_danh": f"0911{rng.randint(80, 99)}{rng.randint(0, 999999):06d}",
            "nyc_noi_cu_tru": {
                "unit": rng.choice(communes),
                "detail": f"Số {rng.randint(1, 400)} đường {rng.choice(STREETS)}",
            },
            "nyc_quan_he": "me",
        },
        "tre": {
            "tre_ho_ten": _name(rng),
            "tre_gioi_tinh": rng.choice(["nam", "nu"]),
            "tre_ngay_sinh": {"ngay": born, "thang": f"{rng.randint(1, 12):02d}", "nam": "2025"},
            "tre_dan_toc": "Kinh",
            "tre_quoc_tich": "Việt Nam",
            "tre_sinh_o": "trong_nuoc",
            "tre_noi_sinh_tinh": {"unit": rng.choice(communes), "detail": "Bệnh viện đa khoa"},
        },
        "cha_me": {"me_ho_ten": _name(rng), "me_nam_sinh": str(rng.randint(1980, 2004))},
        "cam_doan": {"cam_doan": True},
    }


def phase_prepare(count: int, with_answers: int) -> dict:
    from django.db import connection
    from django.db.models import Count

    from dossiers.models import Dossier
    from eforms.demo import shipped_definitions_load
    from eforms.models import AnswerSet, FormDefinition
    from eforms.search import answers_search_text
    from loadtest.generator import generate_dossiers
    from portal.territory.models import AdministrativeUnit

    have = Dossier.objects.count()
    if have < count:
        generate_dossiers(count=count - have, seed=have + 1)
    shipped_definitions_load()
    definition = FormDefinition.objects.get(procedure__code="1.001193", is_current=True)
    communes = list(AdministrativeUnit.objects.filter(kind="commune").values_list("code", flat=True))
    rng = random.Random(18)
    started, made = time.monotonic(), 0
    wanted = max(0, min(with_answers, count) - AnswerSet.objects.count())
    missing = Dossier.objects.filter(eform_answers__isnull=True).values_list("pk", flat=True)[:wanted]
    batch = []
    for dossier_id in missing.iterator(chunk_size=5000):
        answers = _answers(rng, communes)
        batch.append(
            AnswerSet(
                dossier_id=dossier_id,
                definition=definition,
                answers=answers,
                sections_done=list(answers),
                search_text=answers_search_text(definition.schema, answers),
            )
        )
        if len(batch) == 5000:
            AnswerSet.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    AnswerSet.objects.bulk_create(batch)
    made += len(batch)
    # The generated history is mostly finished: the busiest handling agency gets a live queue of QUEUE_SIZE
    # dossiers with declarations (a large ward's "Đang giải quyết" on a bad week), the rest stays as it was.
    busiest = (
        Dossier.objects.filter(eform_answers__isnull=False, handling_agency__isnull=False)
        .values("handling_agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    live = Dossier.objects.filter(handling_agency_id=busiest["handling_agency_id"], state__in=LIVE)
    if live.count() < QUEUE_SIZE:
        ids = (
            Dossier.objects.filter(
                handling_agency_id=busiest["handling_agency_id"], eform_answers__isnull=False
            )
            .exclude(state__in=LIVE)
            .values_list("pk", flat=True)[: QUEUE_SIZE - live.count()]
        )
        Dossier.objects.filter(pk__in=list(ids)).update(state="processing")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE eforms_answerset")
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    return {
        "dossiers": Dossier.objects.count(),
        "answer_sets": AnswerSet.objects.count(),
        "answer_sets_made_now": made,
        "seconds": round(time.monotonic() - started, 1),
    }


def _time(run, rounds: int) -> dict:
    times, found = [], 0
    for _ in range(rounds):
        started = time.perf_counter()
        found = run()
        times.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(times), 1), "max_ms": round(max(times), 1), "found": found}


def phase_measure(rounds: int) -> dict:
    from django.db import connection
    from django.db.models import Count

    from dossiers.models import Dossier
    from dossiers.selectors import QUEUES_BY_SLUG, Clock, QueueFilters, queue_dossiers, queue_page
    from eforms.models import AnswerSet
    from portal.accounts.models import User
    from portal.catalog.search.folding import normalize

    queue = QUEUES_BY_SLUG["dang-xu-ly"]
    busiest = (
        Dossier.objects.filter(state__in=queue.states)
        .values("handling_agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    officer, _created = User.objects.get_or_create(
        username="bench-eforms-officer", defaults={"role": User.Role.HANDLING_OFFICER}
    )
    officer.memberships.all().delete()
    officer.memberships.create(agency_id=busiest["handling_agency_id"])
    in_queue = AnswerSet.objects.filter(
        dossier__handling_agency_id=busiest["handling_agency_id"], dossier__state__in=queue.states
    ).select_related("dossier")
    sample = in_queue.order_by("dossier_id")[in_queue.count() // 2]
    child = sample.answers["tre"]["tre_ho_ten"]
    mother_id = sample.answers["nguoi_yeu_cau"]["nyc_so_dinh_danh"]
    street = sample.answers["nguoi_yeu_cau"]["nyc_noi_cu_tru"]["detail"]
    searches = {
        "no search": "",
        "child's name": child,
        "child's name, no accents": normalize(child),
        "mother's personal id": mother_id,
        "first 8 digits of an id": mother_id[:8],
        "a street": street,
        "a name nobody has": "Phạm Thị Không Có",
    }
    clock = Clock.at()

    def run_page(text: str):
        def run() -> int:
            page = queue_page(user=officer, queue=queue, filters=QueueFilters(text=text), clock=clock)
            return page.paginator.count

        return run

    result = {
        "queue": queue.slug,
        "queue_size": Dossier.objects.filter(
            handling_agency_id=busiest["handling_agency_id"], state__in=queue.states
        ).count(),
        "answer_sets": AnswerSet.objects.count(),
        "with_index": {label: _time(run_page(text), rounds) for label, text in searches.items()},
    }
    sql, params = queue_dossiers(
        user=officer, queue=queue, filters=QueueFilters(text=child), clock=clock
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)  # noqa: S608 (Django's own SQL)
        result["plan"] = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        try:
            result["without_index"] = {
                label: _time(run_page(text), max(3, rounds // 3)) for label, text in searches.items()
            }
        finally:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON eforms_answerset USING gin (search_text gin_trgm_ops)"
            )
    officer.delete()
    return result


def run_phase(name: str, args: list[str]) -> int:
    import django

    os.chdir(REPO)
    sys.path.insert(0, str(REPO))
    django.setup()
    values = [int(arg) for arg in args]
    result = phase_prepare(*values) if name == "prepare" else phase_measure(*values)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Queue search by declaration answers (bench/README.md).")
    parser.add_argument("--count", type=int, default=200_000, help="dossiers with a declaration (200,000)")
    parser.add_argument("--with-answers", type=int, help="how many of them have a declaration (all)")
    parser.add_argument("--rounds", type=int, default=15, help="runs of each search (15)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("phase_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        return run_phase(args.phase, args.phase_args)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
    url = os.environ.get("BENCH_EFORMS_DATABASE_URL") or common.with_database(base, "portal_bench_eforms")
    env = common.django_env(url, os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"), "bencheforms")
    common.log(f"database {common.database_name(url)}: create if missing, migrate, load data if missing")
    common.prepare_database(url, env)
    script = [common.PYTHON, str(Path(__file__).resolve()), "--phase"]

    def phase(name: str, *values: int) -> dict:
        out = common.run([*script, name, *map(str, values)], env, 3600, capture=True)
        return json.loads(out.strip().splitlines()[-1])

    common.log(f"{args.count:,} dossiers with a declaration: generating what is missing")
    prepared = phase("prepare", args.count, args.with_answers or args.count)
    common.log(f"  {prepared}")
    measured = phase("measure", args.rounds)
    print(
        f"\nqueue {measured['queue']}: {measured['queue_size']:,} dossiers; {measured['answer_sets']:,} answer sets"
    )
    print(f"{'search':<28}{'median ms':>10}{'max ms':>9}{'found':>7}{'no index ms':>13}")
    for label, row in measured["with_index"].items():
        without = measured["without_index"][label]["median_ms"]
        print(f"{label:<28}{row['median_ms']:>10}{row['max_ms']:>9}{row['found']:>7}{without:>13}")
    print("\nplan (child's name):\n  " + "\n  ".join(measured["plan"]))
    common.RESULTS.mkdir(exist_ok=True)
    RESULT_FILE.write_text(json.dumps({"prepared": prepared, **measured}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
