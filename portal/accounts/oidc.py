"""Single sign-on through the national public-service portal (DVCQG, VNeID) over OpenID Connect.

mozilla-django-oidc runs the authorization-code flow: state, nonce and PKCE, a timeout on every call to the provider
(the OIDC section of ``portal/settings.py``). This module adds what the national portal needs:

- ``NationalSSOBackend`` matches users on the provider's issuer and subject, or on the ``TechID`` claim when the
  provider sends it, through ``ExternalIdentity``; never on e-mail. It also checks what the library leaves out of
  the ID token: the audience, the issuer, the expiry.
- ``CLAIM_MAP``: the one place that says which claim fills which profile field and how its value is checked.
- ``SSOAuthenticateView`` and ``SSOCallbackView`` (the library's views, named by ``OIDC_AUTHENTICATE_CLASS`` and
  ``OIDC_CALLBACK_CLASS``): linking an identity to the signed-in user, and one friendly page with a status code
  for every way a callback can fail (stale or replayed state, provider error, bad token, provider down or slow).
- ``logout_url``: RP-initiated logout at the provider (``OIDC_OP_LOGOUT_URL_METHOD``).

Personal id numbers never reach a log line: only claim names and reasons are logged.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import BaseUserManager
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from portal.accounts import services
from portal.accounts.backends import ActiveUserMixin
from portal.accounts.landing import landing_url
from portal.accounts.models import User
from portal.audit import log as audit
from portal.http import client_address

logger = logging.getLogger("portal.accounts.sso")
security_log = logging.getLogger("portal.security")

BACKEND_PATH = "portal.accounts.oidc.NationalSSOBackend"
# How long the provider's key set is kept (shared cache) before it is fetched again; an unknown kid fetches it sooner.
JWKS_CACHE_SECONDS = 300
MAX_KEY_LENGTH = 255  # issuer, subject and TechID columns


# --- Failures ------------------------------------------------------------------------------------------------------


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


# --- Claims --------------------------------------------------------------------------------------------------------


def _as_text(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return " ".join(value.split())
    return None


def _clean_key(value: object) -> str | None:
    text = _as_text(value)
    if text and len(text) > MAX_KEY_LENGTH:
        # The key cannot be shortened without risking two people sharing it: refuse the sign-in instead.
        raise SSOFailure(Reason.TOKEN_REJECTED, "TechID longer than 255 characters")
    return text or None


def _clean_name(value: object) -> str | None:
    text = _as_text(value)
    return text[: User._meta.get_field("full_name").max_length] if text else None


def _clean_personal_id(value: object) -> str | None:
    text = _as_text(value)
    return text if text and re.fullmatch(r"[0-9]{12}", text) else None


_BIRTH_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y%m%d", "%d%m%Y")


def _clean_birth_date(value: object) -> datetime.date | None:
    text = _as_text(value)
    if not text or len(text) > 10:
        return None
    for fmt in _BIRTH_DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if datetime.date(1900, 1, 1) <= day <= timezone.localdate():
            return day
    return None


def _clean_email(value: object) -> str | None:
    text = _as_text(value)
    if not text or len(text) > User._meta.get_field("email").max_length:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return BaseUserManager.normalize_email(text)


def _clean_phone(value: object) -> str | None:
    text = _as_text(value)
    if not text:
        return None
    digits = re.sub(r"[\s.()-]", "", text)
    return digits if re.fullmatch(r"\+?[0-9]{8,15}", digits) else None


def _clean_is_organisation(value: object) -> bool | None:
    text = _as_text(value)
    return None if text is None else text != "1"  # LoaiTaiKhoan: 1 citizen, anything else an organisation


# Profile field: (the claims that may carry it, first usable one wins; how a value is checked). National claim names
# come first, standard OIDC ones after. A checker returns None for a value it cannot use: the claim is then dropped
# with a log line that names the claim, never its value, and the sign-in goes on.
CLAIM_MAP: dict[str, tuple[tuple[str, ...], Callable[[object], object]]] = {
    "tech_id": (("TechID",), _clean_key),
    "full_name": (("HoVaTen", "name"), _clean_name),
    "personal_id": (("SoDinhDanh",), _clean_personal_id),
    "birth_date": (("NgayThangNamSinh", "birthdate"), _clean_birth_date),
    "email": (("ThuDienTu", "email"), _clean_email),
    "phone": (("SoDienThoai", "phone_number"), _clean_phone),
    "is_organisation": (("LoaiTaiKhoan",), _clean_is_organisation),
}

# Kept out of the identity's claims snapshot: the personal id (stored on the user, validated) and the token's own
# bookkeeping.
SNAPSHOT_OMIT = frozenset(
    {"SoDinhDanh", "aud", "azp", "exp", "iat", "nbf", "auth_time", "nonce", "at_hash", "sid", "jti"}
)
SNAPSHOT_MAX_KEYS = 40
SNAPSHOT_MAX_TEXT = 255


@dataclass(frozen=True)
class SSOProfile:
    """What the portal keeps from the provider's claims, every value already checked."""

    tech_id: str = ""
    full_name: str = ""
    personal_id: str = ""
    birth_date: datetime.date | None = None
    email: str = ""
    phone: str = ""
    is_organisation: bool = False


