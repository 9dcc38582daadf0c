"""The public tracking form (tra cứu hồ sơ): a dossier code and a second factor only the applicant knows."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TrackingForm(forms.Form):
    """The dossier code and a second factor only the applicant knows, so a code alone reveals nothing."""

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.01.H01-250714-0007."),
        error_messages={
            "required": _("Nhập mã hồ sơ in trên giấy tiếp nhận."),
            "max_length": _("Mã hồ sơ dài tối đa %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    xac_thuc = forms.RegexField(
        label=_("4 số cuối số điện thoại hoặc số định danh của người nộp"),
        regex=r"^\d{4}$",
        error_messages={
            "required": _("Nhập 4 chữ số cuối của số điện thoại hoặc số định danh của người nộp."),
            "invalid": _("Nhập đúng 4 chữ số."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "pattern": "[0-9]{4}"}
        ),
    )

    def clean_ma(self) -> str:
        return "".join(self.cleaned_data["ma"].split()).upper()
