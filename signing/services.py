"""Sending a dossier's draft result for the leader's signature and taking the signed decision back.

``signing_request_send`` sends the officers' current draft result (a PDF) with our reference (a repeated request
answers the same document). The signed decision comes back by the system's callback (``signing_callback_receive``:
its HMAC signature checked, then the file itself pulled and its SHA-256 compared) or by the periodic pull
(``signing_pull``); either way it is stored once as the dossier's draft result, replacing the unsigned one, for the
leader's approval and the return as before.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, DossierFile
from dossiers.results import ResultDocument, result_store
from dossiers.services import dossier_lock
from integrations.documents.client import DocumentsError, DocumentsRefused, documents_client
from signing.models import SigningRequest

logger = logging.getLogger("signing")
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNABLE_STATES = {Dossier.State.PROCESSING, Dossier.State.AWAITING_APPROVAL}


class SigningRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def draft_result(dossier: Dossier) -> DossierFile | None:
    return (
        dossier.files.filter(
            kind=DossierFile.Kind.RESULT, approved_at__isnull=True, content_type="application/pdf"
        )
        .order_by("-created_at")
        .first()
    )


def signing_request_send(*, dossier: Dossier, officer, callback_url: str) -> SigningRequest:
    """Send the draft result for signature (the open request of this dossier when there is one)."""
    pending = dossier.signing_requests.filter(state=SigningRequest.State.SENT).first()
    if pending is not None:
        return pending
    if dossier.state not in SIGNABLE_STATES:
        raise SigningRefused(_("Chỉ trình ký khi hồ sơ đang xử lý hoặc chờ phê duyệt."))
    draft = draft_result(dossier)
    if draft is None:
        raise SigningRefused(_("Chưa có dự thảo kết quả (PDF) để trình ký."))
    with draft.file.open("rb") as handle:
        content = handle.read()
    reference = f"{dossier.code}-{draft.pk}"
    try:
        document = documents_client().submit(
            reference=reference,
            dossier_code=dossier.code,
            title=draft.label,
            filename=draft.original_name,
            content=content,
            callback_url=callback_url,
        )
    except DocumentsRefused as refused:
        raise SigningRefused(
            _("Hệ thống quản lý văn bản từ chối: %(message)s") % {"message": refused.message}
        ) from None
    except DocumentsError:
        raise SigningRefused(
            _("Chưa kết nối được hệ thống quản lý văn bản; vui lòng thử lại sau ít phút.")
        ) from None
    request, _created = SigningRequest.objects.get_or_create(
        document_id=document.document_id,
        defaults={"dossier": dossier, "reference": reference, "requested_by": officer},
    )
    return request


def _signed_at(value: str):
    try:
        return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return timezone.now()


def signing_apply(request: SigningRequest, *, expected_sha256: str = "") -> bool:
    """Pull the document; when it is signed (and is the file the callback named), store it as the dossier's draft
    result once. True when it is signed and stored (now or before)."""
    if request.state == SigningRequest.State.SIGNED:
        return True
    document = documents_client().document(request.document_id)
    if document.state != "da_ky" or not document.content:
        return False
    digest = hashlib.sha256(document.content).hexdigest()
    if expected_sha256 and digest != expected_sha256:
        logger.warning("signed document %s: file differs from the callback's", request.document_id)
        return False
    if not document.content.startswith(b"%PDF"):
        logger.warning("signed document %s is not a PDF", request.document_id)
        return False
    with transaction.atomic():
        request = SigningRequest.objects.select_for_update().get(pk=request.pk)
        if request.state == SigningRequest.State.SIGNED:
            return True
        dossier = dossier_lock(request.dossier)
        stored = None
        if dossier.state in SIGNABLE_STATES:
            name = f"Quyết định {document.number} (đã ký số)" if document.number else "Kết quả đã ký số"
            stored = result_store(
                dossier,
                request.requested_by,
                ResultDocument(name, document.content, "application/pdf", "pdf"),
            )
        request.state = SigningRequest.State.SIGNED
        request.number, request.signer = document.number[:60], document.signer[:200]
        request.signed_at = _signed_at(document.signed_at)
        request.result_file = stored
        request.save()
    return True


def signing_callback_receive(fields) -> str:
    """The system's callback: "accepted", or why it was refused ("signature", "unknown", "not_signed")."""
    if not isinstance(fields, dict) or not documents_client().signature_valid(fields):
        logger.warning("signing callback refused: signature")
        return "signature"
    request = SigningRequest.objects.filter(document_id=str(fields.get("MaVanBan", ""))).first()
    if request is None or str(fields.get("MaYeuCau", "")) != request.reference:
        return "unknown"
    try:
        return (
            "accepted"
            if signing_apply(request, expected_sha256=str(fields.get("sha256", "")))
            else "not_signed"
        )
    except DocumentsError:
        return "unavailable"


def signing_pull() -> int:
    """Pull every request still waiting (a callback that never came); the number now signed."""
    done = 0
    for request in SigningRequest.objects.filter(state=SigningRequest.State.SENT).order_by("pk")[:200]:
        try:
            done += signing_apply(request)
        except DocumentsError as exc:
            logger.warning("signing pull %s failed: %s", request.document_id, exc)
    return done
