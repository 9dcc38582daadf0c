from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.accounts.models import AgencyMembership, ExternalIdentity, User


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
