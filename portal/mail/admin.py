from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from portal.mail.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What staff see of outgoing mail: whether it left, and why not. The content is not shown (it may hold a
    sign-in or password link)."""

    list_display = [
        "created_at",
        "subject",
        "recipient_list",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["state"]
    search_fields = ["subject"]
    fields = [
        "created_at",
        "subject",
        "recipient_list",
        "state",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("người nhận"))
    def recipient_list(self, mail: OutgoingMail) -> str:
        return ", ".join(mail.to + mail.cc + mail.bcc)

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Gửi lại các thư đã chọn"))
    def send_again(self, request, queryset):
        changed = (
            queryset.filter(state=OutgoingMail.State.FAILED)
            .exclude(body="")
            .update(state=OutgoingMail.State.QUEUED, attempts=0, next_attempt_at=None)
        )
        messages.success(request, _("Đã xếp %(n)d thư vào hàng chờ gửi lại.") % {"n": changed})
