from django.contrib import admin

from portal.admin_access import ProvinceAdminOnly
from portal.catalog.models import ApplicantType, Channel, Field, LegalDocument, Procedure, RequiredDocument
from portal.catalog.permissions import can_manage_catalog, procedures_editable_by


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0
    fields = [
        "position",
        "kind",
        "duration",
        "duration_unit",
        "fee_free",
        "fee_amount",
        "fee_text",
        "description",
    ]


class DocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ["position", "case", "name", "templates", "originals", "copies"]


class LegalDocumentInline(admin.TabularInline):
    model = LegalDocument
    extra = 0
    fields = ["position", "number", "title"]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "online_level", "online_scope", "is_active", "updated_at"]
    list_filter = [
        "is_province_level",
        "is_commune_level",
        "online_level",
        "online_scope",
        "is_active",
        "field",
    ]
    search_fields = ["code", "name"]
    list_select_related = ["field"]
    readonly_fields = [
        "code",
        "content_hash",
        "parse_problems",
        "created_at",
        "updated_at",
        "is_national_synced",
    ]
    filter_horizontal = ["applicant_types"]
    inlines = [ChannelInline, DocumentInline, LegalDocumentInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "kind", "decision_number", "is_active"]}),
        (
            "Cấp và dịch vụ trực tuyến",
            {
                "fields": [
                    "is_ministry_level",
                    "is_province_level",
                    "is_commune_level",
                    "online_level",
                    "online_scope",
                    "applicant_types",
                ]
            },
        ),
        (
            "Nội dung",
            {
                "fields": [
                    "steps",
                    "conditions",
                    "results",
                    "where_to_file",
                    "competent_authority",
                    "implementing_agency_raw",
                    "coordinating_agency",
                    "delegated_agency",
                    "related_procedures",
                ]
            },
        ),
        (
            "Văn bản gốc từ Cổng DVC quốc gia",
            {
                "classes": ["collapse"],
                "fields": [
                    "is_national_synced",
                    "source_url",
                    "source_ministry",
                    "levels_raw",
                    "applicants_raw",
                    "steps_raw",
                    "channels_raw",
                    "documents_raw",
                    "legal_basis_raw",
                    "result_raw",
                    "parse_problems",
                    "content_hash",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    ]

    def get_queryset(self, request):
        return procedures_editable_by(request.user).select_related("field")

    def has_module_permission(self, request):
        return can_manage_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_province_admin

    def has_delete_permission(self, request, obj=None):
        # Dossiers refer to procedures: retire one with "đang áp dụng" instead of deleting it.
        return False

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return can_manage_catalog(request.user)
        return procedures_editable_by(request.user).filter(pk=obj.pk).exists()


class CatalogTermAdmin(ProvinceAdminOnly):
    """Fields and applicant types: a province administrator's (every save bumps the catalogue, ``signals.py``)."""


@admin.register(Field)
class FieldAdmin(CatalogTermAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ApplicantType)
class ApplicantTypeAdmin(CatalogTermAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
