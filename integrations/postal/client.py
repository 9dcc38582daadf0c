"""A typed client for the public postal service (VNPost): create a shipment, follow it.

``POST <base>/api/cuoc-phi`` quotes the fee of a shipment before it is asked for; ``POST <base>/api/van-don`` creates
a shipment (our reference ``MaDonHang`` makes a retried request answer the same shipment); ``GET
<base>/api/van-don/<SoHieu>`` gives its status and history. ``X-Api-Key`` authenticates. The paths
and fields are this project's convention, to be checked against VNPost's specification before production.
Temporary failures (network, timeout, 5xx, 429, not JSON) may be retried; ``PostalRefused`` is the service's own
refusal (its code and field), which a retry will not change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from django.conf import settings

logger = logging.getLogger("integrations.postal")
STATUSES = ("created", "picked_up", "in_transit", "delivered", "returned")


class PostalError(Exception):
    pass


class PostalTemporary(PostalError):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class PostalRefused(PostalError):
    def __init__(self, code: str, field: str, message: str):
        super().__init__(f"{code} {field}: {message}")
        self.code, self.field, self.message = str(code), field, message


class NotConfigured(PostalError):
    pass


@dataclass(frozen=True)
class Shipment:
    number: str
    fee: int
    status: str
    history: tuple[tuple[str, str], ...] = ()  # (status, yyyyMMddHHmmss)


class PostalClient:
    def __init__(self, base_url: str, api_key: str, customer_code: str, timeout=(3.05, 15.0)):
        self.base_url = base_url.rstrip("/")
        self._key = api_key
        self.customer_code = customer_code
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"PostalClient({self.base_url!r}, customer={self.customer_code!r})"

    def fee_quote(self, *, service: str, sender_address: str, receiver_address: str) -> int:
        """The fee in đồng the service charges for such a shipment now."""
        body = {
            "MaKhachHang": self.customer_code,
            "LoaiDichVu": service,
            "DiaChiGui": sender_address,
            "DiaChiNhan": receiver_address,
            "KhoiLuongGram": 200,
        }
        data = self._call("post", f"{self.base_url}/api/cuoc-phi", json=body)
        try:
            return int(data["CuocPhi"])
        except (KeyError, TypeError, ValueError):
            raise PostalTemporary("malformed") from None

    def shipment_create(
        self,
        *,
        reference: str,
        service: str,
        sender: dict,
        receiver_name: str,
        receiver_phone: str,
        receiver_address: str,
    ) -> Shipment:
        body = {
            "MaKhachHang": self.customer_code,
            "MaDonHang": reference,
            "LoaiDichVu": service,
            "NguoiGui": sender,
            "NguoiNhan": {"HoTen": receiver_name, "DienThoai": receiver_phone, "DiaChi": receiver_address},
            "KhoiLuongGram": 200,
        }
        data = self._call("post", f"{self.base_url}/api/van-don", json=body)
        return _shipment(data)

    def shipment_status(self, number: str) -> Shipment:
        return _shipment(
            self._call("get", f"{self.base_url}/api/van-don/{requests.utils.quote(number, safe='')}")
        )

    def _call(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = requests.request(
                method, url, headers={"X-Api-Key": self._key}, timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:
            reason = (
                "timeout"
                if "timed out" in str(exc).lower() or isinstance(exc, requests.Timeout)
                else "connection"
            )
            logger.warning("postal call outcome=temporary reason=%s", reason)
            raise PostalTemporary(reason) from exc
        if response.status_code in (408, 429) or response.status_code >= 500:
            raise PostalTemporary(f"http_{response.status_code}")
        if "json" not in response.headers.get("Content-Type", ""):
            raise PostalTemporary("not_json")
        try:
            answer = response.json()
        except ValueError:
            raise PostalTemporary("malformed") from None
        if not isinstance(answer, dict) or "error_code" not in answer:
            raise PostalTemporary("malformed")
        if answer["error_code"] != 0:
            logger.warning(
                "postal call outcome=refused code=%s field=%s", answer.get("error_code"), answer.get("field")
            )
            raise PostalRefused(
                answer["error_code"], str(answer.get("field", "")), str(answer.get("message", ""))
            )
        if not isinstance(answer.get("data"), dict):
            raise PostalTemporary("malformed")
        return answer["data"]


def _shipment(data: dict) -> Shipment:
    status = data.get("TrangThai")
    if not isinstance(data.get("SoHieu"), str) or status not in STATUSES:
        raise PostalTemporary("malformed")
    history = tuple(
        (item.get("TrangThai", ""), item.get("ThoiGian", ""))
        for item in data.get("LichSu") or []
        if isinstance(item, dict) and item.get("TrangThai") in STATUSES
    )
    try:
        fee = int(data.get("CuocPhi") or 0)
    except (TypeError, ValueError):
        fee = 0
    return Shipment(number=data["SoHieu"], fee=fee, status=status, history=history)


REQUIRED = ("POSTAL_BASE_URL", "POSTAL_API_KEY")


def postal_configured() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


def postal_client() -> PostalClient:
    for name in REQUIRED:
        if not getattr(settings, name, ""):
            raise NotConfigured(f"{name} is not set: the postal service is not configured")
    timeout = tuple(float(t) for t in getattr(settings, "POSTAL_TIMEOUT", (3.05, 15.0)))
    return PostalClient(
        settings.POSTAL_BASE_URL,
        settings.POSTAL_API_KEY,
        getattr(settings, "POSTAL_CUSTOMER_CODE", "") or settings.PORTAL_PROVINCE_AGENCY_CODE,
        timeout=timeout[0] if len(timeout) == 1 else timeout[:2],
    )
