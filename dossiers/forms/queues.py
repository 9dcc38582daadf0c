"""A queue's query string (the officers' queue pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from dossiers.queues import Queue


class QueueFilterForm(forms.Form):
    """A queue's GET parameters. Every value is optional; anything unreadable is an error (400), never a guess."""

    due = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("qua-han", _("Quá hạn")),
            ("hom-nay", _("Đến hạn hôm nay")),
            ("sap-den-han", _("Sắp đến hạn (2 ngày làm việc)")),
        ],
    )
    state = forms.ChoiceField(label=_("Trạng thái"), required=False)
    procedure = forms.CharField(
        label=_("Thủ tục (mã hoặc tên)"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Từ khóa thủ tục quá dài (tối đa %(limit_value)d ký tự).")},
    )
    text = forms.CharField(
        label=_("Tìm trong hồ sơ"),
        help_text=_("Mã hồ sơ, tên người nộp hoặc nội dung tờ khai: họ tên, số định danh, địa chỉ…"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Từ khóa tìm kiếm quá dài (tối đa %(limit_value)d ký tự).")},
    )
    channel = forms.TypedChoiceField(
        label=_("Kênh nộp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Dossier.Channel.choices],
    )
    sort = forms.ChoiceField(
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
    page = forms.IntegerField(
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
        self.fields["state"].choices = [("", _("Tất cả"))] + [
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
            "due": data.get("due") or "",
            "state": data.get("state") or "",
            "procedure": (data.get("procedure") or "").strip(),
            "text": (data.get("text") or "").strip(),
            "channel": data.get("channel"),
            "sort": data.get("sort") or "han",
            "page": data.get("page") or 1,
        }
