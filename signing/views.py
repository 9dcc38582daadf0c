"""The handler's "send for signature" button and the document-management system's signed callback."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dossiers import selectors as dossier_selectors
from dossiers.views.officer.common import officer_required
from integrations.documents.client import NotConfigured
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
