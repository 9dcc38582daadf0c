"""Forms of the citizen's pages: they check what a person typed and hand clean values to ``filing``/``services``.

Files are not Django form fields here: the filing page has one multiple-file input per required document, read
with ``request.FILES.getlist`` and checked by content in ``dossiers/uploads.py``.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from portal.agencies.models import Agency

PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")
ID_NUMBER = re.compile(
    r"^[0-9][0-9-]{8,13}$"
)  # 9/12-digit identity numbers, 10/13-digit tax codes (with dash)


class StartForm(forms.Form):
    """Which agency a new online dossier goes to, among those that receive the procedure."""

    co_quan = forms.ModelChoiceField(
        label=_("Nơi nộp hồ sơ"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        empty_label=None,
        error_messages={"invalid_choice": _("Cơ quan đã chọn không tiếp nhận thủ tục này.")},
    )

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["co_quan"]
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        communes = [a for a in agencies if a.kind == Agency.Kind.COMMUNE]
        others = [a for a in agencies if a.kind != Agency.Kind.COMMUNE]
        groups = []
        if others:
            groups.append((_("Cơ quan cấp tỉnh"), [(a.code, a.name) for a in others]))
        if communes:
            communes.sort(key=lambda a: a.name)
            groups.append((_("UBND xã, phường, đặc khu"), [(a.code, a.name) for a in communes]))
        field.choices = groups if len(groups) > 1 else (groups[0][1] if groups else [])


class DraftDetailsForm(forms.Form):
    """The applicant's details and how the result is returned; the documents are read beside it."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    applicant_kind = forms.TypedChoiceField(
        label=_("Chủ hồ sơ là"), choices=Dossier.ApplicantKind.choices, coerce=int
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số trên căn cước, hoặc mã số thuế của tổ chức."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=Dossier.Delivery.choices, widget=forms.RadioSelect
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=300, required=False
    )

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())

    def clean_applicant_phone(self) -> str:
        phone = self.cleaned_data["applicant_phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Số điện thoại chỉ gồm chữ số (8 đến 20 ký tự)."))
        return phone

    def clean_applicant_id_number(self) -> str:
        number = self.cleaned_data["applicant_id_number"].strip()
        if number and not ID_NUMBER.match(number):
            raise forms.ValidationError(_("Số định danh hoặc mã số thuế chỉ gồm chữ số (9 đến 14 ký tự)."))
        return number

    def details(self) -> dict:
        """The cleaned values, named as ``filing.dossier_details_update`` takes them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


class VersionForm(forms.Form):
    """The version the person saw: a second click on the same button is told the action is already done."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Vui lòng nêu lý do rút hồ sơ.")},
    )


class VaultDocumentForm(forms.Form):
    doc_type = forms.CharField(
        label=_("Loại giấy tờ"),
        max_length=300,
        help_text=_("Ví dụ: Căn cước, Giấy khai sinh, Giấy chứng nhận đăng ký kết hôn."),
    )
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    issuer = forms.CharField(label=_("Cơ quan cấp"), max_length=200, required=False)
    issued_on = forms.DateField(
        label=_("Ngày cấp"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    valid_until = forms.DateField(
        label=_("Có giá trị đến"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    file = forms.FileField(
        label=_("Tệp (PDF, JPG, PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={
            "required": _("Vui lòng chọn tệp giấy tờ."),
            "empty": _("Tệp đã chọn rỗng (0 byte)."),
        },
    )
