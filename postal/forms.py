from django import forms
from django.utils.translation import gettext_lazy as _


class CollectionForm(forms.Form):
    """Where the postman fetches the paper dossier (the applicant's address, unless they give another)."""

    dia_chi = forms.CharField(
        label=_("Địa chỉ bưu điện đến lấy hồ sơ giấy"),
        max_length=300,
        help_text=_("Số nhà, đường, xã/phường; bưu điện gọi số điện thoại trong hồ sơ trước khi đến."),
        error_messages={"required": _("Vui lòng nhập địa chỉ để bưu điện đến lấy hồ sơ giấy.")},
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
