from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.accounts import services
from portal.accounts.models import AccountDeletionRequest, AgencyMembership, ExternalIdentity, User
from portal.admin_access import ProvinceAdminOnly


class MembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    raw_id_fields = ["agency"]


class ExternalIdentityInline(admin.TabularInline):
    """Identities from the national portal's single sign-on: made by signing in or linking, never typed in."""

    model = ExternalIdentity
    extra = 0
    can_delete = True  # unlinking is a support task
    fields = ["issuer", "subject", "tech_id", "is_organisation", "created_at", "last_login_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Vai trò", {"fields": ["role", "full_name", "phone", "job_title"]}),
        ("Định danh", {"fields": ["personal_id", "birth_date"]}),
    ]
    inlines = [MembershipInline, ExternalIdentityInline]

    def has_module_permission(self, request):
        # Staff management in each admin's own scope comes with the accounts issue; until then only superusers.
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AccountDeletionRequest)
class AccountDeletionRequestAdmin(ProvinceAdminOnly):
    """Requests to delete an account, for the province admin. Handling one means anonymising the account by hand
    (dossiers stay: records retention), then marking the request done here; or refusing it."""

    list_display = ["user", "requested_at", "state", "handled_by", "handled_at"]
    list_filter = ["state"]
    search_fields = ["user__username", "user__full_name", "user__email"]
    fields = ["user", "requested_at", "reason", "state", "handled_by", "handled_at"]
    readonly_fields = fields
    ordering = ["state", "-requested_at"]
    actions = ["mark_done", "mark_refused"]

    def has_add_permission(self, request):
        return False  # made by the person themselves, from their profile

    def has_change_permission(self, request, obj=None):
        return False  # read-only; the actions below record the outcome

    def has_delete_permission(self, request, obj=None):
        return False

    def _handle(self, request, queryset, state: str) -> None:
        handled = sum(
            services.account_deletion_request_handle(deletion_request=item, admin=request.user, state=state)
            for item in queryset
        )
        self.message_user(request, f"Đã cập nhật {handled} yêu cầu.")

    @admin.action(description="Đánh dấu đã xử lý (tài khoản đã được ẩn danh)")
    def mark_done(self, request, queryset):
        self._handle(request, queryset, AccountDeletionRequest.State.DONE)

    @admin.action(description="Từ chối yêu cầu")
    def mark_refused(self, request, queryset):
        self._handle(request, queryset, AccountDeletionRequest.State.REFUSED)
