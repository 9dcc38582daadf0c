from django.contrib import admin

from payments.models import Payment, PaymentDiscrepancy, PaymentNotice, RefusedPaymentRequest


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order_id", "dossier", "amount", "state", "paid_at", "receipt_number"]
    list_filter = ["state"]
    search_fields = ["order_id", "transaction_id", "dossier__code"]
    raw_id_fields = ["dossier", "payer"]
    readonly_fields = [f.name for f in Payment._meta.fields]


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):
    list_display = ["received_at", "order_id", "outcome", "reason", "remote_addr"]
    list_filter = ["outcome", "reason"]
    search_fields = ["order_id"]
    readonly_fields = [f.name for f in PaymentNotice._meta.fields]


@admin.register(PaymentDiscrepancy)
class PaymentDiscrepancyAdmin(admin.ModelAdmin):
    list_display = ["day", "order_id", "kind", "portal_amount", "platform_amount", "resolved_at"]
    list_filter = ["kind", "resolved_at"]
    search_fields = ["order_id"]


@admin.register(RefusedPaymentRequest)
class RefusedPaymentRequestAdmin(admin.ModelAdmin):
    list_display = ["at", "reason", "dossier_code", "dossier_pk", "order_id", "user", "remote_addr"]
    list_filter = ["reason"]
    search_fields = ["dossier_code", "order_id"]
    readonly_fields = [f.name for f in RefusedPaymentRequest._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
