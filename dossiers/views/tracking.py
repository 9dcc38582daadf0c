"""Public tracking of a dossier (tra cứu hồ sơ) without signing in: by its signed link, or by its code and a second
factor.

The receipt's QR code and printed address are a **signed link** (``dossiers.pdf.qr.tracking_url``): it opens the
dossier's tracking summary at once, without digits and without any limit, since nobody can make one for a code they
guessed. Typed in, a code alone shows nothing: the visitor also gives the last four digits of the applicant's phone
number or personal identity number. The summary shows the status, dates and the steps with their units, never
personal data. "No such code" and "wrong digits" give the same page.

Wrong answers are limited so that guessing the digits stays slow, while nobody can lock the owner out:

- per address, a generous number of wrong answers (a one-stop centre puts many citizens behind one NAT address);
- per code and address, a few; per code from anywhere, a few more a day (a guesser spreading over many addresses);
- a correct answer sets a signed cookie on that device (``tra_cuu``, a keyed tag of the code and digits, never the
  digits themselves). From then on that device's correct answer is checked *before* any limit and never refused,
  whatever others have tried; any other answer from it goes through the limits as from anyone.

The limits are read first, in one cache round trip, for a device without the cookie (a visitor over a limit gets
429 whatever it asks). A right answer given to an anonymous visitor is then kept through the one versioned-key
mechanism (``portal.cache``) under the code, the digits and the language, while the dossier (``signals.py`` bumps
``dossier:<code>``), the catalogue and the agencies are unchanged: asked again, it is shown without counting as an
attempt (only someone who gave the right digits gets it). Signed-in visitors get a page rendered for them.
"""

import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dossiers import selectors
from dossiers.forms.tracking import TrackingForm
from dossiers.models import Dossier
from dossiers.pdf.qr import tracking_link_valid
from dossiers.signals import answer_namespaces
from portal import cache as versioned
from portal.http import client_address
from portal.ratelimit import counter_hit, counter_key, counter_value

WINDOW_SECONDS = 10 * 60
FAILURES_PER_ADDRESS = (
    50  # wrong answers from one address, whatever the code (one NAT address, many citizens)
)
FAILURES_PER_CODE_AND_ADDRESS = 5  # wrong answers for one code from one address
CODE_WINDOW_SECONDS = 24 * 60 * 60
FAILURES_PER_CODE = 20  # wrong answers for one code from anywhere in a day (a guesser with many addresses)

OWNER_COOKIE = "tra_cuu"
OWNER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
OWNER_ANSWERS_KEPT = 10  # codes one device remembers (a family, a service agent)
_OWNER_SALT = "dossiers.tracking.owner"

_NO_MATCH = b"\x00" * 4
TEMPLATE = "dossiers/citizen/track.html"


def _key(kind: str, value: str) -> str:
    return counter_key(f"track:{kind}", value)


@dataclass(frozen=True)
class Counters:
    """The wrong-answer counters a lookup of one code from one address is held to."""

    address: str
    code_address: str
    code: str

    @classmethod
    def of(cls, code: str, address: str) -> "Counters":
        return cls(_key("address", address), _key("code-address", f"{code}|{address}"), _key("code", code))

    def keys(self) -> tuple[str, str, str]:
        return (self.address, self.code_address, self.code)

    def wait(self, found: dict) -> int:
        """Seconds to wait before asking again when a counter in ``found`` is at its limit; 0 otherwise."""
        if found.get(self.code, 0) >= FAILURES_PER_CODE:
            return CODE_WINDOW_SECONDS
        if (
            found.get(self.address, 0) >= FAILURES_PER_ADDRESS
            or found.get(self.code_address, 0) >= FAILURES_PER_CODE_AND_ADDRESS
        ):
            return WINDOW_SECONDS
        return 0

    def count_failure(self) -> None:
        counter_hit(self.address, WINDOW_SECONDS)
        counter_hit(self.code_address, WINDOW_SECONDS)
        counter_hit(self.code, CODE_WINDOW_SECONDS)


def versioned_answer_key(code: str, factor: str) -> str:
    """Where the answer for a code and its right digits is kept, per language (the digits are hashed with the
    secret key: the cache never holds them)."""
    tag = salted_hmac(_OWNER_SALT, f"{code}|{factor}", algorithm="sha256").hexdigest()[:32]
    return f"tracking:{get_language()}:{tag}"


def _last4(value: str) -> bytes:
    digits = re.sub(r"\D", "", value or "")
    return digits[-4:].encode() if len(digits) >= 4 else _NO_MATCH


def _factor_matches(dossier: Dossier | None, factor: str) -> bool:
    """Both comparisons always run, in constant time, whether or not the dossier exists."""
    given = factor.encode()
    phone = _last4(dossier.applicant_phone) if dossier else _NO_MATCH
    id_number = _last4(dossier.applicant_id_number) if dossier else _NO_MATCH
    by_phone = hmac.compare_digest(phone, given)
    by_id = hmac.compare_digest(id_number, given)
    return dossier is not None and (by_phone | by_id)


_CLEAN_CODE = re.compile(r"[0-9A-Z.\-]{1,40}")  # what dossier codes are made of (Circular 01/2018, art. 19)
_CLEAN_DIGITS = re.compile(r"[0-9]{4}")


def _as_cleaned(params) -> tuple[str, str] | None:
    """The code and digits when they are already as ``TrackingForm`` cleans them (a repeated lookup), so the form
    has nothing to do; None sends anything else through the form."""
    code, factor = params.get("ma", ""), params.get("xac_thuc", "")
    if _CLEAN_CODE.fullmatch(code) and _CLEAN_DIGITS.fullmatch(factor):
        return code, factor
    return None