def profile_from_claims(claims: dict) -> SSOProfile:
    values: dict[str, object] = {}
    for field, (names, clean) in CLAIM_MAP.items():
        for name in names:
            raw = claims.get(name)
            if raw is None or raw == "":
                continue
            value = clean(raw)
            if value is None:
                logger.warning("SSO claim %s dropped: its value is not usable for %s", name, field)
                continue
            if field == "full_name" and len(value) < len(_as_text(raw)):
                logger.info("SSO claim %s shortened to %d characters", name, len(value))
            values[field] = value
            break
    return SSOProfile(**values)


def claims_snapshot(claims: dict) -> dict:
    """The claims as received, for support staff, without the personal id and with every value kept short."""

    def short(value):
        if isinstance(value, str):
            return value[:SNAPSHOT_MAX_TEXT]
        if value is None or isinstance(value, bool | int | float):
            return value
        if isinstance(value, list):
            return [short(item) for item in value[:10] if not isinstance(item, dict | list)]
        return None

    snapshot = {}
    for key, value in claims.items():
        if len(snapshot) >= SNAPSHOT_MAX_KEYS:
            break
        if (
            isinstance(key, str)
            and len(key) <= 64
            and key not in SNAPSHOT_OMIT
            and not isinstance(value, dict)
        ):
            snapshot[key] = short(value)
    return snapshot


# --- Backend -------------------------------------------------------------------------------------------------------


@contextmanager
def _provider_call(step: str) -> Iterator[None]:
    """Turn what can go wrong in one HTTP call to the provider into an ``SSOFailure``."""
    try:
        yield
    except requests.Timeout as exc:
        raise SSOFailure(Reason.TIMEOUT, f"{step}: no answer within OIDC_TIMEOUT") from exc
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else 0
        # 4xx: the provider refused what we sent (a used or foreign code, a PKCE mismatch), 5xx: it is broken.
        reason = Reason.TOKEN_REJECTED if 400 <= status < 500 else Reason.UNAVAILABLE
        raise SSOFailure(reason, f"{step}: HTTP {status}") from exc
    except requests.RequestException as exc:  # connection refused, reset, invalid JSON…
        raise SSOFailure(Reason.UNAVAILABLE, f"{step}: {type(exc).__name__}") from exc


def _matching_jwk(key_set: dict, header: dict) -> dict | None:
    """The key of ``key_set`` for the token ``header`` (its ``kid``, and its ``alg`` when the key names one), as
    the library matches it."""
    verify_kid, kid = getattr(settings, "OIDC_VERIFY_KID", True), header.get("kid")
    match = None
    for jwk in key_set["keys"]:
        if not isinstance(jwk, dict):
            continue
        if verify_kid and (kid is None or jwk.get("kid") != str(kid)):
            continue
        if "alg" in jwk and jwk["alg"] != str(header.get("alg")):
            continue
        match = jwk
    return match


