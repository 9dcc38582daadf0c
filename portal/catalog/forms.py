from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency
from portal.catalog.models import Procedure

LEVEL_CHOICES = [("", _("Tất cả các cấp")), ("tinh", _("Cấp tỉnh")), ("xa", _("Cấp xã")), ("bo", _("Cấp bộ"))]
ONLINE_CHOICES = [
    ("", _("Tất cả")),
    ("toan-trinh", _("Trực tuyến toàn trình")),
    ("mot-phan", _("Trực tuyến một phần")),
    *[(str(value), label) for value, label in Procedure.OnlineLevel.choices],
]
# Whole questions are welcome (portal/catalog/questions.py reads them): up to 2,000 characters.
MAX_QUERY_LENGTH = 2000


class CatalogFilterForm(forms.Form):
    """The catalogue's query string: search words, filters and page. Every value is optional."""

    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": "Từ khóa tìm kiếm quá dài (tối đa %(limit_value)d ký tự)."},
    )
    field = forms.SlugField(label=_("Lĩnh vực"), required=False, max_length=200)
    level = forms.ChoiceField(label=_("Cấp thực hiện"), choices=LEVEL_CHOICES, required=False)
    agency = forms.CharField(label=_("Cơ quan thực hiện"), required=False, max_length=20)
    online = forms.ChoiceField(label=_("Dịch vụ công trực tuyến"), choices=ONLINE_CHOICES, required=False)
    applicant = forms.SlugField(label=_("Đối tượng thực hiện"), required=False, max_length=200)
    page = forms.CharField(required=False)

    def __init__(self, *args, field_choices=(), agency_choices=(), applicant_choices=(), **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(*args, **kwargs)
        self.field_choices = field_choices
        self.agency_choices = agency_choices
        self.applicant_choices = applicant_choices
        for name in self.fields:
            self.fields[name].error_messages.setdefault("invalid_choice", "Giá trị lọc không hợp lệ.")
            self.fields[name].error_messages["invalid"] = "Giá trị lọc không hợp lệ."
            self.fields[name].error_messages["null_characters_not_allowed"] = (
                "Không được chứa ký tự rỗng (NUL)."
            )

    @property
    def agency_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The agency options under their kind (``agency_choices`` are in kind order, then by name)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, name, kind in self.agency_choices:
            groups.setdefault(kind, []).append((code, name))
        labels = dict(Agency.Kind.choices)
        return [(labels.get(kind, kind), agencies) for kind, agencies in groups.items()]

    def clean_page(self) -> int:
        """Any page value is accepted: unreadable or out-of-range numbers are clamped later to a real page."""
        raw = (self.cleaned_data.get("page") or "1")[:12]
        try:
            return max(1, min(int(raw), 1_000_000))
        except ValueError:
            return 1
