"""The public's pages: the feedback form, the receipt, tracking (signed in, or with the code and the last four digits
of the phone given), rating the answer, and the searchable list of published answers.

Tracking answers "no such code" and "wrong digits" with the same page, and wrong answers are limited per address and
per code (as dossier tracking), so the digits cannot be guessed; the submit form is limited per address.
"""

import hmac
import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from feedback import selectors, services
from feedback.errors import FeedbackError
from feedback.forms import FeedbackForm, PublicSearchForm, RateForm, TrackingForm
from feedback.models import ANSWERED_STATES, Feedback
from portal.agencies.models import Agency
from portal.http import client_address
from portal.ratelimit import Limit, counter_hit, counter_key, counter_value

SUBMITS_PER_ADDRESS = Limit("feedback-submit", 10, 60 * 60)
TRACK_FAILURES_PER_ADDRESS = 30
TRACK_FAILURES_PER_CODE = 20
TRACK_WINDOW = 10 * 60
TRACK_CODE_WINDOW = 24 * 60 * 60
RECEIPTS_KEPT = 10
_NO_MATCH = b"\x00" * 4


def _prefill(request: HttpRequest) -> dict:
    initial = {}
    procedure = request.GET.get("thu_tuc", "")[:40]
    dossier = request.GET.get("ho_so", "")[:40]
    if re.fullmatch(r"[0-9A-Za-z.\-]{1,40}", procedure):
        initial.update(procedure_code=procedure, kind=Feedback.Kind.REGULATION)
    if re.fullmatch(r"[0-9A-Za-z.\-]{1,40}", dossier):
        initial.update(dossier_code=dossier.upper(), kind=Feedback.Kind.DOSSIER)
    user = request.user
    if user.is_authenticated:
        initial.update(sender_name=user.full_name, sender_phone=user.phone, sender_email=user.email)
    return initial


