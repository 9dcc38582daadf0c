"""The province's document-management system (quản lý văn bản và điều hành) as the stand-in plays it, under
``/qlvb/``.

``POST /qlvb/api/trinh-ky`` (header ``X-Api-Key``; JSON ``{MaYeuCau, MaHoSo, TieuDe, TenTep, NoiDung (base64 PDF),
DiaChiGoiLai}``) → ``{error_code: 0, data: {MaVanBan, TrangThai: "cho_ky"}}``; the same ``MaYeuCau`` again answers
the document already submitted. ``GET /qlvb/api/van-ban/<MaVanBan>`` → its status and, once signed, ``SoKyHieu``,
``NguoiKy``, ``NgayKy`` and the signed file (``NoiDung``, base64). The leader's signature is given through the
control API (``/_control/documents/<MaVanBan>/sign``): the stand-in then sends the signed callback ``{MaVanBan,
MaYeuCau, TrangThai, SoKyHieu, NguoiKy, NgayKy, sha256, chu_ky}`` (HMAC, ``integrations/payment/signing.py``, with the
shared secret) to ``DiaChiGoiLai``. Faults of the plan apply to ``TrinhKy`` and ``VanBan``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import requests

from integrations.payment.signing import sign
from integrations.standin.common import api_key_guard, refusal
from integrations.standin.server import BadRequest, Request, Response, json_response

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class DocumentManagement:
    name = "documents"

    def __init__(self):
        self.standin = None
        self.lock = threading.RLock()
        self.reset()

    def attach(self, standin) -> None:
        self.standin = standin
        standin.route("POST", "/qlvb/api/trinh-ky", self._submit)
        standin.route("GET", "/qlvb/api/van-ban/{doc_id}", self._document)
        standin.route("POST", "/_control/documents/config", self._control_config)
        standin.route("GET", "/_control/documents", self._control_list)
        standin.route("POST", "/_control/documents/{doc_id}/sign", self._control_sign)

    def reset(self) -> None:
        with self.lock:
            self.keys: set[str] = set()
            self.secret = ""
            self.documents: dict[str, dict] = {}
            self.by_reference: dict[str, str] = {}
            self.calls = 0

    def stats(self) -> dict:
        with self.lock:
            return {"documents": len(self.documents), "calls": self.calls}

    def _guard(self, request: Request, service: str) -> Response | None:
        return api_key_guard(self, request, service)

    def _submit(self, request: Request) -> Response:
        refused = self._guard(request, "TrinhKy")
        if refused is not None:
            return refused
        body = request.json()
        if not isinstance(body, dict):
            return refusal(302, "body", "Dữ liệu phải là đối tượng JSON")
        for field in ("MaYeuCau", "MaHoSo", "TieuDe", "TenTep", "NoiDung", "DiaChiGoiLai"):
            if not isinstance(body.get(field), str) or not body[field].strip():
                return refusal(302, field, f"Thiếu hoặc sai trường {field}")
        try:
            content = base64.b64decode(body["NoiDung"], validate=True)
        except (binascii.Error, ValueError):
            return refusal(302, "NoiDung", "NoiDung phải là base64")
        if not content.startswith(b"%PDF"):
            return refusal(302, "NoiDung", "Văn bản trình ký phải là PDF")
        with self.lock:
            doc_id = self.by_reference.get(body["MaYeuCau"])
            if doc_id is None:
                doc_id = f"VB{len(self.documents) + 1:06d}"
                self.by_reference[body["MaYeuCau"]] = doc_id
                self.documents[doc_id] = {
                    "MaVanBan": doc_id,
                    "MaYeuCau": body["MaYeuCau"],
                    "MaHoSo": body["MaHoSo"],
                    "TieuDe": body["TieuDe"],
                    "TenTep": body["TenTep"],
                    "DiaChiGoiLai": body["DiaChiGoiLai"],
                    "content": content,
                    "TrangThai": "cho_ky",
                }
            state = self.documents[doc_id]["TrangThai"]
        return json_response(
            {"error_code": 0, "message": "Thành công", "data": {"MaVanBan": doc_id, "TrangThai": state}}
        )

    def _document(self, request: Request) -> Response:
        refused = self._guard(request, "VanBan")
        if refused is not None:
            return refused
        with self.lock:
            document = self.documents.get(request.params["doc_id"])
            if document is None:
                return refusal(404, "MaVanBan", "Không tìm thấy văn bản", status=404)
            data = {k: v for k, v in document.items() if k not in ("content", "signed", "DiaChiGoiLai")}
            if document["TrangThai"] == "da_ky":
                data["NoiDung"] = base64.b64encode(document["signed"]).decode()
        return json_response({"error_code": 0, "message": "Thành công", "data": data})

    def callback(self, document: dict) -> dict:
        fields = {
            "MaVanBan": document["MaVanBan"],
            "MaYeuCau": document["MaYeuCau"],
            "TrangThai": document["TrangThai"],
            "SoKyHieu": document["SoKyHieu"],
            "NguoiKy": document["NguoiKy"],
            "NgayKy": document["NgayKy"],
            "sha256": hashlib.sha256(document["signed"]).hexdigest(),
        }
        fields["chu_ky"] = sign(self.secret, fields)
        return fields

    # --- control ---------------------------------------------------------------------------------------------

    def _control_config(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            raise BadRequest("config: {keys: [...], secret: shared signing secret}")
        with self.lock:
            if "keys" in data:
                self.keys = set(data["keys"] or [])
            if "secret" in data:
                self.secret = str(data["secret"])
        return json_response({"keys": len(self.keys)})

    def _control_list(self, request: Request) -> Response:
        with self.lock:
            return json_response(
                [
                    {k: v for k, v in d.items() if k not in ("content", "signed")}
                    for d in self.documents.values()
                ]
            )

    def _control_sign(self, request: Request) -> Response:
        """The leader signs: {signer, number, deliver (default true: send the callback)} → {callback, answer}."""
        data = request.json() if request.body else {}
        with self.lock:
            document = self.documents.get(request.params["doc_id"])
            if document is None:
                return json_response({"error": "no such document"}, status=404)
            if document["TrangThai"] != "da_ky":
                document["TrangThai"] = "da_ky"
                document["SoKyHieu"] = str(data.get("number") or f"{len(self.documents)}/QĐ-UBND")
                document["NguoiKy"] = str(data.get("signer") or "Phạm Quốc Dũng")
                document["NgayKy"] = datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S")
                marker = f"\n%QLVB da ky so: {document['SoKyHieu']} {document['NgayKy']}\n".encode()
                document["signed"] = document["content"] + marker
            fields = self.callback(document)
        answer = None
        if data.get("deliver", True):
            try:
                response = requests.post(
                    document["DiaChiGoiLai"], json=fields, timeout=(2, 10), headers={"Connection": "close"}
                )
                answer = {"status": response.status_code, "body": response.text[:500]}
            except requests.RequestException as exc:
                answer = {"status": None, "body": type(exc).__name__}
        return json_response({"callback": fields, "answer": answer})
