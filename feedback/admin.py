"""What administrators see of feedback: the items (read only: every change goes through the staff pages and their
services) and the outbox towards the national portal, where a failed send shows its error."""

from django.contrib import admin

from feedback.models import Feedback, FeedbackOutbox
from portal.admin_access import ProvinceAdminOnly


class ReadOnly(ProvinceAdminOnly):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnly):
    list_display = ["code", "subject", "state", "agency", "received_at", "answer_due_at", "answered_at"]
    list_filter = ["state", "kind", "channel"]
    search_fields = ["code", "subject"]
    date_hierarchy = "received_at"
    exclude = ["sender_phone", "sender_email", "sender_address"]


@admin.register(FeedbackOutbox)
class FeedbackOutboxAdmin(ReadOnly):
    list_display = ["idempotency_key", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["idempotency_key"]
