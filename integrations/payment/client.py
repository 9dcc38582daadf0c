"""A typed client for the national payment platform.

The citizen's browser is sent to ``<base>/pay`` with the order's fields signed (``signing.py``); the platform sends
the portal a signed notification when the order is paid, and the browser back to the portal's return address. The
portal checks every signature with ``signature_valid``. ``transactions(day)`` reads the platform's list of one
day's payments for the nightly reconciliation (``GET <base>/api/giao-dich``). The paths and field names are this
project's convention, to be checked against the platform's specification before production.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import requests
from django.conf import settings

from integrations.payment import signing

logger = logging.getLogger("integrations.payment")


class PaymentError(Exception):
    """A reconciliation list could not be read; ``reason`` says why (temporary: try again next night)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class NotConfigured(PaymentError):
    def __init__(self, detail: str):
        super().__init__("not_configured", detail)


@dataclass(frozen=True)
class Transaction:
    order_id: str
    amount: int
    transaction_id: str
    paid_at: str  # yyyyMMddHHmmss, Vietnam time


class PaymentClient:
    def __init__(self, base_url: str, merchant: str, secret: str, timeout=(3.05, 15.0)):
        self.base_url = base_url.rstrip("/")
        self.merchant = merchant
        self._secret = secret
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"PaymentClient({self.base_url!r}, merchant={self.merchant!r})"

    def payment_url(
        self,
        *,
        order_id: str,
        amount: int,
        dossier_code: str,
        description: str,
        return_url: str,
        notify_url: str,
    ) -> str:
        """The platform's payment page for this order, signed."""
        fields = {
            "merchant": self.merchant,
            "order_id": order_id,
            "amount": str(amount),
            "ma_ho_so": dossier_code,
            "description": description,
            "return_url": return_url,
            "notify_url": notify_url,
        }
        fields[signing.SIGNATURE_FIELD] = signing.sign(self._secret, fields)
        return f"{self.base_url}/pay?{urlencode(fields)}"

    def signature_valid(self, fields: dict) -> bool:
        """Whether ``fields`` (a notification or the return address's query) carry the platform's signature for
        this merchant."""
        return signing.signature_valid(self._secret, {k: str(v) for k, v in fields.items()})

    def transactions(self, day: date) -> list[Transaction]:
        """The payments the platform recorded for this merchant on ``day`` (Vietnam time)."""
        fields = {"merchant": self.merchant, "ngay": day.strftime("%Y%m%d")}
        fields[signing.SIGNATURE_FIELD] = signing.sign(self._secret, fields)
        try:
            response = requests.get(f"{self.base_url}/api/giao-dich", params=fields, timeout=self.timeout)
        except requests.RequestException as exc:
            raise PaymentError("connection", type(exc).__name__) from exc
        if response.status_code != 200 or "json" not in response.headers.get("Content-Type", ""):
            raise PaymentError(f"http_{response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise PaymentError("malformed", "undecodable JSON") from None
        if (
            not isinstance(data, dict)
            or data.get("error_code") != 0
            or not isinstance(data.get("data"), list)
        ):
            raise PaymentError("refused", str(data.get("error_code") if isinstance(data, dict) else "?"))
        rows = []
        for row in data["data"]:
            try:
                rows.append(
                    Transaction(
                        order_id=str(row["order_id"]),
                        amount=int(row["amount"]),
                        transaction_id=str(row.get("transaction_id", "")),
                        paid_at=str(row.get("paid_at", "")),
                    )
                )
            except (KeyError, TypeError, ValueError):
                raise PaymentError("malformed", "a transaction without order or amount") from None
        logger.info("payment transactions day=%s count=%d", fields["ngay"], len(rows))
        return rows


REQUIRED = ("PAYMENT_BASE_URL", "PAYMENT_MERCHANT_CODE", "PAYMENT_SECRET")


def payment_configured() -> bool:
    return all(getattr(settings, name, "") for name in REQUIRED)


def payment_client() -> PaymentClient:
    """The client for the platform configured in the settings; NotConfigured names what is missing."""
    for name in REQUIRED:
        if not getattr(settings, name, ""):
            raise NotConfigured(f"{name} is not set: online payment is not configured")
    timeout = tuple(float(t) for t in getattr(settings, "PAYMENT_TIMEOUT", (3.05, 15.0)))
    return PaymentClient(
        settings.PAYMENT_BASE_URL,
        settings.PAYMENT_MERCHANT_CODE,
        settings.PAYMENT_SECRET,
        timeout=timeout[0] if len(timeout) == 1 else timeout[:2],
    )
