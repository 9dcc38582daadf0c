"""Department admins edit the declaration forms of their procedures here: a change is saved as a new version (answers
already started keep theirs), checked against the definition schema first; each version has a preview page."""

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from eforms.models import FormDefinition
from eforms.schema import definition_errors
from eforms.services import definition_export, definition_import
from portal.catalog.permissions import can_manage_catalog, procedures_editable_by


class DefinitionForm(forms.ModelForm):
    definition_json = forms.CharField(
        label=_("Định nghĩa tờ khai (JSON)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 110})
    )

    class Meta:
        model = FormDefinition
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            self.fields["definition_json"].initial = json.dumps(
                definition_export(self.instance), ensure_ascii=False, indent=2
            )

    def clean_definition_json(self):
        try:
            data = json.loads(self.cleaned_data["definition_json"])
        except ValueError as error:
            raise forms.ValidationError(_("JSON không hợp lệ: %(e)s") % {"e": error}) from error
        if not isinstance(data, dict):
            raise forms.ValidationError(_("Định nghĩa tờ khai phải là một đối tượng JSON."))
        problems = definition_errors(data)
        if problems:
            raise forms.ValidationError(problems)
        if (
            self.user is not None
            and not procedures_editable_by(self.user).filter(code=data.get("code")).exists()
        ):
            raise forms.ValidationError(
                _("Bạn không quản lý thủ tục mã %(code)s.") % {"code": data.get("code")}
            )
        return data


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin):
    form = DefinitionForm
    list_display = ("title", "procedure_code", "version", "is_current", "created_at", "preview")
    list_filter = ("is_current",)
    search_fields = ("title", "procedure__code")

    @admin.display(description=_("mã thủ tục"))
    def procedure_code(self, obj):
        return obj.procedure.code

    @admin.display(description=_("xem trước"))
    def preview(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("eforms:preview", args=[obj.pk]), _("Xem trước"))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("procedure")
        return queryset.filter(procedure__in=procedures_editable_by(request.user))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, **inner)

        return WithUser

    def has_module_permission(self, request):
        return can_manage_catalog(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_catalog(request.user)

    def has_add_permission(self, request):
        return can_manage_catalog(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_catalog(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # dossiers keep the version they were filed with

    def save_model(self, request, obj, form, change):
        # The form checked the schema and the admin's right to the procedure; a change becomes a new version.
        definition, _new = definition_import(data=form.cleaned_data["definition_json"], user=request.user)
        obj.pk = definition.pk
        obj.__dict__.update({k: v for k, v in definition.__dict__.items() if not k.startswith("_")})

    def response_change(self, request, obj):
        return self.response_add(request, obj)
