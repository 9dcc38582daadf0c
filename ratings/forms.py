"""The rating form: the four applicant-side questions of Circular 01/2018 in plain words, each answered 0, 1 or 2,
and an optional comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.services import Answers

MISSING = _("Vui lòng chọn một câu trả lời.")
INVALID = _("Câu trả lời không hợp lệ; vui lòng chọn một trong các mức đã cho.")


def _question(label, choices):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": MISSING, "invalid_choice": INVALID},
    )


class RatingForm(forms.Form):
    i1 = _question(
        _("Thời gian giải quyết hồ sơ so với ngày hẹn trả"),
        [(2, _("Trả sớm hơn ngày hẹn")), (1, _("Trả đúng ngày hẹn")), (0, _("Trả muộn hơn ngày hẹn"))],
    )
    i3 = _question(
        _("Số lần anh/chị phải liên hệ để hoàn thiện hồ sơ"),
        [
            (2, _("Không phải bổ sung lần nào")),
            (1, _("Phải bổ sung một lần")),
            (0, _("Phải bổ sung từ hai lần trở lên")),
        ],
    )
    i4 = _question(
        _("Số cơ quan anh/chị phải đến liên hệ"),
        [(2, _("Chỉ một nơi (bộ phận một cửa)")), (1, _("Hai nơi")), (0, _("Ba nơi trở lên"))],
    )
    i7 = _question(
        _("Thái độ của cán bộ tiếp nhận, giải quyết"),
        [
            (2, _("Tận tình, đúng mực")),
            (1, _("Bình thường, chưa nhiệt tình")),
            (0, _("Gây phiền hà, sách nhiễu")),
        ],
    )
    comment = forms.CharField(
        label=_("Ý kiến khác"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Không bắt buộc. Tối đa 1000 ký tự."),
        error_messages={"max_length": _("Dài tối đa %(limit_value)d ký tự (đang có %(show_value)d ký tự).")},
    )

    def answers(self) -> Answers:
        data = self.cleaned_data
        return Answers(
            i1=data["i1"], i3=data["i3"], i4=data["i4"], i7=data["i7"], comment=data["comment"].strip()
        )
