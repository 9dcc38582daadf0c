from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from portal.accounts.models import AgencyMembership, User


class MembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    raw_id_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Vai trò", {"fields": ["role", "full_name", "phone", "job_title"]}),
    ]
    inlines = [MembershipInline]

    def has_module_permission(self, request):
        # Staff management in each admin's own scope comes with the accounts issue; until then only superusers.
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
