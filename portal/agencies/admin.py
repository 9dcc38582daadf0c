from django.contrib import admin

from portal.agencies.models import Agency
from portal.catalog.search_index import catalog_version_bump


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "needs_verification", "is_active"]
    list_filter = ["kind", "needs_verification", "is_active"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "parent"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        catalog_version_bump()  # agency names appear on cached catalogue pages