# --- the owner's device -----------------------------------------------------------------------------------------


def _answer_tag(code: str, factor: str) -> str:
    """A keyed tag of a correct answer: proves the device gave it, without the digits (the cookie can be read on a
    shared computer) and without a way to test digits against it (the key is the secret key)."""
    return salted_hmac(_OWNER_SALT, f"{code}|{factor}", algorithm="sha256").hexdigest()[:20]


def _owner_tags(request: HttpRequest) -> list[str]:
    if OWNER_COOKIE not in request.COOKIES:
        return []
    value = request.get_signed_cookie(OWNER_COOKIE, "", salt=_OWNER_SALT, max_age=OWNER_COOKIE_MAX_AGE)
    return value.split("|") if value else []


def _is_owner(request: HttpRequest, code: str, factor: str) -> bool:
    """Whether this device has given this very answer correctly before."""
    tags = _owner_tags(request)
    return bool(tags) and _answer_tag(code, factor) in tags


def _remember_owner(request: HttpRequest, response: HttpResponse, code: str, factor: str) -> None:
    tag = _answer_tag(code, factor)
    kept = [t for t in _owner_tags(request) if t != tag][-(OWNER_ANSWERS_KEPT - 1) :]
    response.set_signed_cookie(
        OWNER_COOKIE,
        "|".join([*kept, tag]),
        salt=_OWNER_SALT,
        max_age=OWNER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# --- pages ------------------------------------------------------------------------------------------------------


def _wait_text(seconds: int) -> str:
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("%(hours)s giờ", "%(hours)s giờ", hours) % {"hours": hours}
    minutes = seconds // 60
    return ngettext("%(minutes)s phút", "%(minutes)s phút", minutes) % {"minutes": minutes}


def _too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    message = _(
        "Đã có quá nhiều lần nhập sai cho mã hồ sơ này hoặc từ mạng của bạn. Vui lòng thử lại sau %(wait)s. "
        "Người nộp hồ sơ có thể mở ngay bằng mã QR hoặc đường dẫn in trên giấy tiếp nhận, "
        "hoặc đăng nhập để xem hồ sơ của mình."
    ) % {"wait": _wait_text(seconds)}
    context = {"form": TrackingForm(initial={"ma": request.GET.get("ma", "")[:40]}), "error": message}
    response = render(request, TEMPLATE, context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _not_found(request: HttpRequest, code: str, status: int = 200) -> HttpResponse:
    message = _("Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 chữ số xác thực đã nhập. Vui lòng kiểm tra lại.")
    context = {"form": TrackingForm(initial={"ma": code}), "error": message}
    return render(request, TEMPLATE, context, status=status)


def _summary(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    context = {
        "form": TrackingForm(initial={"ma": dossier.code}),
        "dossier": dossier,
        "events": selectors.tracked_events(dossier),
    }
    return render(request, TEMPLATE, context)


@never_cache
@require_safe
def track(request: HttpRequest) -> HttpResponse:
    if "xac_thuc" not in request.GET:
        # A code alone (an older receipt's QR code, a link from "my dossiers"): fill it in and ask for the digits.
        form = TrackingForm(initial={"ma": request.GET.get("ma", "")[:40]})
        return render(request, TEMPLATE, {"form": form})
    address = client_address(request)
    lookup = _as_cleaned(request.GET)
    if lookup is None:
        form = TrackingForm(request.GET)
        if not form.is_valid():
            address_key = _key("address", address)
            if counter_value(address_key) >= FAILURES_PER_ADDRESS:
                return _too_many(request, WINDOW_SECONDS)
            counter_hit(address_key, WINDOW_SECONDS)
            return render(request, TEMPLATE, {"form": form}, status=400)
        lookup = form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]
    code, factor = lookup
    counters = Counters.of(code, address)
    owner = _is_owner(request, code, factor)
    # The owner's device gets its answer checked before any limit; anyone else is held to them first.
    wait = 0 if owner else counters.wait(cache.get_many(counters.keys()))
    if wait:
        return _too_many(request, wait)
    # Kept for anonymous visitors only: a signed-in visitor's header is their own.
    shared = settings.PORTAL_PAGE_CACHE_SECONDS > 0 and settings.SESSION_COOKIE_NAME not in request.COOKIES
    entry = versioned_answer_key(code, factor)
    kept, stamp = versioned.lookup(entry, answer_namespaces(code)) if shared else (None, ())
    if kept is not None:
        response = HttpResponse(kept)
        patch_vary_headers(response, ("Cookie",))
    else:
        dossier = selectors.dossier_tracked(code)
        if not _factor_matches(dossier, factor):
            counters.count_failure()
            return _not_found(request, code)
        response = _summary(request, dossier)
        if shared:
            versioned.store(entry, stamp, response.content, settings.PORTAL_PAGE_CACHE_SECONDS)
    if not owner:
        _remember_owner(request, response, code, factor)
    return response


@never_cache
@require_safe
def track_link(request: HttpRequest, code: str, signature: str) -> HttpResponse:
    """The signed link printed on the forms: the tracking summary without the digits and without limits (a
    signature cannot be guessed). A link whose signature does not match gets the form and a 404."""
    if not tracking_link_valid(code, signature):
        message = _(
            "Đường dẫn tra cứu không đúng. Hãy quét lại mã QR trên giấy tiếp nhận, hoặc nhập mã hồ sơ và "
            "4 chữ số xác thực."
        )
        context = {"form": TrackingForm(initial={"ma": code[:40]}), "error": message}
        return render(request, TEMPLATE, context, status=404)
    dossier = selectors.dossier_tracked(code)
    if dossier is None:  # signed, then the dossier was deleted
        return _not_found(request, code, status=404)
    return _summary(request, dossier)
