from django.contrib import admin

from portal.admin_access import ProvinceAdminOnly
from portal.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ProvinceAdminOnly):
    """The security log, read-only: nobody adds, edits or deletes an event, not even a superuser."""

    list_display = ["time", "event", "user", "actor", "username", "ip", "request_id"]
    list_filter = ["event"]
    search_fields = ["user__username", "actor__username", "username", "ip", "request_id"]
    date_hierarchy = "time"
    list_select_related = ["user", "actor"]
    show_full_result_count = False  # no COUNT(*) over a large table on every page
    fields = ["time", "event", "user", "actor", "username", "ip", "request_id", "details"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
