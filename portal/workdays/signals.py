"""Deadlines computed in any process follow a change to the holidays or calendar exceptions at once: every write
bumps the ``"workdays"`` namespace (``calendar.py`` keeps the calendar under its version)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal import cache as versioned
from portal.workdays.calendar import NAMESPACE
from portal.workdays.models import CalendarException, Holiday


@receiver([post_save, post_delete], sender=Holiday, dispatch_uid="workdays_holiday_changed")
@receiver([post_save, post_delete], sender=CalendarException, dispatch_uid="workdays_exception_changed")
def calendar_changed(sender, **kwargs) -> None:
    versioned.bump(NAMESPACE)
