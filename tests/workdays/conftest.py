import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone


@pytest.fixture(autouse=True)
def seeded_calendar(db):
    """Every test starts from the real Vietnamese holidays of 2025–2027. The process's copy of an earlier test's
    calendar is not used: every test's cache starts empty, so the "workdays" version is a new one (tests/conftest.py)."""
    call_command("seed_holidays", from_year=2025, to_year=2027, stdout=io.StringIO())


def at(text: str) -> datetime:
    """A local time in the province: at("2026-03-09 09:00")."""
    return timezone.make_aware(datetime.fromisoformat(text))
