"""Forms of the citizen's pages: they check what a person typed and hand clean values to ``filing``/``services``.

Files are not Django form fields here: the filing page has one multiple-file input per required document, read
with ``request.FILES.getlist`` and checked by content in ``dossiers/uploads.py``.
"""

import re
from enum import StrEnum

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.filing import Attachment, Problem
from dossiers.models import Dossier
from portal.agencies.models import Agency
from portal.numbers import id_or_none

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


class Intent(StrEnum):
    """What the applicant asked for with the button they pressed on the draft page."""

    SAVE = "save"
    ATTACH = "attach"
    REMOVE = "remove"
    REVIEW = "review"


# The buttons' values as the page sends them (kept stable: bookmarked and scripted clients post them).
_BUTTONS = {"luu": Intent.SAVE, "dinh_kem": Intent.ATTACH, "nop": Intent.REVIEW, "kiem_tra": Intent.REVIEW}


class DraftDetailsForm(forms.Form):
    """The applicant's details and how the result is returned; the documents are read beside it."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Thiếu phiên bản của bản nháp; vui lòng tải lại trang."),
            "invalid": _("Phiên bản của bản nháp không hợp lệ; vui lòng tải lại trang."),
            "min_value": _("Phiên bản của bản nháp không hợp lệ; vui lòng tải lại trang."),
        },
    )
    applicant_kind = forms.TypedChoiceField(
        label=_("Chủ hồ sơ là"),
        choices=Dossier.ApplicantKind.choices,
        coerce=int,
        error_messages={
            "required": _("Vui lòng chọn chủ hồ sơ là công dân hay tổ chức."),
            "invalid_choice": _("Loại chủ hồ sơ không hợp lệ."),
        },
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên (hoặc tên tổ chức)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Vui lòng nhập họ và tên chủ hồ sơ (hoặc tên tổ chức)."),
            "max_length": _("Họ tên dài tối đa %(limit_value)d ký tự."),
        },
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
        label=_("Thư điện tử"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng dạng, ví dụ ten@example.com.")},
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=Dossier.Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vui lòng chọn hình thức nhận kết quả."),
            "invalid_choice": _("Hình thức nhận kết quả không hợp lệ."),
        },
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"),
        max_length=300,
        required=False,
        help_text=_("Bắt buộc khi chọn nhận kết quả qua bưu chính."),
    )

    def clean(self):
        data = super().clean()
        if data.get("delivery") == Dossier.Delivery.POST and not (data.get("delivery_address") or "").strip():
            self.add_error("delivery_address", _("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."))
        return data

    def intent(self) -> Intent:
        """Which button was pressed; "remove this file" is a button of its own (``xoa_tep``)."""
        if self.data.get("xoa_tep"):
            return Intent.REMOVE
        return _BUTTONS.get(self.data.get("hanh_dong", ""), Intent.SAVE)

    def remove_file_id(self) -> int | None:
        return id_or_none(self.data.get("xoa_tep"))

    def posted_version(self) -> int | None:
        """The version the page was rendered from, even when another field is invalid."""
        return id_or_none(self.data.get("expected_version"))

    def with_version(self, version: int) -> "DraftDetailsForm":
        """The same typed values, carrying the draft's current version (so the next save is not a conflict)."""
        self.data = self.data.copy()
        self.data["expected_version"] = str(version)
        return self

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


def attachments_from_request(
    files, post, requirement_ids: set[int]
) -> tuple[list[Attachment], list[Problem]]:
    """The files (``tep_<slot>``) and vault documents (``kho_<slot>``) posted with a draft or a supplement. A slot
    is a required document's id, ``khac`` (another paper) or ``bo_sung`` (a supplement)."""
    attachments, problems = [], []
    for key in sorted(files):
        if not key.startswith("tep_"):
            continue
        slot = key.removeprefix("tep_")
        requirement_id, known = _slot(slot, requirement_ids)
        if not known:
            problems.append(Problem(key, str(_("Thành phần hồ sơ không thuộc thủ tục này."))))
            continue
        attachments += [Attachment(slot, requirement_id, upload=upload) for upload in files.getlist(key)]
    for key in sorted(post):
        value = str(post.get(key, "")).strip()
        if not key.startswith("kho_") or not value:
            continue
        slot = key.removeprefix("kho_")
        requirement_id, known = _slot(slot, requirement_ids)
        if not known or id_or_none(value) is None:
            problems.append(Problem(key, str(_("Không tìm thấy giấy tờ đã chọn trong kho dữ liệu của bạn."))))
            continue
        attachments.append(Attachment(slot, requirement_id, vault_document_id=id_or_none(value)))
    return attachments, problems


def _slot(slot: str, requirement_ids: set[int]) -> tuple[int | None, bool]:
    """(requirement id or None, whether the slot belongs to this dossier's procedure)."""
    if slot in {"khac", "bo_sung"}:
        return None, True
    if id_or_none(slot) in requirement_ids:
        return id_or_none(slot), True
    return None, False


class ReviewForm(forms.Form):
    """The final submit from the "check your answers" page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    incomplete_accepted = forms.BooleanField(
        label=_("Tôi biết hồ sơ còn thiếu giấy tờ và sẽ bổ sung khi cơ quan yêu cầu."),
        required=False,
    )


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


class PopulationConsentForm(forms.Form):
    """The applicant's consent to fill the draft from the national population database; ``thay_the`` asks to
    replace what they typed with the registered values."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để Cổng lấy thông tin của tôi (họ tên, ngày sinh, giới tính, nơi thường trú, nơi ở hiện "
            "tại, chủ hộ) từ CSDL quốc gia về dân cư để điền vào hồ sơ này."
        ),
        error_messages={
            "required": _("Vui lòng đánh dấu đồng ý trước khi lấy thông tin từ CSDL quốc gia về dân cư.")
        },
    )

    def replace(self) -> bool:
        return self.data.get("thay_the") == "1"
