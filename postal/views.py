"""The officer's "send the result by post" button and "check the shipment now"."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import selectors as dossier_selectors
from dossiers.views.officer.common import officer_required
from integrations.postal.client import PostalError
from postal import services
from postal.models import Shipment


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
    shipment = Shipment.objects.filter(dossier=dossier).first()
    if shipment is None:
        raise Http404("Không có bưu gửi")
    try:
        services.shipment_refresh(shipment)
    except PostalError:
        messages.error(request, _("Chưa kết nối được dịch vụ bưu chính; vui lòng thử lại sau ít phút."))
    return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + "#buu-chinh")