def _form_page(request, form, *, status=200, error=""):
    return render(request, "feedback/submit.html", {"form": form, "error": error}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    if request.method != "POST":
        return _form_page(request, FeedbackForm(initial=_prefill(request), signed_in=signed_in))
    address = client_address(request)
    if SUBMITS_PER_ADDRESS.exceeded(address):
        form = FeedbackForm(signed_in=signed_in)
        message = _("Có quá nhiều phản ánh gửi từ địa chỉ mạng này trong một giờ. Vui lòng thử lại sau.")
        response = _form_page(request, form, status=429, error=message)
        response["Retry-After"] = str(SUBMITS_PER_ADDRESS.window)
        return response
    SUBMITS_PER_ADDRESS.hit(address)
    form = FeedbackForm(request.POST, request.FILES, signed_in=signed_in)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        item, _created = services.feedback_submit(
            submission=form.submission(),
            user=request.user if signed_in else None,
            submit_token=form.cleaned_data.get("token"),
        )
    except FeedbackError as error:
        return _form_page(request, form, status=400, error=error.message)
    receipts = [code for code in request.session.get("feedback_receipts", []) if code != item.code]
    request.session["feedback_receipts"] = [item.code, *receipts][:RECEIPTS_KEPT]
    return redirect("feedback:receipt", code=item.code)


@never_cache
@require_safe
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The code on receipt: shown only in the session that sent it (a code alone tells nothing to anyone else)."""
    if code not in request.session.get("feedback_receipts", []):
        raise Http404("Không tìm thấy phản ánh")
    item = (
        Feedback.objects.filter(code=code).only("code", "sender_phone", "routing_due_at", "sender_id").first()
    )
    if item is None:
        raise Http404("Không tìm thấy phản ánh")
    return render(request, "feedback/receipt.html", {"item": item})


# --- tracking --------------------------------------------------------------------------------------------------------


def _last4(value: str) -> bytes:
    digits = re.sub(r"\D", "", value or "")
    return digits[-4:].encode() if len(digits) >= 4 else _NO_MATCH


def _matches(item: Feedback | None, digits: str) -> bool:
    """Always one constant-time comparison, whether or not the item exists."""
    same = hmac.compare_digest(_last4(item.sender_phone) if item else _NO_MATCH, digits.encode())
    return item is not None and same


def _track_keys(code: str, address: str) -> tuple[str, str]:
    return counter_key("feedback-track:address", address), counter_key("feedback-track:code", code)


def _track_lookup(request: HttpRequest, form: TrackingForm):
    """(item, None) for a right answer; (None, response) for a wrong one or a visitor over a limit."""
    code, digits = form.cleaned_data["ma"], form.cleaned_data["xac_thuc"]
    by_address, by_code = _track_keys(code, client_address(request))
    if (
        counter_value(by_address) >= TRACK_FAILURES_PER_ADDRESS
        or counter_value(by_code) >= TRACK_FAILURES_PER_CODE
    ):
        message = _("Đã nhập sai quá nhiều lần. Vui lòng chờ ít phút rồi thử lại.")
        response = render(request, "feedback/track.html", {"form": form, "error": message}, status=429)
        response["Retry-After"] = str(TRACK_WINDOW)
        return None, response
    item = selectors.feedback_find_for_tracking(code)
    if not _matches(item, digits):
        counter_hit(by_address, TRACK_WINDOW)
        counter_hit(by_code, TRACK_CODE_WINDOW)
        message = _(
            "Không tìm thấy phản ánh với mã và 4 chữ số này. Kiểm tra lại mã và số điện thoại đã khai."
        )
        return None, render(request, "feedback/track.html", {"form": form, "error": message}, status=404)
    return item, None


def _item_context(item: Feedback, *, rate_form=None) -> dict:
    rateable = item.state in ANSWERED_STATES and item.rated_at is None
    return {
        "item": item,
        "events": selectors.feedback_events_for_sender(item),
        "rate_form": (rate_form or RateForm()) if rateable else None,
        "reopen_possible": item.reopened_at is None,
    }


@never_cache
@require_safe
def track(request: HttpRequest) -> HttpResponse:
    if "ma" not in request.GET:
        return render(request, "feedback/track.html", {"form": TrackingForm(initial={"ma": ""})})
    form = TrackingForm(request.GET)
    if not form.is_valid():
        return render(request, "feedback/track.html", {"form": form}, status=400)
    item, refused = _track_lookup(request, form)
    if refused:
        return refused
    context = {"form": form, **_item_context(item), "digits": form.cleaned_data["xac_thuc"]}
    response = render(request, "feedback/track.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_POST
def track_rate(request: HttpRequest) -> HttpResponse:
    """Rating from the tracking page: the code and digits come again with it and are checked again."""
    form = TrackingForm(request.POST)
    if not form.is_valid():
        return render(request, "feedback/track.html", {"form": form}, status=400)
    item, refused = _track_lookup(request, form)
    if refused:
        return refused
    return _rate(request, item, context={"form": form, "digits": form.cleaned_data["xac_thuc"]})


def _rate(request: HttpRequest, item: Feedback, *, context: dict) -> HttpResponse:
    template = context.pop("template", "feedback/track.html")
    rate_form = RateForm(request.POST)
    if rate_form.is_valid():
        try:
            item = services.feedback_rate(
                feedback=item,
                satisfied=rate_form.cleaned_data["satisfied"],
                reason=rate_form.cleaned_data["reason"],
            )
        except FeedbackError as error:
            return render(
                request, template, {**context, **_item_context(item), "error": error.message}, status=400
            )
        notice = _("Cảm ơn anh/chị đã đánh giá.")
        if item.state == Feedback.State.REOPENED:
            notice = _("Phản ánh đã được mở lại để cơ quan xem xét và trả lời lại.")
        return render(request, template, {**context, **_item_context(item), "notice": notice})
    page = {**context, **_item_context(item, rate_form=rate_form), "rate_errors": True}
    return render(request, template, page, status=400)


# --- a signed-in sender's own items ----------------------------------------------------------------------------------


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    page = selectors.page_of(selectors.feedback_of_sender(request.user), request.GET.get("page", 1))
    return render(request, "feedback/mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mine_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.feedback_get_for_sender(user=request.user, code=code)
    if request.method == "POST":
        return _rate(request, item, context={"template": "feedback/mine_detail.html"})
    return render(request, "feedback/mine_detail.html", _item_context(item))


# --- published answers -----------------------------------------------------------------------------------------------


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    form = PublicSearchForm(request.GET or None)
    filters = selectors.PublicFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = selectors.PublicFilters(
                q=data["q"].strip(),
                agency=data["agency"],
                field=data["field"],
                procedure=data["procedure"].strip(),
                start=data["tu_ngay"],
                end=data["den_ngay"],
            )
        else:
            status = 400
    page = (
        selectors.page_of(selectors.published_list(filters), request.GET.get("page", 1))
        if status == 200
        else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "excerpt_chars": selectors.EXCERPT_CHARS,
    }
    return render(request, "feedback/public_list.html", context, status=status)


@require_safe
def public_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "feedback/public_detail.html", {"item": selectors.published_get(code)})


@require_safe
def complaints(request: HttpRequest) -> HttpResponse:
    """Where complaints and denunciations go (other laws than feedback): the provincial inspectorate's page."""
    code = getattr(settings, "FEEDBACK_COMPLAINTS_AGENCY_CODE", "000.00.14.H01")
    agency = Agency.objects.filter(code=code, is_active=True).first()
    return render(request, "feedback/complaints.html", {"agency": agency})
