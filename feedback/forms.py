"""Forms of the feedback pages: the sender's form (also used by staff recording on someone's behalf), tracking and
rating, the public search, and one small form per staff step. Every message says in Vietnamese what to fix."""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from feedback.models import ANSWER_MAX, CONTENT_MAX, SUBJECT_MAX, Feedback
from feedback.services import MAX_FILES, Submission
from portal.agencies.models import Agency
from portal.catalog.models import Field, Procedure

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
_PHONE = re.compile(r"^\+?[0-9 .\-]{9,20}$")
_DOSSIER_CODE = re.compile(r"^[0-9A-Z.\-]{1,40}$")
_FEEDBACK_CODE = re.compile(r"^[0-9A-Z.\-]{1,50}$")


def _text(label, max_length, *, required=True, textarea=False, help_text="", rows=8, missing=None):
    messages = {
        "required": missing or _("Ô này không được để trống."),
        "max_length": _("Dài tối đa %(limit_value)d ký tự (đang có %(show_value)d ký tự); vui lòng rút gọn."),
    }
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        help_text=help_text,
        error_messages=messages,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": MAX_FILES})
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class FeedbackForm(forms.Form):
    """The sender's form. ``token`` makes a second submit of the same page find the first item; ``website`` is a
    field people do not see (bots fill it in)."""

    kind = forms.ChoiceField(
        label=_("Phản ánh, kiến nghị về"),
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn nội dung phản ánh, kiến nghị về việc gì.")},
    )
    subject = _text(_("Tiêu đề"), SUBJECT_MAX, missing=_("Nhập tiêu đề phản ánh."))
    content = _text(
        _("Nội dung phản ánh, kiến nghị"),
        CONTENT_MAX,
        textarea=True,
        missing=_("Nhập nội dung phản ánh, kiến nghị."),
    )
    procedure_code = forms.CharField(
        label=_("Mã thủ tục hành chính (nếu có)"),
        required=False,
        max_length=40,
        help_text=_("Ví dụ 1.001193, ghi trên trang thủ tục."),
        error_messages={"max_length": _("Mã thủ tục dài tối đa %(limit_value)d ký tự.")},
    )
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ (nếu có)"),
        required=False,
        max_length=40,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.00.01.H01-250714-0007."),
        error_messages={"max_length": _("Mã hồ sơ dài tối đa %(limit_value)d ký tự.")},
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm (không bắt buộc)"),
        required=False,
        help_text=_("Tối đa 5 tệp PDF, JPEG hoặc PNG."),
    )
    sender_name = _text(_("Họ và tên"), 150, required=False)
    sender_phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        help_text=_("Dùng để tra cứu trả lời (4 số cuối) và để cơ quan liên hệ."),
        error_messages={"max_length": _("Số điện thoại dài tối đa %(limit_value)d ký tự.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ ten@example.vn.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    sender_address = _text(_("Địa chỉ"), 300, required=False)
    reply_channel = forms.ChoiceField(
        label=_("Nhận trả lời qua"),
        choices=Feedback.ReplyChannel.choices,
        initial=Feedback.ReplyChannel.PORTAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn cách nhận trả lời.")},
    )
    consent_publish = forms.BooleanField(
        label=_("Tôi đồng ý công khai nội dung phản ánh và trả lời (đã xóa thông tin cá nhân)"),
        required=False,
    )
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4()

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if len(content) < 10:
            raise ValidationError(_("Nội dung quá ngắn; hãy mô tả rõ vấn đề (ít nhất 10 ký tự)."))
        return content

    def clean_procedure_code(self) -> Procedure | None:
        code = "".join(self.cleaned_data["procedure_code"].split())
        if not code:
            return None
        procedure = (
            Procedure.objects.filter(code=code, is_active=True).only("id", "code", "name", "field_id").first()
        )
        if procedure is None:
            raise ValidationError(
                _("Không có thủ tục nào mang mã “%(code)s” trong danh mục.") % {"code": code[:40]}
            )
        return procedure

    def clean_dossier_code(self) -> str:
        code = "".join(self.cleaned_data["dossier_code"].split()).upper()
        if code and not _DOSSIER_CODE.match(code):
            raise ValidationError(_("Mã hồ sơ chỉ gồm chữ số, chữ in hoa, dấu chấm và gạch nối."))
        return code

    def clean_sender_phone(self) -> str:
        phone = self.cleaned_data["sender_phone"].strip()
        if phone and (not _PHONE.match(phone) or len(re.sub(r"\D", "", phone)) < 9):
            raise ValidationError(_("Số điện thoại chưa đúng, ví dụ 0912 345 678."))
        return phone

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(
                _("Không gửi được phản ánh. Vui lòng để trống ô “Để trống ô này” rồi gửi lại.")
            )
        needed = {
            Feedback.ReplyChannel.EMAIL: (
                ("sender_email", _("Nhập thư điện tử để nhận trả lời qua thư điện tử.")),
            ),
            Feedback.ReplyChannel.POST: (
                ("sender_name", _("Nhập họ và tên để nhận trả lời qua bưu chính.")),
                ("sender_address", _("Nhập địa chỉ để nhận trả lời qua bưu chính.")),
            ),
            Feedback.ReplyChannel.PHONE: (
                ("sender_phone", _("Nhập số điện thoại để nhận trả lời qua điện thoại.")),
            ),
        }.get(data.get("reply_channel"), ())
        for name, message in needed:
            if name not in self.errors and not data.get(name):
                self.add_error(name, message)
        if (
            data.get("kind") == Feedback.Kind.DOSSIER
            and not data.get("dossier_code")
            and "dossier_code" not in self.errors
        ):
            self.add_error("dossier_code", _("Nhập mã hồ sơ khi phản ánh về việc giải quyết một hồ sơ."))
        return data

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            kind=data["kind"],
            subject=data["subject"].strip(),
            content=data["content"],
            procedure=data.get("procedure_code"),
            dossier_code=data.get("dossier_code", ""),
            sender_name=data.get("sender_name", "").strip(),
            sender_phone=data.get("sender_phone", ""),
            sender_email=data.get("sender_email", ""),
            sender_address=data.get("sender_address", "").strip(),
            consent_publish=data.get("consent_publish", False),
            reply_channel=data["reply_channel"],
            uploads=data.get("attachments") or [],
        )


class RecordForm(FeedbackForm):
    """Staff record feedback received by phone, letter or at the counter, on the sender's behalf."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(v, label) for v, label in Feedback.Channel.choices if v != Feedback.Channel.PORTAL],
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn kênh tiếp nhận phản ánh.")},
    )
    field_order = ["channel"]


class TrackingForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=50,
        help_text=_("Gửi cho anh/chị khi phản ánh được tiếp nhận, ví dụ PA-000.00.02.H01-261207-0001."),
        error_messages={
            "required": _("Nhập mã phản ánh."),
            "max_length": _("Mã phản ánh dài tối đa %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    xac_thuc = forms.RegexField(
        label=_("4 số cuối số điện thoại đã khai khi gửi"),
        regex=r"^\d{4}$",
        error_messages={
            "required": _("Nhập 4 chữ số cuối của số điện thoại."),
            "invalid": _("Nhập đúng 4 chữ số."),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "pattern": "[0-9]{4}"}
        ),
    )

    def clean_ma(self) -> str:
        code = "".join(self.cleaned_data["ma"].split()).upper()
        if not _FEEDBACK_CODE.match(code):
            raise ValidationError(_("Mã phản ánh chỉ gồm chữ số, chữ in hoa, dấu chấm và gạch nối."))
        return code


class RateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Trả lời đã giải quyết được vấn đề của anh/chị chưa?"),
        choices=[("1", _("Hài lòng")), ("0", _("Chưa hài lòng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn hài lòng hoặc chưa hài lòng.")},
    )
    reason = _text(_("Lý do chưa hài lòng"), 2000, required=False, textarea=True, rows=4)

    def clean(self):
        data = super().clean()
        if (
            data.get("satisfied") is False
            and not (data.get("reason") or "").strip()
            and "reason" not in self.errors
        ):
            self.add_error("reason", _("Cho biết lý do chưa hài lòng để cơ quan xem xét lại."))
        return data


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200)
    agency = forms.ChoiceField(label=_("Cơ quan trả lời"), required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    procedure = forms.CharField(label=_("Mã thủ tục"), required=False, max_length=40)
    tu_ngay = forms.DateField(
        label=_("Công khai từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Ngày/tháng/năm, ví dụ 01/11/2026."),
        error_messages={"invalid": _("Ngày chưa đúng; nhập theo dạng ngày/tháng/năm, ví dụ 01/11/2026.")},
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Ngày/tháng/năm, ví dụ 30/11/2026."),
        error_messages={"invalid": _("Ngày chưa đúng; nhập theo dạng ngày/tháng/năm, ví dụ 30/11/2026.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.COMMUNE).order_by("name")
        self.fields["agency"].choices = [("", _("Tất cả"))] + list(agencies.values_list("code", "name"))
        self.fields["field"].choices = [("", _("Tất cả"))] + list(
            Field.objects.order_by("sort_key", "name").values_list("slug", "name")
        )

    def clean_agency(self) -> str:
        code = self.cleaned_data["agency"]
        # Communes are not in the list (there are a hundred of them) but may still be asked for by code.
        if code and not Agency.objects.filter(code=code).exists():
            raise ValidationError(_("Cơ quan không hợp lệ."))
        return code

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency: Agency) -> str:
        return agency.name


class RouteForm(forms.Form):
    agency = AgencyChoiceField(
        label=_("Cơ quan có thẩm quyền"),
        queryset=Agency.objects.filter(is_active=True).order_by("kind", "name"),
        error_messages={
            "required": _("Chọn cơ quan có thẩm quyền."),
            "invalid_choice": _("Cơ quan không hợp lệ."),
        },
    )
    kind = forms.ChoiceField(label=_("Phân loại"), choices=Feedback.Kind.choices)
    note = _text(_("Ghi chú"), 1000, required=False, textarea=True, rows=3)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        label=_("Cán bộ xử lý"),
        queryset=None,
        error_messages={"required": _("Chọn cán bộ xử lý."), "invalid_choice": _("Cán bộ không hợp lệ.")},
    )

    def __init__(self, *args, handlers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda user: user.full_name or user.username


class DraftForm(forms.Form):
    text = _text(
        _("Dự thảo trả lời"), ANSWER_MAX, textarea=True, rows=10, missing=_("Nhập nội dung dự thảo trả lời.")
    )


class NoteForm(forms.Form):
    note = _text(_("Nội dung cần sửa"), 2000, textarea=True, rows=3, missing=_("Nhập nội dung cần sửa."))


class CloseForm(forms.Form):
    reason = _text(
        _("Lý do và hướng dẫn cho người gửi"),
        2000,
        textarea=True,
        rows=4,
        help_text=_("Ví dụ: nội dung là khiếu nại, được giải quyết theo Luật Khiếu nại; hướng dẫn nơi gửi."),
        missing=_("Nhập lý do và hướng dẫn cho người gửi."),
    )


class PublishForm(forms.Form):
    public_question = _text(_("Nội dung phản ánh công khai"), CONTENT_MAX + SUBJECT_MAX + 10, textarea=True)
    public_answer = _text(_("Nội dung trả lời công khai"), ANSWER_MAX, textarea=True)
    checked = forms.BooleanField(
        label=_(
            "Tôi đã đọc lại và xóa hết họ tên, số điện thoại, số định danh, thư điện tử, địa chỉ của người gửi"
        ),
        error_messages={"required": _("Xác nhận đã rà soát và xóa thông tin cá nhân trước khi công khai.")},
    )


class OtherItemForm(forms.Form):
    other = forms.CharField(
        label=_("Mã phản ánh"),
        max_length=50,
        error_messages={
            "required": _("Nhập mã phản ánh."),
            "max_length": _("Mã phản ánh dài tối đa %(limit_value)d ký tự."),
        },
    )

    def clean_other(self) -> str:
        code = "".join(self.cleaned_data["other"].split()).upper()
        if not _FEEDBACK_CODE.match(code):
            raise ValidationError(_("Mã phản ánh chỉ gồm chữ số, chữ in hoa, dấu chấm và gạch nối."))
        return code
