"""Dossier codes (Circular 01/2018 art. 19): ``<receiving unit identifier>-YYMMDD-XXXX``.

The sequence is per receiving unit and per day, without gaps or duplicates under concurrent submissions: the day's
counter row is created if missing (a conflict-ignoring insert) and then locked for the rest of the transaction, so
a second submission to the same unit waits until the first commits or rolls back (rolling back releases the number
with it, so no gap remains).
"""

from datetime import date

from django.db import transaction

from dossiers.models import DailyCounter
from portal.agencies.models import Agency


def dossier_code_format(agency_code: str, day: date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def dossier_code_issue(*, agency: Agency, day: date) -> str:
    """The next code of ``agency`` for ``day``. Must run inside the transaction that stores the dossier."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_code_issue must run inside the transaction that saves the dossier")
    DailyCounter.objects.bulk_create([DailyCounter(agency=agency, day=day)], ignore_conflicts=True)
    counter = DailyCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return dossier_code_format(agency.code, day, counter.last)
