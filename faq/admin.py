from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from faq import services
from faq.importer import faq_export_csv
from faq.models import FaqEntry, PendingQuestion
from faq.permissions import can_manage_faq, entries_editable_by, pending_visible_to
from portal.agencies.models import Agency


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "agency", "field", "state", "updated_at"]
    list_filter = ["state", "agency__kind", "field"]
    search_fields = ["question", "answer", "external_id"]
    list_select_related = ["agency", "field"]
    autocomplete_fields = ["procedures"]
    readonly_fields = ["external_id", "created_at", "updated_at"]
    fields = [
        "question",
        "answer",
        "agency",
        "field",
        "procedures",
        "state",
        "external_id",
        "created_at",
        "updated_at",
    ]
    actions = ["export_csv", "publish", "send_to_review"]

    def get_queryset(self, request):
        return entries_editable_by(request.user).select_related("agency", "field")

    def has_module_permission(self, request):
        return can_manage_faq(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_add_permission(self, request):
        return can_manage_faq(request.user)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return can_manage_faq(request.user)
        return entries_editable_by(request.user).filter(pk=obj.pk).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_province_admin:
            # A department admin writes for their own agencies only, never for the whole province.
            kwargs["queryset"] = Agency.objects.filter(pk__in=request.user.agency_ids())
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Xuất CSV các câu hỏi đã chọn"))
    def export_csv(self, request, queryset):
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in faq_export_csv(queryset)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="hoi-dap.csv"'
        return response

    @admin.action(description=_("Đăng các câu hỏi đã chọn"))
    def publish(self, request, queryset):
        count = services.entries_set_state(entries=queryset, state=FaqEntry.State.PUBLISHED)
        self.message_user(request, _("Đã đăng %(n)d câu hỏi.") % {"n": count}, messages.SUCCESS)

    @admin.action(description=_("Chuyển các câu hỏi đã chọn sang chờ duyệt"))
    def send_to_review(self, request, queryset):
        count = services.entries_set_state(entries=queryset, state=FaqEntry.State.REVIEW)
        self.message_user(
            request, _("Đã chuyển %(n)d câu hỏi sang chờ duyệt.") % {"n": count}, messages.SUCCESS
        )


@admin.register(PendingQuestion)
class PendingQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "reason", "times_asked", "status", "updated_at"]
    list_filter = ["status", "reason"]
    search_fields = ["text"]
    readonly_fields = ["text", "reason", "times_asked", "shown_entry", "entry", "created_at", "updated_at"]
    fields = readonly_fields[:4] + ["status"] + readonly_fields[4:]
    actions = ["make_entries", "dismiss"]

    def get_queryset(self, request):
        return pending_visible_to(request.user)

    def has_module_permission(self, request):
        return can_manage_faq(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_faq(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_faq(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Tạo câu hỏi thường gặp (nháp) từ câu đã chọn"))
    def make_entries(self, request, queryset):
        entries = [
            services.pending_to_entry(pending=p, user=request.user) for p in queryset.filter(status="open")
        ]
        if len(entries) == 1:
            return redirect("admin:faq_faqentry_change", entries[0].pk)
        self.message_user(
            request,
            _("Đã tạo %(n)d câu hỏi nháp; viết câu trả lời rồi đăng.") % {"n": len(entries)},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Bỏ qua các câu đã chọn"))
    def dismiss(self, request, queryset):
        queryset.filter(status=PendingQuestion.Status.OPEN).update(status=PendingQuestion.Status.DISMISSED)
