"""A province admin records which procedures' dossiers are synchronised with the national portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.catalog.models import Procedure


class ProcedureSyncForm(forms.Form):
    procedure = forms.CharField(
        label=_("Mã thủ tục"),
        max_length=40,
        error_messages={"required": _("Vui lòng nhập mã thủ tục.")},
    )
    synced = forms.TypedChoiceField(
        label=_("Đồng bộ hồ sơ với Cổng DVCQG"),
        choices=[("1", _("Có, từ ngày dưới đây")), ("0", _("Không (bỏ đồng bộ)"))],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn có hoặc không.")},
    )
    since = forms.DateField(
        label=_("Đồng bộ từ ngày"),
        required=False,
        help_text=_("Ngày/tháng/năm, ví dụ 01/07/2026; để trống là hôm nay."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": _("Ngày phải theo dạng ngày/tháng/năm, ví dụ 01/07/2026.")},
    )

    def clean_procedure(self) -> Procedure:
        code = self.cleaned_data["procedure"].strip()
        procedure = Procedure.objects.filter(code__iexact=code, is_active=True).first()
        if procedure is None:
            raise forms.ValidationError(
                _("Không có thủ tục mã “%(code)s” trong danh mục."), params={"code": code}
            )
        if procedure.online_scope == Procedure.OnlineScope.NONE:
            raise forms.ValidationError(_("Thủ tục này không cung cấp dịch vụ công trực tuyến."))
        return procedure
