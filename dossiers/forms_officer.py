"""Forms of the staff pages: the queue's query string, one form per dossier action, counter registration, the
tracking book's export. They parse and check input; the rules of the workflow stay in ``services.py``."""

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dossiers.deadlines import time_limit_unclear
from dossiers.errors import InvalidInput
from dossiers.models import Dossier, DossierFile
from dossiers.selectors import Queue, competent_agency, procedures_receivable, receiving_agencies_of
from dossiers.uploads import upload_check
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure

MAX_UPLOADS = 30


# --- Queues ------------------------------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """A queue's GET parameters. Every value is optional; anything unreadable is an error (400), never a guess."""

    han = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("qua-han", _("Quá hạn")),
            ("hom-nay", _("Đến hạn hôm nay")),
            ("sap-den-han", _("Sắp đến hạn (2 ngày làm việc)")),
        ],
    )
    trang_thai = forms.ChoiceField(label=_("Trạng thái"), required=False)
    thu_tuc = forms.CharField(
        label=_("Thủ tục (mã hoặc tên)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Từ khóa thủ tục quá dài (tối đa %(limit_value)d ký tự).")},
    )
    kenh = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Dossier.Channel.choices],
    )
    sap_xep = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("han", _("Hạn xử lý gần nhất trước")),
            ("-han", _("Hạn xử lý xa nhất trước")),
            ("nop", _("Nộp sớm nhất trước")),
            ("-nop", _("Nộp gần đây nhất trước")),
            ("ma", _("Mã hồ sơ")),
        ],
    )
    trang = forms.IntegerField(
        label=_("Trang"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "invalid": _("Số trang phải là số nguyên dương."),
            "min_value": _("Số trang phải là số nguyên dương."),
            "max_value": _("Số trang quá lớn."),
        },
    )

    def __init__(self, *args, queue: Queue, **kwargs):
        kwargs.setdefault("auto_id", "q-%s")
        super().__init__(*args, **kwargs)
        self.fields["trang_thai"].choices = [("", _("Tất cả"))] + [
            (state, Dossier.State(state).label) for state in queue.states
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("%(label)s: giá trị “%%(value)s” không hợp lệ.") % {
                "label": field.label
            }
            field.error_messages["null_characters_not_allowed"] = _("Không được chứa ký tự rỗng (NUL).")

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "due": data.get("han") or "",
            "state": data.get("trang_thai") or "",
            "procedure": (data.get("thu_tuc") or "").strip(),
            "channel": data.get("kenh"),
            "sort": data.get("sap_xep") or "han",
            "page": data.get("trang") or 1,
        }


# --- Actions on a dossier ----------------------------------------------------------------------------------------


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(label, *, required=True, help_text=""):
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput(),
        error_messages={
            "invalid": _("Ngày giờ không hợp lệ (dạng ngày/tháng/năm giờ:phút)."),
            "required": _("Vui lòng nhập ngày giờ."),
        },
    )


def _text(label, *, required=True, rows=3, help_text="", max_length=2000):
    """A text area; left empty, it is named in the message by its label (``portal.forms``)."""
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": _("Nội dung quá dài (tối đa %(limit_value)d ký tự).")},
    )


class ActionForm(forms.Form):
    """The form of one action: its fields plus the version of the dossier the officer was looking at."""

    action = ""
    label = ""  # the button and heading: an imperative, distinct from the history step's name
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Thiếu phiên bản hồ sơ; vui lòng tải lại trang."),
            "invalid": _("Phiên bản hồ sơ không hợp lệ; vui lòng tải lại trang."),
            "min_value": _("Phiên bản hồ sơ không hợp lệ; vui lòng tải lại trang."),
        },
    )

    def __init__(self, *args, dossier: Dossier, has_result: bool = False, **kwargs):
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        kwargs.setdefault("initial", {"expected_version": dossier.version})
        super().__init__(*args, **kwargs)
        self.dossier = dossier

    def stale_version(self) -> bool:
        """The officer acted on an older version than the one now stored (whatever else is wrong with the form)."""
        version = self.cleaned_data.get("expected_version") if hasattr(self, "cleaned_data") else None
        return version is not None and version != self.dossier.version


