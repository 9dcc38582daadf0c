from django import forms
from django.utils.translation import gettext_lazy as _

from portal.catalog.questions import MAX_QUESTION_CHARS


class FaqFilterForm(forms.Form):
    """The public FAQ page's query string: words to look for, a field, an agency, a procedure, the page."""

    q = forms.CharField(label=_("Tìm câu hỏi"), required=False, max_length=MAX_QUESTION_CHARS)
    linh_vuc = forms.SlugField(label=_("Lĩnh vực"), required=False, max_length=200)
    co_quan = forms.CharField(label=_("Cơ quan"), required=False, max_length=20)
    thu_tuc = forms.CharField(label=_("Thủ tục"), required=False, max_length=40)
    page = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "faq-%s")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["max_length"] = "Nội dung quá dài (tối đa %(limit_value)d ký tự)."
            field.error_messages["invalid"] = "Giá trị lọc không hợp lệ."
            field.error_messages["null_characters_not_allowed"] = "Không được chứa ký tự rỗng (NUL)."


class NotHelpfulForm(forms.Form):
    question = forms.CharField(max_length=MAX_QUESTION_CHARS)
    answer_id = forms.CharField(required=False, max_length=60)
