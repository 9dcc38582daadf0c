"""A dossier brought to the counter or by post, registered from its paper form and scans."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.forms.fields import AgencyChoiceField
from dossiers.models import Dossier
from dossiers.selectors import procedures_receivable, receiving_agencies_of
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure

MAX_UPLOADS = 30


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_UPLOADS:
            raise forms.ValidationError(_("Tối đa %(n)d tệp mỗi lần.") % {"n": MAX_UPLOADS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class CounterRegistrationForm(forms.Form):
    """A dossier brought to the counter or by post, registered from its paper form and scans."""

    receiving_agency = AgencyChoiceField(
        label=_("Nơi tiếp nhận"),
        queryset=Agency.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Bạn không làm việc tại cơ quan này.")},
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục hành chính"),
        queryset=Procedure.objects.none(),
        empty_label=_("— Chọn thủ tục —"),
        error_messages={
            "required": _("Vui lòng chọn thủ tục."),
            "invalid_choice": _("Thủ tục không thuộc danh mục tiếp nhận của cơ quan."),
        },
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        coerce=int,
        choices=[
            (Dossier.Channel.DIRECT, Dossier.Channel.DIRECT.label),
            (Dossier.Channel.POSTAL, Dossier.Channel.POSTAL.label),
        ],
        widget=forms.RadioSelect,
        initial=Dossier.Channel.DIRECT,
    )
    applicant_kind = forms.TypedChoiceField(
        label=_("Loại chủ hồ sơ"), coerce=int, choices=Dossier.ApplicantKind.choices, initial=1
    )
    applicant_name = forms.CharField(
        label=_("Chủ hồ sơ (họ tên hoặc tên tổ chức)"),
        max_length=200,
        error_messages={"required": _("Vui lòng nhập tên chủ hồ sơ.")},
    )
    applicant_id_number = forms.CharField(label=_("Số định danh / mã số thuế"), max_length=20, required=False)
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    applicant_username = forms.CharField(
        label=_("Tài khoản công dân (tên đăng nhập, nếu có)"),
        max_length=150,
        required=False,
        help_text=_("Bản quét giấy tờ được lưu vào kho dữ liệu của tài khoản này."),
    )
    delivery = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=Dossier.Delivery.choices)
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=300, required=False
    )
    scans = MultipleFileField(
        label=_("Bản quét giấy tờ (PDF, JPEG, PNG; chọn được nhiều tệp)"),
        error_messages={"required": _("Vui lòng tải lên bản quét giấy tờ của hồ sơ.")},
    )

    def __init__(self, *args, officer: User, query: str = "", **kwargs):
        kwargs.setdefault("auto_id", "reg-%s")
        super().__init__(*args, **kwargs)
        agencies = receiving_agencies_of(officer)
        self.fields["receiving_agency"].queryset = agencies
        self.fields["procedure"].queryset = procedures_receivable(agencies=list(agencies), query=query)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["required"] = True

    def clean_applicant_username(self) -> User | None:
        username = self.cleaned_data["applicant_username"].strip()
        if not username:
            return None
        applicant = User.objects.filter(username=username, is_active=True, role=User.Role.CITIZEN).first()
        if applicant is None:
            raise forms.ValidationError(_("Không tìm thấy tài khoản công dân với tên đăng nhập này."))
        return applicant

    def clean(self):
        data = super().clean()
        agency, procedure = data.get("receiving_agency"), data.get("procedure")
        if agency and procedure and not procedures_receivable(agency).filter(pk=procedure.pk).exists():
            self.add_error("procedure", _("Thủ tục không thuộc danh mục tiếp nhận của cơ quan đã chọn."))
        if data.get("delivery") == Dossier.Delivery.POST and not data.get("delivery_address", "").strip():
            self.add_error("delivery_address", _("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."))
        return data

    def details(self) -> dict:
        data = self.cleaned_data
        names = [
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "delivery",
            "delivery_address",
        ]
        return {name: data[name] for name in names}
