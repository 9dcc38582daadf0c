"""The yearly tracking book's export (Mẫu 06)."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.forms.fields import AgencyChoiceField
from portal.agencies.models import Agency


class TrackingBookForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        error_messages={
            "required": _("Vui lòng chọn năm."),
            "invalid": _("Năm phải là số (ví dụ 2026)."),
            "min_value": _("Năm không hợp lệ."),
            "max_value": _("Năm chưa đến."),
        },
    )
    format = forms.ChoiceField(
        label=_("Định dạng"),
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF (A4)")],
        error_messages={
            "required": _("Vui lòng chọn định dạng."),
            "invalid_choice": _("Định dạng “%(value)s” không hỗ trợ."),
        },
    )
    agency = AgencyChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": _("Bạn không làm việc tại cơ quan này.")},
    )

    def __init__(self, *args, agencies, **kwargs):
        kwargs.setdefault("auto_id", "book-%s")
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(MaxValueValidator(this_year, message=_("Năm chưa đến.")))
        self.fields["year"].initial = this_year
        self.fields["year"].widget.attrs.update({"min": 2000, "max": this_year})
        self.fields["agency"].queryset = agencies
        self.agencies = list(agencies)

    def chosen_agency(self) -> Agency | None:
        return self.cleaned_data.get("agency") or (self.agencies[0] if self.agencies else None)
