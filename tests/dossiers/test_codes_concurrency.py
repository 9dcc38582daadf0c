"""Dossier codes stay unique and gap-free when many submissions reach one unit at the same moment (PostgreSQL)."""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from dossiers.codes import dossier_code_issue
from dossiers.models import DailyCounter, Dossier
from portal.agencies.models import Agency

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locking under concurrency needs PostgreSQL"
    ),
]
DAY = date(
    2001, 1, 1
)  # a day no other test issues codes for; the rows these threads commit are removed after


class RolledBack(Exception):
    pass


def _issue_in_own_transaction(
    agency: Agency, results: list, errors: list, barrier: threading.Barrier, roll_back: bool
):
    try:
        barrier.wait(timeout=30)
        try:
            with transaction.atomic():
                code = dossier_code_issue(agency=agency, day=DAY)
                if roll_back:
                    raise RolledBack
            results.append(code)
        except RolledBack:
            pass
    except Exception as exc:  # reported by the test, not swallowed
        errors.append(exc)
    finally:
        connections.close_all()


def test_forty_simultaneous_submissions_get_forty_consecutive_codes():
    agency = Agency.objects.get(code="000.00.01.H01")
    results, errors = [], []
    workers = 40
    barrier = threading.Barrier(workers)
    # Every fifth submission fails after taking a number; its number must go back, leaving no gap.
    threads = [
        threading.Thread(
            target=_issue_in_own_transaction, args=(agency, results, errors, barrier, i % 5 == 4)
        )
        for i in range(workers)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors, errors
        sequences = sorted(int(code.rsplit("-", 1)[1]) for code in results)
        assert len(results) == len(set(results)) == 32
        assert sequences == list(range(1, 33))
        assert all(code.startswith("000.00.01.H01-010101-") for code in results)
    finally:
        _cleanup(agency)


def _cleanup(agency: Agency) -> None:
    # The threads committed on their own connections; remove their row from outside the test's transaction.
    def remove():
        DailyCounter.objects.filter(agency=agency, day=DAY).delete()
        connections.close_all()

    thread = threading.Thread(target=remove)
    thread.start()
    thread.join(timeout=30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)")
@pytest.mark.django_db(transaction=True)
def test_acting_on_a_dossier_leaves_its_procedure_and_applicant_free_to_others():
    """A step locks the dossier only: were it to lock the procedure (a join in the locking query) or hold the applicant
    against key-share locks, a citizen starting a draft of that procedure while an officer receives their dossier
    would deadlock at commit (found by bench/faults.py)."""
    from django.db import transaction

    from dossiers.services import dossier_lock
    from portal.accounts.models import User
    from portal.catalog.models import Procedure

    agency = Agency.objects.get(code="000.00.01.H01")
    procedure = Procedure.objects.get(code="1.001193")
    user = User.objects.create_user("khoa-hang")
    dossier = Dossier.objects.create(
        procedure=procedure, receiving_agency=agency, applicant=user, applicant_name="x"
    )
    locked, release = threading.Event(), threading.Event()

    def officer():
        try:
            with transaction.atomic():
                dossier_lock(dossier)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=officer)
    thread.start()
    try:
        assert locked.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            # What a foreign key check does at another transaction's commit: it must not wait.
            cursor.execute(
                "SELECT 1 FROM catalog_procedure WHERE id = %s FOR KEY SHARE NOWAIT", [procedure.pk]
            )
            cursor.execute("SELECT 1 FROM accounts_user WHERE id = %s FOR KEY SHARE NOWAIT", [user.pk])
            cursor.execute("SELECT 1 FROM dossiers_dossier WHERE id = %s FOR KEY SHARE NOWAIT", [dossier.pk])
    finally:
        release.set()
        thread.join(10)
        Dossier.objects.filter(pk=dossier.pk).delete()
        user.delete()
