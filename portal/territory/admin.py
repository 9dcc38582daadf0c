from django.contrib import admin

from portal.territory.models import AdministrativeUnit


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "full_name", "kind", "parent"]
    list_filter = ["kind", "unit_type"]
    search_fields = ["code", "name", "full_name", "name_en"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
