from django.contrib import admin

from postal.models import Collection, Shipment


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ["tracking_number", "dossier", "kind", "status", "fee", "checked_at"]
    list_filter = ["status", "kind"]
    search_fields = ["tracking_number", "dossier__code"]
    raw_id_fields = ["dossier", "created_by"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["dossier", "state", "fee_quoted", "attempts", "last_error", "next_attempt_at", "shipment"]
    list_filter = ["state", "last_error"]
    search_fields = ["dossier__code", "shipment__tracking_number"]
    raw_id_fields = ["dossier", "shipment"]
    readonly_fields = ["chosen_at", "filed_at", "attempts", "last_error", "error_field", "error_detail"]
