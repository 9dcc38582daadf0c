"""Public tracking of a dossier (tra cứu hồ sơ) by its code and a second factor, without signing in.

Codes are printed on receipts and follow a guessable pattern, so a code alone shows nothing: the visitor also gives
the last four digits of the applicant's phone number or personal identity number. The page then shows the status,
dates and the steps with their units, never personal data. "No such code" and "wrong digits" give the same page,
and attempts are limited per client address and per code (failures), in the shared cache.

A successful answer is kept (``page_cache``) until the dossier changes, and shown again for the same code and digits
without counting as an attempt: only someone who already gave the right digits gets it, so repeating it reveals
nothing, while the limits are still read first (an address or code over its limit gets 429 whatever it asks).
``KeptAnswerMiddleware`` serves such an answer to an anonymous visitor high in the middleware stack, in the same
single cache round trip, and leaves every other case to the view.
"""

import hmac
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from dossiers import page_cache
from dossiers.forms_tracking import TrackingForm
from dossiers.models import Dossier
from portal.http import client_address
from portal.ratelimit import counter_hit, counter_key

WINDOW_SECONDS = 10 * 60
ATTEMPTS_PER_ADDRESS = 10  # every lookup from one address
FAILURES_PER_CODE = 5  # failed lookups of one code, whoever makes them
_NO_MATCH = b"\x00" * 4
TEMPLATE = "dossiers/citizen/track.html"


def _key(kind: str, value: str) -> str:
    return counter_key(f"track:{kind}", value)


def _count(key: str) -> int:
    return counter_hit(key, WINDOW_SECONDS)


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


_CLEAN_CODE = re.compile(r"[0-9A-Z.\-]{1,40}")  # what dossier codes are made of (DOMAIN.md §4)
_CLEAN_DIGITS = re.compile(r"[0-9]{4}")


def _as_cleaned(params) -> tuple[str, str] | None:
    """The code and digits when they are already as ``TrackingForm`` cleans them (the link on a receipt, a repeated
    lookup), so the form has nothing to do; None sends anything else through the form."""
    code, factor = params.get("ma", ""), params.get("xac_thuc", "")
    if _CLEAN_CODE.fullmatch(code) and _CLEAN_DIGITS.fullmatch(factor):
        return code, factor
    return None


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        TEMPLATE,
        {
            "form": TrackingForm(initial={"ma": request.GET.get("ma", "")[:40]}),
            "error": _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.")
            % {"minutes": WINDOW_SECONDS // 60},
        },
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


@never_cache
@require_safe
def track(request: HttpRequest) -> HttpResponse:
    if "xac_thuc" not in request.GET:
        # The QR code on the receipt links here with the code alone: fill it in and ask for the digits.
        form = TrackingForm(initial={"ma": request.GET.get("ma", "")[:40]})
        return render(request, TEMPLATE, {"form": form, "asked": "ma" in request.GET})
    address_key = _key("address", client_address(request))
    lookup = _as_cleaned(request.GET)
    if lookup is None:
        form = TrackingForm(request.GET)
        if not form.is_valid():
            if cache.get(address_key, 0) >= ATTEMPTS_PER_ADDRESS:
                return _too_many(request)
            _count(address_key)
            return render(request, TEMPLATE, {"form": form, "asked": True}, status=400)
        lookup = form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]
    code, factor = lookup
    code_key = _key("code", code)
    shared = _shared(request)
    entry = _entry(code, factor)
    content, tokens, over_limit = _read_kept(entry, code, address_key, code_key)
    if over_limit:
        return _too_many(request)
    if shared and content is not None:
        return _kept_response(content)
    _count(address_key)
    response, found_it = _answer(request, code, factor, code_key)
    if shared and found_it:  # a "not found" answer is never kept: each one counts as a failure of the code
        page_cache.write(entry, tokens, response)
    return response


def _shared(request: HttpRequest) -> bool:
    """Anonymous visitors all get the same page for a code and its digits; a signed-in one has their own header."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES and settings.PORTAL_DOSSIER_PAGE_CACHE_SECONDS > 0
    )


def _entry(code: str, factor: str) -> str:
    return page_cache.entry_key("tracking", code, factor)


def _read_kept(entry: str, code: str, address_key: str, code_key: str) -> tuple[bytes | None, tuple, bool]:
    """One cache round trip: the answer kept under ``entry``, the tokens to keep a new one with, and whether the
    address or the code is over its limit."""
    scopes = [page_cache.code_scope(code), "catalog"]
    content, tokens, found = page_cache.read(entry, scopes, (address_key, code_key))
    over = found.get(address_key, 0) >= ATTEMPTS_PER_ADDRESS or found.get(code_key, 0) >= FAILURES_PER_CODE
    return content, tokens, over


def _kept_response(content: bytes) -> HttpResponse:
    response = HttpResponse(content)
    response["Content-Length"] = str(len(content))
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))  # a signed-in visitor gets another page
    return response


class KeptAnswerMiddleware:
    """Serves a kept answer to an anonymous visitor's clean lookup before the session, CSRF, authentication and
    the other middleware below it, which have nothing to do for such a request; anything else goes on as usual.

    It reads the limits with the answer, as the view does, and leaves every other case to the view: a miss, a
    visitor over a limit (429), a lookup the form has to clean. It sits below ``LocaleMiddleware`` (answers are
    kept per language) and ``XFrameOptionsMiddleware``, and sets what ``never_cache`` and ``CommonMiddleware``
    would (tests compare its headers with the view's).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths: dict[str, str] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self._kept(request) or self.get_response(request)

    def _track_path(self) -> str:
        language = get_language() or ""
        path = self._paths.get(language)
        if path is None:
            path = self._paths[language] = reverse("dossiers:track")
        return path

    def _kept(self, request: HttpRequest) -> HttpResponse | None:
        if request.method != "GET" or request.path_info != self._track_path() or not _shared(request):
            return None
        lookup = _as_cleaned(request.GET)
        if lookup is None:
            return None
        code, factor = lookup
        request.get_host()  # as CommonMiddleware would: a host not in ALLOWED_HOSTS gets 400, kept answer or not
        address_key = _key("address", client_address(request))
        content, _tokens, over_limit = _read_kept(_entry(code, factor), code, address_key, _key("code", code))
        if over_limit or content is None:
            return None
        return _kept_response(content)


def _answer(request: HttpRequest, code: str, factor: str, code_key: str) -> tuple[HttpResponse, bool]:
    dossier = (
        Dossier.objects.filter(code=code)
        .exclude(state=Dossier.State.DRAFT)
        .select_related("procedure", "receiving_agency")
        .only(
            "code",
            "state",
            "received_at",
            "due_at",
            "applicant_phone",
            "applicant_id_number",
            "procedure__name",
            "receiving_agency__name",
        )  # fmt: skip
        .first()
    )
    if not _factor_matches(dossier, factor):
        _count(code_key)
        context = {"form": TrackingForm(initial={"ma": code}), "asked": True, "not_found": True}
        return render(request, TEMPLATE, context), False
    events = dossier.events.filter(visible_to_applicant=True).select_related("agency")
    context = {"form": TrackingForm(initial={"ma": code}), "dossier": dossier, "events": events}
    return render(request, TEMPLATE, context), True
