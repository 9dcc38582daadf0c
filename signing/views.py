"""The handler's "send for signature" button, the document-management system's signed callback, and the public page
that checks the signature of an uploaded PDF."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dossiers import selectors as dossier_selectors
from dossiers.views.officer.common import officer_required
from integrations.documents.client import NotConfigured
from portal.http import client_address
from portal.pdf import pades
from portal.ratelimit import Limit
from signing import services


@require_POST
@officer_required
def signing_send(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=pk)
    try:
        sent = services.signing_request_send(
            dossier=dossier,
            officer=request.user,
            callback_url=request.build_absolute_uri(reverse("signing:callback")),
        )
    except services.SigningRefused as refused:
        messages.error(request, refused.message)
    except NotConfigured:
        messages.error(request, _("Cổng chưa kết nối hệ thống quản lý văn bản."))
    else:
        messages.success(
            request, _("Đã trình ký dự thảo kết quả (văn bản %(id)s).") % {"id": sent.document_id}
        )
    return redirect(reverse("dossiers:officer_dossier", args=[dossier.pk]) + "#trinh-ky")


@csrf_exempt
@require_POST
def signing_callback(request: HttpRequest) -> JsonResponse:
    try:
        fields = json.loads(request.body or b"null")
    except ValueError:
        fields = None
    try:
        outcome = services.signing_callback_receive(fields)
    except NotConfigured:
        return JsonResponse({"error_code": 503, "message": "not configured"}, status=503)
    status = {"accepted": 200, "not_signed": 202, "unavailable": 503}.get(outcome, 400)
    return JsonResponse({"error_code": 0 if status == 200 else 1, "message": outcome}, status=status)


# --- the public page that checks an uploaded result -------------------------------------------------------------

VERIFY_TEMPLATE = "signing/verify.html"
VERIFY_LIMIT_WINDOW = 3600


def _verify_limit() -> Limit:
    return Limit("signing-verify", settings.SIGNING_VERIFY_PER_HOUR, VERIFY_LIMIT_WINDOW)


def _verify_page(request: HttpRequest, *, status: int = 200, **context) -> HttpResponse:
    context = {
        "max_mb": settings.SIGNING_VERIFY_MAX_MB,
        "configured": pades.signing_configured(),
        "has_authority": pades.authority_configured(),
        **context,
    }
    return render(request, VERIFY_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def signing_verify(request: HttpRequest) -> HttpResponse:
    """Upload a PDF the portal issued and see whether its signature is valid, who signed it, when, and whether the
    file is unchanged since."""
    if request.method == "GET":
        return _verify_page(request)
    limit, address = _verify_limit(), client_address(request)
    if limit.exceeded(address):
        response = _verify_page(
            request, status=429, error=_("Bạn đã kiểm tra quá nhiều tệp trong một giờ. Vui lòng thử lại sau.")
        )
        response["Retry-After"] = str(VERIFY_LIMIT_WINDOW)
        return response
    limit.hit(address)
    upload = request.FILES.get("tep")
    if upload is None:
        return _verify_page(request, status=400, error=_("Vui lòng chọn tệp PDF cần kiểm tra."))
    if upload.size > settings.SIGNING_VERIFY_MAX_MB * 1024 * 1024:
        return _verify_page(
            request,
            status=400,
            error=_("Tệp lớn hơn %(mb)s MB, Cổng không kiểm tra.") % {"mb": settings.SIGNING_VERIFY_MAX_MB},
        )
    content = upload.read()
    if content.lstrip()[:5] != b"%PDF-":
        return _verify_page(request, status=400, error=_("Tệp không phải là tệp PDF."))
    try:
        verification = pades.verify_pdf(content)
    except pades.NotAPdf:
        return _verify_page(
            request, status=400, error=_("Không đọc được tệp PDF này (tệp hỏng hoặc không đúng định dạng).")
        )
    return _verify_page(request, verification=verification, filename=upload.name[:200])
