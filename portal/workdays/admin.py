from django.contrib import admin

from portal.admin_access import ProvinceAdminOnly
from portal.workdays.models import CalendarException, Holiday


class CalendarAdmin(ProvinceAdminOnly):
    """Deadlines depend on these rows: only a province administrator (or a superuser) sees or changes them, and
    every change makes all processes reload the calendar (``signals.py``)."""

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(Holiday)
class HolidayAdmin(CalendarAdmin):
    list_display = ["date", "name", "source"]
    list_filter = ["source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["source"]

    def save_model(self, request, obj, form, change):
        # Edited by a person, the row is theirs: seeding will not overwrite it. To cancel a seeded holiday, add a
        # "làm bù" exception on its date (a deleted seeded holiday comes back at the next seeding).
        obj.source = Holiday.Source.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(CalendarException)
class CalendarExceptionAdmin(CalendarAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    search_fields = ["note"]
    date_hierarchy = "date"
