"""Every form renders its fields the same way (FORM_RENDERER, portal/forms.py, templates/forms/field.html) and says
which field is missing instead of "Trường này là bắt buộc.", without opting in."""

import re

import pytest
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext_lazy

pytestmark = pytest.mark.django_db


class ApplicationForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên")
    role = forms.ChoiceField(label="Vai trò", choices=[("a", "A")])
    channel = forms.ChoiceField(
        label="Kênh nhận kết quả", choices=[("1", "Một"), ("2", "Hai")], widget=forms.RadioSelect
    )
    scan = forms.FileField(label="Bản chụp giấy tờ")
    consent = forms.BooleanField(label="Tôi cam kết thông tin là đúng")
    card = forms.CharField(label="CCCD của người nộp")
    reason = forms.CharField(label="Lý do", error_messages={"required": "Hãy cho biết lý do."})
    note = forms.CharField(label="Ghi chú", required=False, help_text="Không quá 200 ký tự.")


def _errors(form) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_a_required_field_left_empty_is_named_in_its_message():
    assert _errors(ApplicationForm({})) == {
        "full_name": ["Vui lòng nhập họ và tên."],
        "role": ["Vui lòng chọn vai trò."],
        "channel": ["Vui lòng chọn kênh nhận kết quả."],
        "scan": ["Vui lòng chọn bản chụp giấy tờ."],
        "consent": ["Vui lòng đánh dấu ô “Tôi cam kết thông tin là đúng”."],
        "card": ["Vui lòng nhập CCCD của người nộp."],  # an acronym keeps its capitals
        "reason": ["Hãy cho biết lý do."],  # a message of its own wins
    }


def test_the_message_is_worded_when_shown_in_the_language_of_the_page():
    form = ApplicationForm({"role": "a"})
    form.fields["full_name"].label = gettext_lazy("Họ và tên")
    form.is_valid()  # cleaned while the page is Vietnamese

    with translation.override("en"):
        shown = str(form.errors["full_name"][0])

    # The label is translated with the sentence around it (the sentence's English comes from locale/pending/a11y.po).
    assert "full name." in shown and "họ và tên" not in shown


def test_a_form_of_django_allauth_gets_the_same_messages(rf):
    from allauth.account.forms import LoginForm

    request = rf.post("/")
    form = LoginForm({}, request=request)

    assert _errors(form) == {
        "login": ["Vui lòng nhập tên đăng nhập hoặc thư điện tử."],
        "password": ["Vui lòng nhập mật khẩu."],
    }


def test_each_form_instance_keeps_its_own_messages():
    first = ApplicationForm({})
    first.fields["full_name"].label = "Tên tổ chức"
    assert _errors(first)["full_name"] == ["Vui lòng nhập tên tổ chức."]
    assert _errors(ApplicationForm({}))["full_name"] == ["Vui lòng nhập họ và tên."]
    assert ApplicationForm.base_fields["full_name"].error_messages["required"] == "Trường này là bắt buộc."


def test_a_required_field_says_so_in_its_label_and_stays_required_for_assistive_technology():
    html = ApplicationForm()["full_name"].as_field_group()

    assert re.search(
        r'<label for="id_full_name">Họ và tên <span class="required-mark">\(bắt buộc\)</span></label>', html
    )
    assert re.search(r"<input[^>]+required", html)
    assert "(bắt buộc)" not in ApplicationForm()["note"].as_field_group()


def test_a_disabled_field_is_not_marked_required():
    form = ApplicationForm()
    form.fields["full_name"].disabled = True

    assert "(bắt buộc)" not in form["full_name"].as_field_group()


def test_errors_and_help_text_are_tied_to_the_input_and_start_with_a_hidden_error_word():
    form = ApplicationForm({"note": "x" * 201})
    form.fields["note"].validators.append(MaxLengthValidator(200))
    note = form["note"].as_field_group()
    full_name = form["full_name"].as_field_group()

    assert 'aria-describedby="id_note_helptext id_note_error"' in note
    assert '<div class="helptext" id="id_note_helptext">Không quá 200 ký tự.</div>' in note
    assert re.search(
        r'<ul class="errorlist" id="id_full_name_error"><li><span class="visually-hidden">Lỗi: </span>'
        r"Vui lòng nhập họ và tên.</li></ul>",
        full_name,
    )
    assert 'aria-invalid="true"' in full_name and 'aria-describedby="id_full_name_error"' in full_name


def test_radio_buttons_sit_in_a_fieldset_named_by_its_legend():
    html = ApplicationForm({})["channel"].as_field_group()

    assert html.startswith('<fieldset aria-describedby="id_channel_error">')
    assert '<legend>Kênh nhận kết quả <span class="required-mark">(bắt buộc)</span></legend>' in html


def test_a_single_check_box_comes_before_its_label():
    html = ApplicationForm()["consent"].as_field_group()

    assert html.index('type="checkbox"') < html.index("<label")


def test_the_error_summary_links_each_message_to_its_input(rf):
    from django.template.loader import render_to_string

    html = render_to_string("_error_summary.html", {"form": ApplicationForm({})})

    assert 'href="#id_full_name">Vui lòng nhập họ và tên.</a>' in html
    assert 'href="#id_channel_0">Vui lòng chọn kênh nhận kết quả.</a>' in html
    assert 'href="#id_consent">' in html
