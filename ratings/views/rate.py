"""Rating a returned dossier: from the applicant's dossier page (signed in), from the signed link in the return
e-mail (no sign-in), or at the counter on a kiosk page an officer opens for a dossier of their agency. Posting is
limited per address; every refusal is a page saying why, with nothing written."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dossiers import selectors as dossier_selectors
from portal.http import client_address
from portal.ratelimit import Limit
from ratings import selectors
from ratings.errors import RatingError
from ratings.forms import RatingForm
from ratings.links import rating_link_read
from ratings.models import Rating, RatingLinkUse
from ratings.services import rating_record

POSTS_PER_ADDRESS = Limit("rating-post", 20, 60 * 60)


def _initial(rating: Rating | None) -> dict:
    if rating is None:
        return {}
    return {"i1": rating.i1, "i3": rating.i3, "i4": rating.i4, "i7": rating.i7, "comment": rating.comment}


def _page(request, *, dossier, form, status=200, error="", kiosk=False):
    context = {"dossier": dossier, "form": form, "error": error, "kiosk": kiosk}
    return render(request, "ratings/rate.html", context, status=status)


def _refusal(request, message: str, status: int) -> HttpResponse:
    return render(request, "ratings/refused.html", {"message": message}, status=status)


def _handle(request, *, dossier_id: int, source: str, user=None, nonce=None, kiosk=False, done_url: str):
    dossier = dossier_selectors.dossier_label(dossier_id)
    if dossier is None:
        raise Http404
    existing = selectors.rating_of(dossier_id)
    if request.method != "POST":
        if dossier["state"] != "returned":
            return _refusal(request, _("Hồ sơ chưa được trả kết quả nên chưa thể đánh giá."), 409)
        if existing is not None and not selectors.rating_changeable(existing):
            message = _("Hồ sơ này đã được đánh giá; đánh giá chỉ sửa được trong 24 giờ sau khi gửi.")
            return _refusal(request, message, 409)
        # Only the signed-in applicant sees their earlier answers; a link or a kiosk starts empty.
        initial = _initial(existing) if source == Rating.Source.PORTAL else {}
        return _page(request, dossier=dossier, form=RatingForm(initial=initial), kiosk=kiosk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, dossier=dossier, form=form, status=400, kiosk=kiosk)
    try:
        rating_record(
            dossier_id=dossier_id, answers=form.answers(), source=source, user=user, link_nonce=nonce
        )
    except RatingError as error:
        if error.status in (404, 409, 410):
            return _refusal(request, error.message, error.status)
        return _page(
            request, dossier=dossier, form=form, status=error.status, error=error.message, kiosk=kiosk
        )
    return redirect(done_url)


def limited(view):
    """Every rating POST counts against its address, whatever comes of it, before anything else is looked at."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            address = client_address(request)
            if POSTS_PER_ADDRESS.exceeded(address):
                message = _(
                    "Có quá nhiều đánh giá gửi từ địa chỉ mạng này trong một giờ. Vui lòng thử lại sau."
                )
                response = _refusal(request, message, 429)
                response["Retry-After"] = str(POSTS_PER_ADDRESS.window)
                return response
            POSTS_PER_ADDRESS.hit(address)
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@limited
@login_required
def rate_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own dossier, signed in: rate it, or change the rating within 24 hours."""
    if not dossier_selectors.dossier_is_applicants(dossier_id=pk, user=request.user):
        raise Http404
    return _handle(
        request,
        dossier_id=pk,
        source=Rating.Source.PORTAL,
        user=request.user,
        done_url=_done_url(pk),
    )


def _done_url(pk: int) -> str:
    return reverse("ratings:thanks") + f"?ho_so={pk}"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@limited
def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The signed single-use link from the return e-mail: no sign-in needed."""
    try:
        dossier_id, nonce = rating_link_read(token)
    except RatingError as error:
        return _refusal(request, error.message, error.status)
    if RatingLinkUse.objects.filter(nonce=nonce).exists():
        return _refusal(
            request, _("Đường dẫn đánh giá này đã được dùng. Mỗi đường dẫn chỉ dùng được một lần."), 410
        )
    return _handle(
        request, dossier_id=dossier_id, source=Rating.Source.LINK, nonce=nonce, done_url=_done_url(0)
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@limited
def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """The counter's tablet: an officer of the receiving or handling agency opens it and hands it to the applicant."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not dossier_selectors.dossier_at_officers_counter(dossier_id=pk, user=request.user):
        raise Http404
    return _handle(
        request,
        dossier_id=pk,
        source=Rating.Source.KIOSK,
        kiosk=True,
        done_url=reverse("ratings:thanks") + "?quay=1",
    )


@require_http_methods(["GET", "HEAD"])
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "ratings/thanks.html", {"kiosk": request.GET.get("quay") == "1"})
