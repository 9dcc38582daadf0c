"""Paying a dossier's fees: the applicant's button (to the platform's page), the page they come back to, the
platform's notification, and the receipt. Views only read the request and call ``services``."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from dossiers import selectors as dossier_selectors
from integrations.payment.client import NotConfigured, payment_client
from payments import services
from payments.models import Payment, PaymentNotice
from payments.receipt import receipt_pdf
from portal.http import client_address


@login_required
@never_cache
@require_POST
def payment_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (or reuse) the order of the applicant's fee and send them to the platform's payment page. Anyone else's
    dossier, or one that does not exist, is 404 alike, and the attempt is recorded for the staff."""
    try:
        dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    except Http404:
        dossier = None
    if dossier is None or dossier.applicant_id != request.user.pk:
        services.payment_request_refused(
            user=request.user, dossier_pk=pk, remote_addr=client_address(request)
        )
        raise Http404("Không tìm thấy hồ sơ")
    try:
        client = payment_client()
        payment = services.payment_start(dossier=dossier, user=request.user)
    except NotConfigured:
        messages.error(
            request, _("Cổng chưa kết nối nền tảng thanh toán; vui lòng nộp lệ phí tại nơi tiếp nhận.")
        )
        return redirect(dossier)
    except services.PaymentRefused as refused:
        messages.error(request, refused.message)
        return redirect(dossier)
    url = client.payment_url(
        order_id=payment.order_id,
        amount=payment.amount,
        dossier_code=dossier.code,
        description=payment.description,
        return_url=request.build_absolute_uri(reverse("payments:return")),
        notify_url=request.build_absolute_uri(reverse("payments:notify")),
    )
    return redirect(url)


@login_required
@never_cache
@require_safe
def payment_return(request: HttpRequest) -> HttpResponse:
    """Where the platform sends the applicant back. It says what the portal knows; only the platform's signed
    notification marks a fee paid."""
    fields = dict(request.GET.items())
    try:
        valid = payment_client().signature_valid(fields)
    except NotConfigured:
        valid = False
    payment = (
        Payment.objects.select_related("dossier").filter(order_id=fields.get("order_id", "")).first()
        if valid
        else None
    )
    if payment is not None and payment.payer_id != request.user.pk:
        # A genuine return link of another person's order: told nothing about it, and recorded.
        services.payment_request_refused(
            user=request.user, payment=payment, remote_addr=client_address(request)
        )
        payment = None
    if payment is None:
        return render(request, "payments/return.html", {"invalid": True}, status=400)
    context = {
        "payment": payment,
        "dossier": payment.dossier,
        "cancelled": fields.get("status") == "cancelled",
    }
    return render(request, "payments/return.html", context)


@csrf_exempt
@require_POST
def payment_notify(request: HttpRequest) -> JsonResponse:
    """The platform's notification (server to server, JSON, signed). Every one is recorded; only a valid one for an
    open order of the right amount and dossier changes anything, and only once."""
    try:
        fields = json.loads(request.body or b"null")
    except ValueError:
        fields = request.body[:2000].decode("utf-8", "replace")
    try:
        notice = services.payment_notice_receive(fields=fields, remote_addr=client_address(request))
    except NotConfigured:
        return JsonResponse(
            {"error_code": 503, "message": "Thanh toán trực tuyến chưa được cấu hình"}, status=503
        )
    if notice.outcome == PaymentNotice.Outcome.REFUSED:
        return JsonResponse({"error_code": 1, "message": notice.get_reason_display()}, status=400)
    return JsonResponse({"error_code": 0, "message": notice.get_outcome_display()})


@login_required
@require_safe
def payment_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The electronic receipt, for the dossier's applicant and its officers; anyone else gets 404."""
    payment = get_object_or_404(Payment.objects.select_related("dossier"), pk=pk, state=Payment.State.PAID)
    dossier_selectors.dossier_get_for_user(user=request.user, pk=payment.dossier_id)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response
