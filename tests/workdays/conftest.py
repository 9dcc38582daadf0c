import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.workdays.calendar import calendar_forget


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    """Every test starts from the real Vietnamese holidays of 2025–2027 and a process that has read nothing yet;
    afterwards the rolled-back tables must not live on in this process's copy."""
    calendar_forget()
    call_command("seed_holidays", from_year=2025, to_year=2027, stdout=io.StringIO())
    yield
    calendar_forget()


def at(text: str) -> datetime:
    """A local time in the province: at("2026-03-09 09:00")."""
    return timezone.make_aware(datetime.fromisoformat(text))
