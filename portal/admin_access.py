from django.contrib import admin


class ProvinceAdminOnly(admin.ModelAdmin):
    """Province-wide reference data: only a province administrator (or a superuser) sees or changes it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_province_admin

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)
