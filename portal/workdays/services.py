"""Writes to the working-day calendar. The questions deadlines ask of it live in ``portal.workdays.calendar``."""

from dataclasses import dataclass
from datetime import date

import holidays
from django.db import transaction

from portal import cache as versioned
from portal.workdays.models import CalendarException, Holiday


@dataclass
class SeedResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_admin: int = 0
    working_days_created: int = 0


@versioned.bumps_deferred()  # one bump for the whole seeding, not one per row
@transaction.atomic
def holidays_seed(*, first_year: int, last_year: int) -> SeedResult:
    """Bring the seeded holidays of these years in line with the ``holidays`` package's Vietnamese calendar (lunar
    Tết and Giỗ Tổ Hùng Vương, days off in lieu, announced swaps), and add the make-up working Saturdays of those
    swaps as exceptions. Rows an administrator entered are never changed, and an existing exception is never
    replaced, so running it again changes nothing."""
    if first_year > last_year:
        raise ValueError("first_year comes after last_year")
    years = range(first_year, last_year + 1)
    official = holidays.country_holidays("VN", years=years, language="vi")
    span = (date(first_year, 1, 1), date(last_year, 12, 31))
    existing = {row.date: row for row in Holiday.objects.filter(date__range=span)}
    result = SeedResult()
    for day, name in sorted(official.items()):
        name, row = name[:200], existing.pop(day, None)
        if row is None:
            Holiday.objects.create(date=day, name=name, source=Holiday.Source.SEEDED)
            result.created += 1
        elif row.source == Holiday.Source.ADMIN:
            result.kept_admin += 1
        elif row.name != name:
            row.name = name
            row.save(update_fields=["name"])
            result.updated += 1
        else:
            result.unchanged += 1
    # A seeded day the package no longer lists was an estimate it has since corrected.
    stale = [row.pk for row in existing.values() if row.source == Holiday.Source.SEEDED]
    result.removed = Holiday.objects.filter(pk__in=stale).delete()[0]
    taken = set(CalendarException.objects.filter(date__range=span).values_list("date", flat=True))
    for day in sorted(d for d in official.weekend_workdays if d.year in years and d not in taken):
        CalendarException.objects.create(
            date=day, kind=CalendarException.Kind.WORKING_DAY, note="Làm bù theo lịch nghỉ lễ chính thức"
        )
        result.working_days_created += 1
    return result
