"""Forms of the staff-management pages. Choices come from the admin's scope, so a role or an agency outside it is
refused as an invalid choice before the service (which checks again) is called."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.selectors import StaffScope
from portal.forms import SearchInput

AGENCY_OUTSIDE = _("Có cơ quan đã chọn không thuộc phạm vi quản lý của bạn.")
ROLE_OUTSIDE = _("Bạn không được cấp vai trò này.")


def _role_choices(scope: StaffScope) -> list[tuple[str, str]]:
    return [(role, User.Role(role).label) for role in scope.roles]


class AgenciesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Cơ quan công tác"))
        super().__init__(
            queryset=None,
            to_field_name="code",
            required=False,
            error_messages={"invalid_choice": AGENCY_OUTSIDE, "invalid_pk_value": AGENCY_OUTSIDE},
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("Giữ phím Ctrl (trên máy Mac: Cmd) để chọn nhiều cơ quan."),
            **kwargs,
        )


class StaffCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        validators=[
            UnicodeUsernameValidator(
                message=_(
                    "Tên đăng nhập chỉ gồm chữ cái, chữ số và các ký tự @ . + - _ (không có khoảng trắng)."
                )
            )
        ],
        error_messages={
            "required": _("Vui lòng nhập tên đăng nhập."),
            "max_length": _("Tên đăng nhập dài tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={
            "required": _("Vui lòng nhập họ và tên."),
            "max_length": _("Họ và tên dài tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."),
        },
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        help_text=_("Thư mời đặt mật khẩu được gửi đến địa chỉ này."),
        error_messages={
            "required": _("Vui lòng nhập địa chỉ thư điện tử."),
            "invalid": _("Địa chỉ thư điện tử không hợp lệ."),
            "max_length": _("Địa chỉ thư điện tử dài tối đa %(limit_value)d ký tự."),
        },
    )
    job_title = forms.CharField(
        label=_("Chức danh"),
        max_length=120,
        required=False,
        error_messages={
            "max_length": _("Chức danh dài tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d).")
        },
    )
    role = forms.ChoiceField(
        label=_("Vai trò"),
        error_messages={"required": _("Vui lòng chọn vai trò."), "invalid_choice": ROLE_OUTSIDE},
    )
    agencies = AgenciesField()

    def __init__(self, *args, scope: StaffScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(scope)
        self.fields["agencies"].queryset = agencies = scope.agencies().order_by("name")
        if not scope.everywhere and len(scope.agency_ids) == 1:
            self.fields["agencies"].initial = [agencies.first().code]  # a department admin's one agency

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng."), code="taken")
        return username

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Vui lòng nhập họ và tên."), code="required")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Thư điện tử này đã được dùng cho một tài khoản khác."), code="taken"
            )
        return email


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Vai trò"),
        error_messages={"required": _("Vui lòng chọn vai trò."), "invalid_choice": ROLE_OUTSIDE},
    )

    def __init__(self, *args, scope: StaffScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(scope)


class StaffMembershipsForm(forms.Form):
    agencies = AgenciesField()

    def __init__(self, *args, scope: StaffScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = scope.agencies().order_by("name")


class StaffFilterForm(forms.Form):
    """The list's filters (GET). A value that does not fit is dropped with a message, never a 500."""

    co_quan = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=None,
        to_field_name="code",
        required=False,
        empty_label=_("Tất cả"),
        error_messages={"invalid_choice": AGENCY_OUTSIDE},
    )
    vai_tro = forms.ChoiceField(
        label=_("Vai trò"), required=False, error_messages={"invalid_choice": ROLE_OUTSIDE}
    )
    q = forms.CharField(
        label=_("Tên, tên đăng nhập hoặc thư điện tử"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Từ khóa dài tối đa %(limit_value)d ký tự.")},
        widget=SearchInput,
    )

    def __init__(self, *args, scope: StaffScope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = scope.agencies().order_by("name")
        self.fields["vai_tro"].choices = [("", _("Tất cả")), *_role_choices(scope)]
