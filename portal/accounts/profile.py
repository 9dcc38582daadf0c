"""The signed-in person's own account page: personal data (personal id masked), contact and notification choices,
linked national identities, open sessions, an export of their data and a request to delete the account.

No address here takes another person's id: every page reads ``request.user``, and the one per-session action
(``session_end``) looks the session up among the person's own, so a stranger's session is 404.
"""

import json
import re
import unicodedata

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts import selectors, services
from portal.accounts.oidc import sso_configured

PHONE_SEPARATORS = re.compile(r"[\s.()-]")
PHONE = re.compile(r"^(\+84|0)[0-9]{9,10}\Z")
NAME_PUNCTUATION = frozenset(" .'-")


class ProfileForm(forms.Form):
    """What a person may change about themselves: name (unless it comes from the national identity), phone and
    the channels notifications reach them by."""

    full_name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        max_length=150,
        error_messages={
            "required": gettext_lazy("Vui lòng nhập họ và tên."),
            "max_length": gettext_lazy(
                "Họ và tên dài tối đa %(limit_value)d ký tự (bạn đã nhập %(show_value)d)."
            ),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại"),
        required=False,
        max_length=20,
        error_messages={"max_length": gettext_lazy("Số điện thoại dài tối đa %(limit_value)d ký tự.")},
        help_text=gettext_lazy("Ví dụ 0912345678 hoặc +84912345678."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    notify_email = forms.BooleanField(label=gettext_lazy("Nhận thông báo qua thư điện tử"), required=False)
    notify_sms = forms.BooleanField(
        label=gettext_lazy("Nhận thông báo qua tin nhắn SMS"),
        required=False,
        help_text=gettext_lazy("Cần có số điện thoại."),
    )

    def __init__(self, *args, user, name_locked: bool, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "phone": user.phone,
                "notify_email": user.notify_email,
                "notify_sms": user.notify_sms,
            },
        )
        super().__init__(*args, **kwargs)
        self.name_locked = name_locked
        if name_locked:
            self.fields["full_name"].disabled = True
            self.fields["full_name"].help_text = _(
                "Lấy từ tài khoản định danh quốc gia, không sửa được ở đây."
            )

    def clean_full_name(self) -> str:
        name = " ".join(unicodedata.normalize("NFC", self.cleaned_data["full_name"]).split())
        if not name:
            raise forms.ValidationError(_("Vui lòng nhập họ và tên."), code="required")
        for char in name:
            if not (char.isalpha() or char in NAME_PUNCTUATION or unicodedata.category(char).startswith("M")):
                raise forms.ValidationError(
                    _("Họ và tên chỉ gồm chữ cái, khoảng trắng và các dấu . ' -"), code="invalid"
                )
        return name

    def clean_phone(self) -> str:
        phone = PHONE_SEPARATORS.sub("", self.cleaned_data["phone"])
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ: gồm 10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84."),
                code="invalid",
            )
        return phone

    def clean(self):
        data = super().clean()
        if data.get("notify_sms") and "phone" in data and not data["phone"]:
            self.add_error("notify_sms", _("Hãy nhập số điện thoại để nhận thông báo qua tin nhắn SMS."))
        return data


class DeletionRequestForm(forms.Form):
    """Consent is explicit: the box starts unticked and the request is not sent without it."""

    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Tôi đồng ý và yêu cầu xóa tài khoản của tôi. Tôi hiểu rằng hồ sơ thủ tục hành chính đã nộp vẫn được "
            "lưu trữ theo quy định."
        ),
        error_messages={
            "required": gettext_lazy("Bạn cần đánh dấu ô xác nhận để gửi yêu cầu xóa tài khoản.")
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do (không bắt buộc)"),
        required=False,
        max_length=2000,
        error_messages={"max_length": gettext_lazy("Lý do dài tối đa %(limit_value)d ký tự.")},
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _profile_page(
    request: HttpRequest, *, form: ProfileForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    name_locked = selectors.profile_from_sso(user)
    if form is None:
        form = ProfileForm(user=user, name_locked=name_locked)
    services.session_record_current(request=request)
    context = {
        "form": form,
        "name_locked": name_locked,
        "personal_id_masked": selectors.personal_id_masked(user.personal_id),
        "memberships": user.memberships.select_related("agency").order_by("agency__name")
        if user.is_officer
        else [],
        "identities": user.external_identities.order_by("created_at"),
        "sso_enabled": sso_configured(),
        "sessions_enabled": selectors.user_sessions_enabled(),
        "sessions": selectors.sessions_of(user=user, current_key=request.session.session_key),
        "deletion_pending": selectors.deletion_request_pending(user),
        "manages_staff": selectors.staff_scope_for(user) is not None,
    }
    return render(request, "accounts/profile/profile.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _profile_page(request)
    form = ProfileForm(request.POST, user=request.user, name_locked=selectors.profile_from_sso(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_update(
                user=request.user,
                full_name=None if form.name_locked else data["full_name"],
                phone=data["phone"],
                notify_email=data["notify_email"],
                notify_sms=data["notify_sms"],
            )
        except services.AccountError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            return redirect("accounts:profile")
    return _profile_page(request, form=form, status=400)


@require_POST
@login_required
@never_cache
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = services.sessions_end_others(user=request.user, current_key=request.session.session_key)
    messages.success(request, _("Đã đăng xuất khỏi %(n)d thiết bị khác.") % {"n": ended})
    return redirect(reverse("accounts:profile") + "#phien-dang-nhap")


@require_POST
@login_required
@never_cache
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    services.session_end(user=request.user, current_key=request.session.session_key, pk=pk)
    messages.success(request, _("Đã đăng xuất thiết bị đó."))
    return redirect(reverse("accounts:profile") + "#phien-dang-nhap")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    """GET explains and shows the button; POST downloads the JSON file (a link cannot trigger an export)."""
    if request.method != "POST":
        return render(request, "accounts/profile/export.html")
    data = services.personal_data_export(request=request, user=request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"du-lieu-ca-nhan-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def deletion_request(request: HttpRequest) -> HttpResponse:
    pending = selectors.deletion_request_pending(request.user)
    form = DeletionRequestForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and pending is None:
        status = 400
        if form.is_valid():
            try:
                _request, created = services.account_deletion_request(
                    request=request, user=request.user, reason=form.cleaned_data["reason"].strip()
                )
            except services.AccountError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(
                        request, _("Đã gửi yêu cầu xóa tài khoản. Cán bộ sẽ xử lý và báo lại cho bạn.")
                    )
                return redirect("accounts:deletion_request")
    elif request.method == "POST":
        return redirect("accounts:deletion_request")  # sent already (a double click): show it as pending
    return render(
        request, "accounts/profile/deletion.html", {"form": form, "pending": pending}, status=status
    )
