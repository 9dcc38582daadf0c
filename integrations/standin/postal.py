"""The public postal service (VNPost) as the stand-in plays it, under ``/buu-chinh/``.

``POST /buu-chinh/api/van-don`` (header ``X-Api-Key``; JSON ``{MaKhachHang, MaDonHang, LoaiDichVu, NguoiGui,
NguoiNhan: {HoTen, DienThoai, DiaChi}, KhoiLuongGram}``) → ``{error_code: 0, data: {SoHieu, CuocPhi, TrangThai}}``.
``MaDonHang`` is the caller's own reference: the same one again answers the shipment already made (a retried
request never makes two). ``GET /buu-chinh/api/van-don/<SoHieu>`` → ``{error_code: 0, data: {SoHieu, TrangThai,
LichSu: [{TrangThai, ThoiGian}]}}``. Statuses: ``created``, ``picked_up``, ``in_transit``, ``delivered``,
``returned``; a test or the demo moves a shipment on through ``/_control/postal/shipments/<SoHieu>/status``.
``POST /buu-chinh/api/cuoc-phi`` (``{MaKhachHang, LoaiDichVu, DiaChiGui, DiaChiNhan, KhoiLuongGram}``) →
``{error_code: 0, data: {CuocPhi}}``: the fee quoted before a shipment is asked for. A collection
(``LoaiDichVu`` ``thu-gom-ho-so``: the postman fetches a paper dossier from ``NguoiGui`` for the agency in
``NguoiNhan``) needs the sender's name and address too.

Refusals: 100 unknown API key (HTTP 401), 302 a missing or invalid field (``field`` names it), 404 unknown
tracking number. Faults of the plan apply to ``TaoVanDon``, ``TraCuuVanDon`` and ``TinhCuoc``; on ``TaoVanDon``
``invalid`` refuses the shipment (302, ``NguoiGui.DiaChi``, an address outside the service area: decided by the
reference, so the same request is refused every time) and ``duplicate`` makes the shipment and loses the answer
(HTTP 503), so the caller's retry meets the shipment already made.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from integrations.standin.common import api_key_guard, fires, refusal, slow_delay
from integrations.standin.server import BadRequest, Request, Response, json_response

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
STATUSES = ("created", "picked_up", "in_transit", "delivered", "returned")
SERVICES = {"tra-ket-qua", "thu-gom-ho-so"}
COLLECTION = "thu-gom-ho-so"


def now14() -> str:
    return datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S")


class PostalService:
    name = "postal"

    def __init__(self):
        self.standin = None
        self.lock = threading.RLock()
        self.reset()

    def attach(self, standin) -> None:
        self.standin = standin
        standin.route("POST", "/buu-chinh/api/van-don", self._create)
        standin.route("POST", "/buu-chinh/api/cuoc-phi", self._quote)
        standin.route("GET", "/buu-chinh/api/van-don/{number}", self._track)
        standin.route("POST", "/_control/postal/config", self._control_config)
        standin.route("GET", "/_control/postal/shipments", self._control_list)
        standin.route("POST", "/_control/postal/shipments/{number}/status", self._control_status)

    def reset(self) -> None:
        with self.lock:
            self.keys: set[str] = set()  # empty: any non-empty key is accepted
            self.fee = 25000
            self.shipments: dict[str, dict] = {}
            self.by_reference: dict[str, str] = {}
            self.calls = 0

    def stats(self) -> dict:
        with self.lock:
            return {"shipments": len(self.shipments), "calls": self.calls}

    def _guard(self, request: Request, service: str) -> Response | None:
        return api_key_guard(self, request, service)

    def _quote(self, request: Request) -> Response:
        refused = self._guard(request, "TinhCuoc")
        if refused is not None:
            return refused
        body = request.json()
        if not isinstance(body, dict):
            return refusal(302, "body", "Dữ liệu phải là đối tượng JSON")
        problems = [
            ("LoaiDichVu", body.get("LoaiDichVu") in SERVICES),
            ("DiaChiGui", bool(str(body.get("DiaChiGui") or "").strip())),
            ("DiaChiNhan", bool(str(body.get("DiaChiNhan") or "").strip())),
        ]
        for field, good in problems:
            if not good:
                return refusal(302, field, f"Thiếu hoặc sai trường {field}")
        with self.lock:
            fee = self.fee
        return json_response({"error_code": 0, "message": "Thành công", "data": {"CuocPhi": fee}})

    def _create(self, request: Request) -> Response:
        refused = self._guard(request, "TaoVanDon")
        if refused is not None:
            return refused
        delay = slow_delay(self.standin, "TaoVanDon", str(self.calls))
        body = request.json()
        if not isinstance(body, dict):
            return refusal(302, "body", "Dữ liệu phải là đối tượng JSON")
        receiver, sender = body.get("NguoiNhan"), body.get("NguoiGui")
        collection = body.get("LoaiDichVu") == COLLECTION
        problems = [
            ("MaDonHang", isinstance(body.get("MaDonHang"), str) and 0 < len(body["MaDonHang"]) <= 60),
            ("LoaiDichVu", body.get("LoaiDichVu") in SERVICES),
            ("NguoiNhan", isinstance(receiver, dict)),
            ("NguoiNhan.HoTen", isinstance(receiver, dict) and bool(str(receiver.get("HoTen", "")).strip())),
            (
                "NguoiNhan.DiaChi",
                isinstance(receiver, dict) and bool(str(receiver.get("DiaChi", "")).strip()),
            ),
        ]
        if collection:  # the postman needs to know whom to fetch the papers from, and where
            problems += [
                (f"NguoiGui.{name}", isinstance(sender, dict) and bool(str(sender.get(name) or "").strip()))
                for name in ("HoTen", "DiaChi")
            ]
        for field, good in problems:
            if not good:
                return refusal(302, field, f"Thiếu hoặc sai trường {field}")
        if fires(self.standin, "invalid", "TaoVanDon", f"TaoVanDon|{body['MaDonHang']}"):
            return refusal(302, "NguoiGui.DiaChi", "Địa chỉ ngoài vùng phục vụ")
        with self.lock:
            number = self.by_reference.get(body["MaDonHang"])
            if number is None:
                number = f"EB{len(self.shipments) + 100000001:09d}VN"
                self.by_reference[body["MaDonHang"]] = number
                self.shipments[number] = {
                    "SoHieu": number,
                    "MaDonHang": body["MaDonHang"],
                    "LoaiDichVu": body["LoaiDichVu"],
                    "NguoiNhan": receiver,
                    "NguoiGui": sender,
                    "CuocPhi": self.fee,
                    "TrangThai": "created",
                    "LichSu": [{"TrangThai": "created", "ThoiGian": now14()}],
                }
            shipment = self.shipments[number]
        if fires(self.standin, "duplicate", "TaoVanDon", f"TaoVanDon|#{self.calls}"):
            return json_response({"message": "Service Unavailable"}, status=503)  # made, the answer lost
        response = json_response(
            {
                "error_code": 0,
                "message": "Thành công",
                "data": {k: shipment[k] for k in ("SoHieu", "CuocPhi", "TrangThai")},
            }
        )
        response.delay = delay
        return response

    def _track(self, request: Request) -> Response:
        refused = self._guard(request, "TraCuuVanDon")
        if refused is not None:
            return refused
        with self.lock:
            shipment = self.shipments.get(request.params["number"])
            if shipment is None:
                return refusal(404, "SoHieu", "Không tìm thấy bưu gửi", status=404)
            data = {k: shipment[k] for k in ("SoHieu", "TrangThai", "CuocPhi")}
            data["LichSu"] = list(shipment["LichSu"])
        return json_response({"error_code": 0, "message": "Thành công", "data": data})

    # --- control ---------------------------------------------------------------------------------------------

    def _control_config(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            raise BadRequest("config: {keys: [...], fee: đồng}")
        with self.lock:
            if "keys" in data:
                self.keys = set(data["keys"] or [])
            if "fee" in data:
                self.fee = int(data["fee"])
        return json_response({"fee": self.fee})

    def _control_list(self, request: Request) -> Response:
        with self.lock:
            return json_response(list(self.shipments.values()))

    def _control_status(self, request: Request) -> Response:
        data = request.json()
        status = data.get("status") if isinstance(data, dict) else None
        if status not in STATUSES:
            raise BadRequest(f"status: one of {', '.join(STATUSES)}")
        with self.lock:
            shipment = self.shipments.get(request.params["number"])
            if shipment is None:
                return json_response({"error": "no such shipment"}, status=404)
            shipment["TrangThai"] = status
            shipment["LichSu"].append({"TrangThai": status, "ThoiGian": now14()})
            return json_response(shipment)