class ReceiveForm(ActionForm):
    action = "receive"
    label = pgettext_lazy("thao tác", "Tiếp nhận hồ sơ")
    due_at = _datetime_field(
        _("Ngày hẹn trả"),
        required=False,
        help_text=_("Để trống để tính theo thời hạn giải quyết của thủ tục (ngày làm việc)."),
    )
    note = _text(_("Ghi chú"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unclear = time_limit_unclear(self.dossier)
        if unclear is not None:
            # The catalogue's time has no unit: the officer decides the date and says why (kept in the history).
            due, note = self.fields["due_at"], self.fields["note"]
            due.required = True
            due.error_messages["required"] = _(
                "Vui lòng nhập ngày hẹn trả (thủ tục không ghi đơn vị thời hạn)."
            )
            due.help_text = _(
                "Danh mục ghi thời hạn “%(source)s”, không rõ đơn vị: hãy chọn ngày hẹn trả."
            ) % {"source": unclear}
            note.required = True
            note.label = _("Lý do chọn ngày hẹn trả")
            note.error_messages["required"] = _("Vui lòng nêu lý do chọn ngày hẹn trả.")


class SupplementForm(ActionForm):
    action = "request_supplement"
    label = pgettext_lazy("thao tác", "Yêu cầu bổ sung hồ sơ")
    items = _text(
        _("Giấy tờ cần bổ sung"),
        rows=4,
        help_text=_("Mỗi dòng một giấy tờ, liệt kê đầy đủ trong một lần."),
    )
    reason = _text(_("Lý do"))

    def clean_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not items:
            raise forms.ValidationError(_("Vui lòng liệt kê ít nhất một giấy tờ cần bổ sung."))
        return items


class ReasonForm(ActionForm):
    reason = _text(_("Lý do"))


class RefuseForm(ReasonForm):
    action = "refuse"
    label = pgettext_lazy("thao tác", "Từ chối tiếp nhận")


class SendBackForm(ReasonForm):
    action = "send_back"
    label = pgettext_lazy("thao tác", "Trả lại chuyên viên")
    reason = _text(_("Nội dung cần xử lý lại"))


class StopForm(ReasonForm):
    action = "stop"
    label = pgettext_lazy("thao tác", "Dừng xử lý hồ sơ")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


AGENCY_GROUPS = (
    Agency.Kind.DEPARTMENT,
    Agency.Kind.CENTRAL,
    Agency.Kind.COMMUNE,
    Agency.Kind.PROVINCE,
    Agency.Kind.SERVICE_CENTRE,
)


class AgencyField(forms.TypedChoiceField):
    """A select of the active agencies grouped by kind (one query when the form is built); cleans to an Agency."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", _("Cơ quan không hợp lệ."))
        super().__init__(coerce=int, empty_value=None, **kwargs)
        self.agencies: dict[int, Agency] = {}

    def load(self) -> None:
        agencies = Agency.objects.filter(is_active=True).only("id", "name", "kind").order_by("name")
        groups: dict[str, list] = {kind: [] for kind in AGENCY_GROUPS}
        for agency in agencies:
            groups.setdefault(agency.kind, []).append((agency.pk, agency.name))
            self.agencies[agency.pk] = agency
        self.choices = [("", _("— Chọn cơ quan —"))] + [
            (Agency.Kind(kind).label, items) for kind, items in groups.items() if items
        ]

    def clean(self, value) -> Agency | None:
        pk = super().clean(value)
        return None if pk is None else self.agencies[pk]


class TransferForm(ActionForm):
    action = "transfer"
    label = pgettext_lazy("thao tác", "Chuyển cơ quan giải quyết")
    handling_agency = AgencyField(
        label=_("Cơ quan giải quyết"), error_messages={"required": _("Vui lòng chọn cơ quan giải quyết.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_agency"].load()
        if not self.is_bound:
            default = competent_agency(self.dossier.procedure, self.dossier.receiving_agency)
            if default is not None:
                self.initial["handling_agency"] = default.pk


class ConsultForm(ActionForm):
    action = "consult"
    label = pgettext_lazy("thao tác", "Lấy ý kiến cơ quan khác")
    agency = AgencyField(
        label=_("Cơ quan được lấy ý kiến"), error_messages={"required": _("Vui lòng chọn cơ quan.")}
    )
    question = _text(_("Nội dung xin ý kiến"))
    reply_by = _datetime_field(_("Hạn trả lời"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].load()


class ConsultReplyForm(ActionForm):
    action = "consult_reply"
    label = pgettext_lazy("thao tác", "Nhận ý kiến phối hợp")
    label_consulted = pgettext_lazy("thao tác", "Trả lời xin ý kiến")  # what the consulted agency sees
    reply = _text(_("Ý kiến của cơ quan phối hợp"))


class FinancialForm(ActionForm):
    action = "financial"
    label = pgettext_lazy("thao tác", "Yêu cầu thực hiện nghĩa vụ tài chính")
    note = _text(_("Nghĩa vụ tài chính (khoản thu, số tiền, cách nộp)"))


class FinancialDoneForm(ActionForm):
    action = "financial_done"
    label = pgettext_lazy("thao tác", "Đã thực hiện nghĩa vụ tài chính")


class ProposeForm(ActionForm):
    action = "propose"
    label = pgettext_lazy("thao tác", "Trình kết quả")
    result = forms.FileField(
        label=_("Kết quả giải quyết (tệp PDF)"),
        required=False,
        help_text=_("Tệp PDF của văn bản kết quả."),
        error_messages={
            "required": _("Vui lòng tải lên tệp kết quả (PDF)."),
            "empty": _("Tệp kết quả rỗng."),
        },
    )
    result_name = forms.CharField(label=_("Tên kết quả"), required=False, max_length=300)
    note = _text(_("Ý kiến trình"), required=False, rows=2)

    def __init__(self, *args, has_result: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].required = not has_result
        if has_result:
            self.fields["result"].help_text = _("Đã có kết quả; chỉ tải lên khi thay bằng bản mới.")
        self.checked = None

    def clean_result(self):
        upload = self.cleaned_data.get("result")
        if not upload:
            return None
        try:
            self.checked = upload_check(upload)
        except InvalidInput as error:
            raise forms.ValidationError(error.message) from None
        if self.checked.content_type != "application/pdf":
            raise forms.ValidationError(_("Kết quả phải là tệp PDF."))
        return upload


class ApproveForm(ActionForm):
    action = "approve"
    label = pgettext_lazy("thao tác", "Phê duyệt, ký kết quả")
    note = _text(_("Ý kiến phê duyệt"), required=False, rows=2)


class ApologiseForm(ActionForm):
    action = "apologise"
    label = pgettext_lazy("thao tác", "Xin lỗi, hẹn lại ngày trả")
    reason = _text(_("Lý do chậm trễ"))
    new_due_at = _datetime_field(_("Ngày hẹn trả mới"))


class ReturnForm(ActionForm):
    action = "return_result"
    label = pgettext_lazy("thao tác", "Trả kết quả")
    note = _text(_("Ghi chú"), required=False, rows=2)


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in [
        ReceiveForm, SupplementForm, RefuseForm, TransferForm, ConsultForm, ConsultReplyForm, FinancialForm,
        FinancialDoneForm, ProposeForm, SendBackForm, ApproveForm, ApologiseForm, ReturnForm, StopForm,
    ]
}  # fmt: skip


def has_result_file(files: list[DossierFile]) -> bool:
    return any(f.kind == DossierFile.Kind.RESULT for f in files)


# --- Counter registration ----------------------------------------------------------------------------------------


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
            "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
            "applicant_address", "delivery", "delivery_address",
        ]  # fmt: skip
        return {name: data[name] for name in names}


# --- Tracking book -----------------------------------------------------------------------------------------------


class TrackingBookForm(forms.Form):
    nam = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        error_messages={
            "required": _("Vui lòng chọn năm."),
            "invalid": _("Năm phải là số (ví dụ 2026)."),
            "min_value": _("Năm không hợp lệ."),
            "max_value": _("Năm chưa đến."),
        },
    )
    dinh_dang = forms.ChoiceField(
        label=_("Định dạng"),
        choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF (A4)")],
        error_messages={
            "required": _("Vui lòng chọn định dạng."),
            "invalid_choice": _("Định dạng “%(value)s” không hỗ trợ."),
        },
    )
    co_quan = AgencyChoiceField(
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
        self.fields["nam"].validators.append(MaxValueValidator(this_year, message=_("Năm chưa đến.")))
        self.fields["nam"].initial = this_year
        self.fields["nam"].widget.attrs.update({"min": 2000, "max": this_year})
        self.fields["co_quan"].queryset = agencies
        self.agencies = list(agencies)

    def agency(self) -> Agency | None:
        return self.cleaned_data.get("co_quan") or (self.agencies[0] if self.agencies else None)