class NationalSSOBackend(ActiveUserMixin, OIDCAuthenticationBackend):
    """Sign-in through the national portal's OpenID provider, keyed on issuer and subject (or TechID)."""

    def get_token(self, payload):
        with _provider_call("token"):
            token_info = super().get_token(payload)
        if not isinstance(token_info, dict):
            raise SSOFailure(Reason.UNAVAILABLE, "token: the answer is not a JSON object")
        return token_info

    def retrieve_matching_jwk(self, token):
        """The provider's key that signed ``token``, from the key set kept in the cache for ``JWKS_CACHE_SECONDS``
        (the library fetches it on every callback). A ``kid`` the kept set lacks may be a key the provider has
        rotated in since: the set is fetched again, once, before the token is refused."""
        header = jwt.get_unverified_header(token)
        key_set, fresh = cache.get(self._jwks_cache_key()), False
        if key_set is None:
            key_set, fresh = self._jwks_fetch(), True
        key = _matching_jwk(key_set, header)
        if key is None and not fresh:
            key = _matching_jwk(self._jwks_fetch(), header)
        if key is None:
            raise SuspiciousOperation("Could not find a valid JWKS.")
        return jwt.PyJWK(key)

    def _jwks_cache_key(self) -> str:
        return "oidc-jwks:" + hashlib.sha256(self.OIDC_OP_JWKS_ENDPOINT.encode()).hexdigest()

    def _jwks_fetch(self) -> dict:
        with _provider_call("jwks"):
            response = requests.get(
                self.OIDC_OP_JWKS_ENDPOINT,
                verify=self.get_settings("OIDC_VERIFY_SSL", True),
                timeout=self.get_settings("OIDC_TIMEOUT", None),
                proxies=self.get_settings("OIDC_PROXY", None),
            )
            response.raise_for_status()
            key_set = response.json()
        if not (isinstance(key_set, dict) and isinstance(key_set.get("keys"), list)):
            raise SSOFailure(Reason.UNAVAILABLE, "jwks: the answer is not a key set")
        cache.set(self._jwks_cache_key(), key_set, JWKS_CACHE_SECONDS)
        return key_set

    def get_userinfo(self, access_token, id_token, payload):
        with _provider_call("userinfo"):
            return super().get_userinfo(access_token, id_token, payload)

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or token.count(".") != 2:
            raise SSOFailure(Reason.TOKEN_REJECTED, "no signed ID token in the token response")
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:  # nonce mismatch, no matching key, bad signature
            raise SSOFailure(Reason.TOKEN_REJECTED, str(exc)) from exc
        except (jwt.PyJWTError, KeyError) as exc:  # a header without kid, a malformed token
            raise SSOFailure(Reason.TOKEN_REJECTED, type(exc).__name__) from exc

    def _verify_jws(self, payload, key):
        """The library checks the signature only; the audience, the issuer and the expiry are checked here too."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
        except jwt.PyJWTError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "malformed token header") from exc
        if algorithm != self.OIDC_RP_SIGN_ALGO:
            raise SSOFailure(
                Reason.TOKEN_REJECTED, f"token signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO}"
            )
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_OP_ISSUER", "") or None,
                leeway=self.get_settings("OIDC_CLOCK_LEEWAY", 30),
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token for another audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token from another issuer") from exc
        except jwt.PyJWTError as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, f"token refused: {type(exc).__name__}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SSOFailure(Reason.TOKEN_REJECTED, "token for several audiences, authorised party is not us")
        return claims

    def filter_users_by_claims(self, claims):
        # The library matches on e-mail; this portal never does (an e-mail address is no proof of identity here).
        return self.UserModel.objects.none()

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(userinfo, dict):
            raise SSOFailure(Reason.UNAVAILABLE, "userinfo: the answer is not a JSON object")
        issuer, subject = payload.get("iss"), payload.get("sub")
        for name, value in (("iss", issuer), ("sub", subject)):
            if not isinstance(value, str) or not value or len(value) > MAX_KEY_LENGTH:
                raise SSOFailure(Reason.TOKEN_REJECTED, f"unusable {name} claim")
        if userinfo.get("sub") != subject:
            raise SSOFailure(Reason.TOKEN_REJECTED, "userinfo is about another subject than the ID token")
        # Userinfo is fresher for the profile; the token's iss and sub are the verified key.
        claims = {**payload, **userinfo, "iss": issuer, "sub": subject}
        profile = profile_from_claims(claims)
        snapshot = claims_snapshot(claims)
        link_user = getattr(self.request, "sso_link_user", None)
        try:
            if link_user is not None:
                services.external_identity_link(
                    user=link_user, issuer=issuer, subject=subject, profile=profile, claims=snapshot
                )
                audit.sso_linked(self.request, link_user, issuer)
                link_user.refresh_from_db()
                return link_user
            return services.external_identity_sign_in(
                issuer=issuer, subject=subject, profile=profile, claims=snapshot
            )
        except services.IdentityTaken as exc:
            raise SSOFailure(Reason.IDENTITY_TAKEN, str(exc)) from exc
        except services.AlreadyLinked as exc:
            raise SSOFailure(Reason.ALREADY_LINKED, str(exc)) from exc
        except services.IdentityConflict as exc:
            raise SSOFailure(Reason.TOKEN_REJECTED, str(exc)) from exc


# --- Views ---------------------------------------------------------------------------------------------------------


def log_sso_signed_in(request: HttpRequest, user: User) -> None:
    security_log.info("event=sso_sign_in user=%s ip=%s", user.pk, client_address(request))


def log_sso_linked(request: HttpRequest, user: User) -> None:
    security_log.info("event=sso_link user=%s ip=%s", user.pk, client_address(request))


def log_sso_failed(request: HttpRequest, reason: Reason, detail: str) -> None:
    user = request.user.pk if request.user.is_authenticated else "-"
    security_log.warning(
        "event=sso_failure reason=%s detail=%s user=%s ip=%s",
        reason.value,
        detail[:200],
        user,
        client_address(request),
    )


class SSOAuthenticateView(OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: off when SSO is not configured; can mark a flow as linking the signed-in user."""

    def get(self, request):
        if not sso_configured():
            return sso_failure_response(request, Reason.NOT_CONFIGURED)
        return self.start(request)

    def start(self, request: HttpRequest, *, link_user: User | None = None) -> HttpResponse:
        response = super().get(request)
        if link_user is not None:
            # The state entry is this flow's own record (the library keeps one per state), so a second tab that signs
            # in at the same time is not mistaken for the link.
            state = parse_qs(urlsplit(response.url).query)["state"][0]
            request.session["oidc_states"][state]["link_user_id"] = link_user.pk
            request.session["oidc_login_next"] = reverse("accounts:identities")
            request.session.modified = True
        return response


