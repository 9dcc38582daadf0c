"""One form per action an officer takes on a dossier (``workflow.TRANSITIONS``): its fields are the arguments of the
action's service (``services.SERVICES``), returned by ``arguments()``, plus the version of the dossier the officer saw."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dossiers.deadlines import time_limit_unclear
from dossiers.errors import InvalidInput
from dossiers.forms.fields import AgencyField
from dossiers.models import Dossier, DossierFile
from dossiers.results import ResultDocument
from dossiers.selectors import competent_agency
from dossiers.uploads import upload_check


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

    def arguments(self) -> dict:
        """The action's service arguments: the cleaned fields (text without surrounding spaces), not the version."""
        return {
            name: value.strip() if isinstance(value, str) else value
            for name, value in self.cleaned_data.items()
            if name != "expected_version"
        }


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

    def arguments(self) -> dict:
        """The note, and the result document read from the checked upload (None: keep the draft there is)."""
        upload, result = self.cleaned_data["result"], None
        if upload is not None:
            upload.seek(0)
            result = ResultDocument(
                name=self.cleaned_data["result_name"].strip() or self.checked.display_name,
                content=upload.read(),
                content_type=self.checked.content_type,
                extension=self.checked.extension,
            )
        return {"note": self.cleaned_data["note"].strip(), "result": result}


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
        ReceiveForm,
        SupplementForm,
        RefuseForm,
        TransferForm,
        ConsultForm,
        ConsultReplyForm,
        FinancialForm,
        FinancialDoneForm,
        ProposeForm,
        SendBackForm,
        ApproveForm,
        ApologiseForm,
        ReturnForm,
        StopForm,
    ]
}


def has_result_file(files: list[DossierFile]) -> bool:
    return any(f.kind == DossierFile.Kind.RESULT for f in files)
