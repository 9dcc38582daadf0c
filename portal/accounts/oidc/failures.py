"""What a sign-in through the national portal can fail on, the page each failure shows (with its status code),
and whether this installation has single sign-on at all."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

BACKEND_PATH = "portal.accounts.oidc.NationalSSOBackend"


class Reason(StrEnum):
    STALE = "stale"  # no flow of this browser matches: replayed, back button, other tab, tampered or missing state
    PROVIDER_REFUSED = "refused"  # the provider sent error=… (the user cancelled, or was not allowed)
    # The code or the ID token failed a check (nonce, audience, issuer, expiry, signature).
    TOKEN_REJECTED = "token"  # noqa: S105 (a reason's name, not a secret)
    UNAVAILABLE = "unavailable"  # the provider could not be reached or answered with an error
    TIMEOUT = "timeout"  # the provider did not answer within OIDC_TIMEOUT
    IDENTITY_TAKEN = "taken"  # linking: the identity belongs to another user
    ALREADY_LINKED = "linked"  # linking: this user already holds another identity of the same provider
    INACTIVE = "inactive"  # the matching account is locked
    NOT_CONFIGURED = "off"  # SSO is not configured on this installation
    GENERIC = "generic"  # the library's own failure redirect (LOGIN_REDIRECT_URL_FAILURE)


@dataclass(frozen=True)
class FailurePage:
    status: int
    title: str
    message: str


FAILURE_PAGES: dict[Reason, FailurePage] = {
    Reason.STALE: FailurePage(
        400,
        _("Phiên đăng nhập không còn hiệu lực"),
        _(
            "Liên kết đăng nhập này đã được dùng, đã hết hạn hoặc không bắt đầu từ trình duyệt này (ví dụ khi bấm "
            "nút Quay lại hoặc mở ở một thẻ khác). Bạn chưa được đăng nhập bằng liên kết này."
        ),
    ),
    Reason.PROVIDER_REFUSED: FailurePage(
        403,
        _("Đăng nhập chưa hoàn tất"),
        _("Hệ thống định danh không xác nhận việc đăng nhập (có thể bạn đã hủy). Bạn có thể thử lại."),
    ),
    Reason.TOKEN_REJECTED: FailurePage(
        403,
        _("Không xác minh được thông tin đăng nhập"),
        _(
            "Thông tin hệ thống định danh gửi về không hợp lệ hoặc đã hết hạn, nên Cổng không đăng nhập cho bạn. "
            "Vui lòng thử lại; nếu lỗi lặp lại, hãy liên hệ tổng đài hỗ trợ."
        ),
    ),
    Reason.UNAVAILABLE: FailurePage(
        502,
        _("Hệ thống định danh chưa phản hồi"),
        _(
            "Cổng chưa kết nối được với Cổng Dịch vụ công quốc gia. Vui lòng thử lại sau ít phút, hoặc đăng nhập "
            "bằng tài khoản của Cổng."
        ),
    ),
    Reason.TIMEOUT: FailurePage(
        504,
        _("Hệ thống định danh phản hồi quá chậm"),
        _(
            "Cổng Dịch vụ công quốc gia không trả lời kịp. Vui lòng thử lại sau ít phút, hoặc đăng nhập bằng tài "
            "khoản của Cổng."
        ),
    ),
    Reason.IDENTITY_TAKEN: FailurePage(
        409,
        _("Tài khoản định danh đã gắn với tài khoản khác"),
        _(
            "Tài khoản định danh quốc gia này đã được liên kết với một tài khoản khác trên Cổng, nên không thể "
            "liên kết thêm. Nếu đó là tài khoản của bạn, hãy đăng xuất rồi đăng nhập bằng tài khoản định danh; nếu "
            "không, vui lòng liên hệ tổng đài hỗ trợ."
        ),
    ),
    Reason.ALREADY_LINKED: FailurePage(
        409,
        _("Tài khoản đã liên kết một định danh khác"),
        _(
            "Tài khoản của bạn trên Cổng đã được liên kết với một tài khoản định danh quốc gia khác. Vui lòng liên "
            "hệ tổng đài hỗ trợ nếu cần thay đổi."
        ),
    ),
    Reason.INACTIVE: FailurePage(
        403,
        _("Tài khoản đã bị khóa"),
        _("Tài khoản trên Cổng gắn với định danh này đã bị khóa. Vui lòng liên hệ tổng đài hỗ trợ."),
    ),
    Reason.NOT_CONFIGURED: FailurePage(
        404,
        _("Chưa hỗ trợ đăng nhập một lần"),
        _(
            "Cổng chưa được cấu hình để đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia. Vui lòng đăng nhập "
            "bằng tài khoản của Cổng."
        ),
    ),
    Reason.GENERIC: FailurePage(
        400,
        _("Đăng nhập không thành công"),
        _("Cổng chưa đăng nhập được cho bạn qua hệ thống định danh. Vui lòng thử lại."),
    ),
}


class SSOFailure(Exception):
    """A sign-in through the provider cannot go on; ``reason`` picks the page, ``detail`` goes to the log only."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(detail or reason.value)
        self.reason = reason
        self.detail = detail


def sso_configured() -> bool:
    """True when this installation can sign people in through the national portal."""
    names = (
        "OIDC_RP_CLIENT_ID",
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT",
    )
    return (
        all(getattr(settings, name, "") for name in names)
        and BACKEND_PATH in settings.AUTHENTICATION_BACKENDS
    )


def sso_failure_response(
    request: HttpRequest, reason: Reason, *, retry_url: str | None = None
) -> HttpResponse:
    page = FAILURE_PAGES[reason]
    if retry_url is None:
        retry_url = reverse("oidc_authentication_init") if sso_configured() else reverse("accounts:login")
    response = render(
        request,
        "accounts/sso_failed.html",
        {"failure": page, "reason": reason.value, "retry_url": retry_url},
        status=page.status,
    )
    add_never_cache_headers(response)
    return response


def sso_failed(request: HttpRequest) -> HttpResponse:
    """``LOGIN_REDIRECT_URL_FAILURE``: where the library sends a failure this module did not render itself."""
    return sso_failure_response(request, Reason.GENERIC)