def sso_link_start(request: HttpRequest) -> HttpResponse:
    """Send the signed-in user to the provider; the identity that comes back is attached to them."""
    if not sso_configured():
        return sso_failure_response(request, Reason.NOT_CONFIGURED)
    view = SSOAuthenticateView()
    view.setup(request)
    return view.start(request, link_user=request.user)


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: every failure ends on a friendly page with a status code, never an error trace."""

    link_user_id: int | None = None

    @property
    def success_url(self) -> str:
        # The ``next`` the sign-on started with (checked when it was stored), else where this user works.
        return self.request.session.get("oidc_login_next") or landing_url(self.request.user)

    def get(self, request):
        if not sso_configured():
            return sso_failure_response(request, Reason.NOT_CONFIGURED)
        state = request.GET.get("state")
        states = request.session.get("oidc_states")
        flow = states.get(state) if isinstance(states, dict) and isinstance(state, str) else None
        if not isinstance(flow, dict):
            return self.fail(Reason.STALE, "no flow of this session has that state")
        self.link_user_id = flow.get("link_user_id")
        if request.GET.get("error") or not request.GET.get("code"):
            # Forget the state so that the same answer cannot be played again.
            del states[state]
            request.session.modified = True
            if request.GET.get("error"):
                code = re.sub(r"[^a-z_]", "", str(request.GET["error"])[:64])
                return self.fail(Reason.PROVIDER_REFUSED, f"provider error {code}")
            return self.fail(Reason.STALE, "callback without a code")
        if self.link_user_id is not None:
            if request.user.pk != self.link_user_id:
                del states[state]
                request.session.modified = True
                return self.fail(Reason.STALE, "the user who started linking is no longer signed in")
            request.sso_link_user = request.user
        try:
            return super().get(request)
        except SSOFailure as failure:
            return self.fail(failure.reason, failure.detail)
        except SuspiciousOperation as exc:
            return self.fail(Reason.TOKEN_REJECTED, str(exc))

    def login_failure(self):
        user = getattr(self, "user", None)
        if user is not None and not user.is_active:
            return self.fail(Reason.INACTIVE, "account is inactive")
        return self.fail(Reason.TOKEN_REJECTED, "the backend returned no user")

    def login_success(self):
        response = super().login_success()
        if self.link_user_id is not None:
            log_sso_linked(self.request, self.user)
            messages.success(
                self.request, _("Đã liên kết tài khoản định danh quốc gia với tài khoản của bạn.")
            )
        else:
            log_sso_signed_in(self.request, self.user)
        return response

    def fail(self, reason: Reason, detail: str) -> HttpResponse:
        log_sso_failed(self.request, reason, detail)
        retry_url = reverse("accounts:identities") if self.link_user_id is not None else None
        return sso_failure_response(self.request, reason, retry_url=retry_url)


def provider_logout_url(request: HttpRequest) -> str | None:
    """The provider's end-session URL for this session, or None when there is none to end there."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (endpoint and id_token):
        return None
    # The address the provider returns to must match what is registered there, whatever language the page is in.
    with translation.override(settings.LANGUAGE_CODE):
        after = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": after,
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return f"{endpoint}?{query}"


def logout_url(request: HttpRequest) -> str:
    """``OIDC_OP_LOGOUT_URL_METHOD``: where ``/oidc/logout/`` sends the user after ending the local session."""
    return provider_logout_url(request) or resolve_url(settings.LOGOUT_REDIRECT_URL)
