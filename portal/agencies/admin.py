from django.contrib import admin

from portal.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "needs_verification", "is_active"]
    list_filter = ["kind", "needs_verification", "is_active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "parent"]
