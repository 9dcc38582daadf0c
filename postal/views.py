"""The officer's "send the result by post", "check the shipment now" and "try the collection again" buttons, and the
applicant's choice of a collection of their paper dossier on the check-your-answers page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dossiers import selectors as dossier_selectors
from dossiers.views.officer.common import officer_required
from integrations.postal.client import PostalError
from portal.pages.templatetags.vn import vnd
from postal import collections, services
from postal.forms import CollectionForm
from postal.models import Collection, Shipment


@require_POST
@officer_required
def shipment_send(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    try:
        shipment = services.shipment_send_result(dossier=dossier, officer=request.user)
    except services.ShipmentRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Đã tạo vận đơn %(number)s gửi kết quả qua bưu chính.") % {"number": shipment.tracking_number},
        )
    return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + "#buu-chinh")


@require_POST
@officer_required
def shipment_check(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    kind = Shipment.Kind.COLLECTION if request.POST.get("loai") == "collection" else Shipment.Kind.RESULT
    shipment = Shipment.objects.filter(dossier=dossier, kind=kind).first()
    if shipment is None:
        raise Http404("Không có bưu gửi")
    try:
        services.shipment_refresh(shipment)
    except PostalError:
        messages.error(request, _("Chưa kết nối được dịch vụ bưu chính; vui lòng thử lại sau ít phút."))
    anchor = "#thu-gom" if kind == Shipment.Kind.COLLECTION else "#buu-chinh"
    return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + anchor)


@require_POST
@officer_required
def collection_retry(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    collection = collections.collection_retry(dossier=dossier)
    if collection is None:
        raise Http404("Không có yêu cầu thu gom chờ gửi")
    if collection.state == Collection.State.MADE:
        messages.success(
            request,
            _("Bưu điện đã nhận yêu cầu thu gom, số hiệu bưu gửi %(number)s.")
            % {"number": collection.shipment.tracking_number},
        )
    elif collection.state == Collection.State.WAITING:
        messages.error(request, _("Chưa kết nối được dịch vụ bưu chính; Cổng sẽ tự gửi lại yêu cầu thu gom."))
    elif collection.state == Collection.State.REFUSED:
        messages.error(
            request,
            _("Bưu điện từ chối yêu cầu thu gom: %(message)s") % {"message": collection.error_detail},
        )
    return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + "#thu-gom")


def _own_draft(request: HttpRequest, pk: int):
    """The signed-in applicant's own dossier; anyone else's is 404, like one that does not exist."""
    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    if dossier.applicant_id != request.user.pk:
        raise Http404("Không tìm thấy hồ sơ")
    return dossier


def _back_to_review(dossier) -> HttpResponse:
    if dossier.state != dossier.State.DRAFT:
        return redirect(dossier)
    return redirect("dossiers:review", pk=dossier.pk)  # to the top, where the message is


@login_required
@never_cache
@require_POST
def collection_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant asks the postal service to collect their paper dossier; the fee it quotes is shown on the
    check-your-answers page before they file."""
    dossier = _own_draft(request, pk)
    form = CollectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["dia_chi"][0])
        return _back_to_review(dossier)
    try:
        collection = collections.collection_choose(
            dossier=dossier, user=request.user, address=form.cleaned_data["dia_chi"]
        )
    except collections.CollectionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _(
                "Đã chọn nhờ bưu điện thu gom hồ sơ giấy; cước phí %(fee)s. Yêu cầu được gửi khi bạn nộp hồ sơ."
            )
            % {"fee": vnd(collection.fee_quoted)},
        )
    return _back_to_review(dossier)


@login_required
@never_cache
@require_POST
def collection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _own_draft(request, pk)
    collections.collection_cancel(dossier=dossier, user=request.user)
    messages.success(request, _("Đã bỏ yêu cầu thu gom hồ sơ giấy qua bưu chính."))
    return _back_to_review(dossier)
