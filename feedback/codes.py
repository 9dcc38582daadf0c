"""Feedback codes, shaped like dossier codes (Circular 01/2018 art. 19) with a prefix that tells them apart:
``PA-<receiving unit identifier>-YYMMDD-NNNN``, e.g. ``PA-000.00.02.H01-261207-0003``. The sequence is per unit and
per day, without gaps or duplicates under concurrency (the day's counter row is locked in the storing transaction,
as for dossiers)."""

from datetime import date

from django.db import transaction

from feedback.models import FeedbackDailyCounter
from portal.agencies.models import Agency

PREFIX = "PA"


def feedback_code_format(agency_code: str, day: date, sequence: int) -> str:
    return f"{PREFIX}-{agency_code}-{day:%y%m%d}-{sequence:04d}"


def feedback_code_issue(*, agency: Agency, day: date) -> str:
    """The next code of ``agency`` for ``day``. Must run inside the transaction that stores the item."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("feedback_code_issue must run inside the transaction that saves the feedback")
    FeedbackDailyCounter.objects.bulk_create(
        [FeedbackDailyCounter(agency=agency, day=day)], ignore_conflicts=True
    )
    counter = FeedbackDailyCounter.objects.select_for_update().get(agency=agency, day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return feedback_code_format(agency.code, day, counter.last)
