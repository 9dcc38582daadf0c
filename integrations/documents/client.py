"""A typed client for the province's document-management system.

``submit`` sends a draft result (PDF) for the leader's signature (``POST <base>/api/trinh-ky``; our reference
``MaYeuCau`` makes a repeated request answer the same document); ``document`` reads its status and, once signed, the
signed file (``GET <base>/api/van-ban/<MaVanBan>``). The system calls the portal back when the leader has signed; the
callback is trusted only with a valid HMAC signature (``signature_valid``, shared secret) and a file whose SHA-256 is
the one it names. ``X-Api-Key`` authenticates. Paths and fields are this project's convention, to be checked
against the province's specification before production.
"""

from __future__ import annotations

import base64
import binascii
import logging
from dataclasses import dataclass

import requests
from django.conf import settings

from integrations.payment import signing

logger = logging.getLogger("integrations.documents")


class DocumentsError(Exception):
    pass


class DocumentsTemporary(DocumentsError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class DocumentsRefused(DocumentsError):
    def __init__(self, code: str, field: str, message: str):
        super().__init__(f"{code} {field}: {message}")
        self.code, self.field, self.message = str(code), field, message


class NotConfigured(DocumentsError):
    pass


@dataclass(frozen=True)
class Document:
    document_id: str
    state: str  # "cho_ky" waiting for the signature, "da_ky" signed
    number: str = ""
    signer: str = ""
    signed_at: str = ""  # yyyyMMddHHmmss
    content: bytes | None = None


class DocumentsClient:
    def __init__(self, base_url: str, api_key: str, secret: str, timeout=(3.05, 30.0)):
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self._secret = secret
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"DocumentsClient({self.base_url!r})"

    def submit(
        self,
        *,
        reference: str,
        dossier_code: str,
        title: str,
        filename: str,
        content: bytes,
        callback_url: str,
    ) -> Document:
        body = {
            "MaYeuCau": reference,
            "MaHoSo": dossier_code,
            "TieuDe": title,
            "TenTep": filename,
            "NoiDung": base64.b64encode(content).decode(),
            "DiaChiGoiLai": callback_url,
        }
        return _document(self._call("post", f"{self.base_url}/api/trinh-ky", json=body))

    def document(self, document_id: str) -> Document:
        quoted = requests.utils.quote(document_id, safe="")
        return _document(self._call("get", f"{self.base_url}/api/van-ban/{quoted}"))

    def signature_valid(self, fields: dict) -> bool:
        return signing.signature_valid(self._secret, {k: str(v) for k, v in fields.items()})

    def _call(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = requests.request(
                method, url, headers={"X-Api-Key": self._key}, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise DocumentsTemporary(
                "timeout" if isinstance(exc, requests.Timeout) else "connection"
            ) from exc
        if response.status_code in (408, 429) or response.status_code >= 500:
            raise DocumentsTemporary(f"http_{response.status_code}")
        if "json" not in response.headers.get("Content-Type", ""):
            raise DocumentsTemporary("not_json")
        try:
            answer = response.json()
        except ValueError:
            raise DocumentsTemporary("malformed") from None
        if not isinstance(answer, dict) or "error_code" not in answer:
            raise DocumentsTemporary("malformed")
        if answer["error_code"] != 0:
            logger.warning(
                "documents call refused code=%s field=%s", answer.get("error_code"), answer.get("field")
            )
            raise DocumentsRefused(
                answer["error_code"], str(answer.get("field", "")), str(answer.get("message", ""))
            )
        if not isinstance(answer.get("data"), dict):
            raise DocumentsTemporary("malformed")
        return answer["data"]


def _document(data: dict) -> Document:
    if not isinstance(data.get("MaVanBan"), str) or data.get("TrangThai") not in ("cho_ky", "da_ky"):
        raise DocumentsTemporary("malformed")
    content = None
    if data.get("NoiDung"):
        try:
            content = base64.b64decode(data["NoiDung"], validate=True)
        except (binascii.Error, ValueError):
            raise DocumentsTemporary("malformed") from None
    return Document(
        document_id=data["MaVanBan"],
        state=data["TrangThai"],
        number=str(data.get("SoKyHieu") or ""),
        signer=str(data.get("NguoiKy") or ""),
        signed_at=str(data.get("NgayKy") or ""),
        content=content,
    )


REQUIRED = ("DOCUMENTS_BASE_URL", "DOCUMENTS_API_KEY", "DOCUMENTS_CALLBACK_SECRET")


def documents_configured() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


def documents_client() -> DocumentsClient:
    for name in REQUIRED:
        if not getattr(settings, name, ""):
            raise NotConfigured(f"{name} is not set: the document-management system is not configured")
    timeout = tuple(float(t) for t in getattr(settings, "DOCUMENTS_TIMEOUT", (3.05, 30.0)))
    return DocumentsClient(
        settings.DOCUMENTS_BASE_URL,
        settings.DOCUMENTS_API_KEY,
        settings.DOCUMENTS_CALLBACK_SECRET,
        timeout=timeout[0] if len(timeout) == 1 else timeout[:2],
    )
