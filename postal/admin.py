from django.contrib import admin

from postal.models import Shipment


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "dossier", "kind", "status", "fee", "checked_at"]
    list_filter = ["status", "kind"]
    search_fields = ["tracking_number", "dossier__code"]
    raw_id_fields = ["dossier", "created_by"]
