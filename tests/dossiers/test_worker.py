"""A real Celery worker process renders a dossier's receipt (Mẫu 01) taken from Redis, against PostgreSQL.

The worker is another process, so it only sees committed rows: the dossier is created and removed on a
connection of its own (a thread), outside the test's transaction, the way production commits before queueing.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from dossiers.models import Dossier, DossierFile
from portal.celery import app as celery_app

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the worker test needs PostgreSQL and Redis (CI sets DATABASE_URL and REDIS_URL)",
    ),
]
ROOT = Path(__file__).resolve().parents[2]


def _on_own_connection(work):
    box = {}

    def run():
        try:
            box["value"] = work()
        except Exception as exc:  # handed back to the test
            box["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _committed_dossier() -> int:
    from django.db import transaction
    from django.utils import timezone

    from dossiers.codes import dossier_code_issue
    from portal.agencies.models import Agency
    from portal.catalog.models import Procedure

    with transaction.atomic():
        agency = Agency.objects.get(code="000.00.01.H01")
        now = timezone.now()
        dossier = Dossier.objects.create(
            procedure=Procedure.objects.filter(is_province_level=True).first(),
            receiving_agency=agency,
            applicant_name="Người thử nghiệm",
            applicant_phone="0900000000",
            state=Dossier.State.RECEIVED,
            code=dossier_code_issue(agency=agency, day=now.date().replace(year=2002)),
            submitted_at=now,
            received_at=now,
            due_at=now + timezone.timedelta(days=5),
        )
    return dossier.pk


def test_a_worker_process_renders_the_receipt_from_the_queue():
    dossier_id = _on_own_connection(_committed_dossier)
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": _database_url(),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    eager = celery_app.conf.task_always_eager
    try:
        celery_app.conf.task_always_eager = False
        from dossiers.tasks import form_render

        form_render.delay(dossier_id, "01")
        stored = _wait_for(lambda: _on_own_connection(lambda: _form_names(dossier_id)), timeout=60)
        assert stored == ["01"]
    finally:
        celery_app.conf.task_always_eager = eager
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode(errors="replace")
        _on_own_connection(lambda: _remove(dossier_id))
    assert "Traceback" not in output, output


def _form_names(dossier_id: int) -> list[str]:
    return list(
        DossierFile.objects.filter(dossier_id=dossier_id, kind=DossierFile.Kind.FORM).values_list(
            "form_code", flat=True
        )
    )


def _remove(dossier_id: int) -> None:
    from dossiers.models import DailyCounter

    for stored in DossierFile.objects.filter(dossier_id=dossier_id):
        stored.file.delete(save=False)
    Dossier.objects.filter(pk=dossier_id).delete()
    DailyCounter.objects.filter(agency__code="000.00.01.H01", day__year=2002).delete()


def _wait_for(probe, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.5)
    return probe()


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
