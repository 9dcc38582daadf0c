"""The national payment platform as the stand-in plays it, under ``/thanh-toan/``.

``GET /thanh-toan/pay?merchant&order_id&amount&ma_ho_so&description&return_url&notify_url&chu_ky``: the payment page
(the citizen's browser is sent here); a bad signature or an unknown merchant is refused with a page that says so.
``POST /thanh-toan/pay/<order_id>`` with ``action=pay`` or ``cancel``: the citizen pays or gives up. Paying sends
the signed notification ``{merchant, order_id, ma_ho_so, amount, transaction_id, status, paid_at, chu_ky}`` as JSON
to ``notify_url`` (and records it, with the portal's answer), then both outcomes send the browser back to
``return_url`` with the signed ``{order_id, status, chu_ky}``.

``GET /thanh-toan/api/giao-dich?merchant&ngay=yyyyMMdd&chu_ky`` → ``{error_code: 0, data: [...]}``: the
transactions paid that day (Vietnam time), for the portal's nightly reconciliation.

Signatures: ``integrations/payment/signing.py``. Faults of the plan apply to ``ThongBao`` (the notification:
``duplicate`` sends it twice) and ``GiaoDich`` (the reconciliation list: the transport faults).
"""

from __future__ import annotations

import html
import re
import secrets
import threading
from collections import deque
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import requests

from integrations.payment.signing import sign, signature_valid
from integrations.standin.common import fires, transport_fault
from integrations.standin.server import BadRequest, Request, Response, json_response

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ORDER_ID = re.compile(r"^[A-Za-z0-9_-]{6,40}$")


def page(title: str, body: str, status: int = 200) -> Response:
    text = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:36rem;margin:1rem auto;"
        "padding:0 1rem;color:#111}button{font-size:1rem;padding:.5rem 1rem;margin:.25rem}"
        "button:focus{outline:3px solid #fd0}</style></head>"
        f"<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    return Response(status=status, body=text.encode(), content_type="text/html; charset=utf-8")


class PaymentPlatform:
    name = "payment"

    def __init__(self, *, keep: int = 5000):
        self.keep = keep
        self.standin = None
        self.lock = threading.RLock()
        self.reset()

    def attach(self, standin) -> None:
        self.standin = standin
        standin.route("GET", "/thanh-toan/pay", self._page)
        standin.route("POST", "/thanh-toan/pay/{order_id}", self._decide)
        standin.route("GET", "/thanh-toan/api/giao-dich", self._transactions)
        standin.route("POST", "/_control/payment/config", self._control_config)
        standin.route("GET", "/_control/payment/notifications", self._control_notifications)
        standin.route("GET", "/_control/payment/orders/{order_id}", self._control_order)
        standin.route("POST", "/_control/payment/orders/{order_id}/pay", self._control_pay)
        standin.route("POST", "/_control/payment/transactions", self._control_add_transaction)

    def reset(self) -> None:
        with self.lock:
            self.merchants: dict[str, str] = {}
            self.orders: dict[str, dict] = {}
            self.transactions: list[dict] = []
            self.notifications: deque = deque(maxlen=self.keep)
            self.refused = 0

    def stats(self) -> dict:
        with self.lock:
            return {
                "orders": len(self.orders),
                "paid": len(self.transactions),
                "notifications": len(self.notifications),
                "refused": self.refused,
            }

    # --- the citizen's side ----------------------------------------------------------------------------------

    def _page(self, request: Request) -> Response:
        fields = dict(request.query)
        secret = self.merchants.get(fields.get("merchant", ""))
        problem = self._order_problem(fields)
        if secret is None or problem or not signature_valid(secret, fields):
            with self.lock:
                self.refused += 1
            reason = problem or "Chữ ký hoặc mã đơn vị thanh toán không hợp lệ."
            return page("Không thực hiện được thanh toán", f"<p>{html.escape(reason)}</p>", status=400)
        with self.lock:
            order = self.orders.get(fields["order_id"])
            if order is None or order["status"] != "paid":
                order = self.orders[fields["order_id"]] = {
                    **fields,
                    "amount": int(fields["amount"]),
                    "status": "pending",
                }
        amount = f"{order['amount']:,}".replace(",", ".")
        action = f"/thanh-toan/pay/{html.escape(order['order_id'])}"
        body = (
            "<p>Nền tảng thanh toán trực tuyến (hệ thống giả lập).</p><dl>"
            f"<dt>Đơn hàng</dt><dd>{html.escape(order['order_id'])}</dd>"
            f"<dt>Nội dung</dt><dd>{html.escape(order.get('description', ''))}</dd>"
            f"<dt>Số tiền</dt><dd>{amount} đ</dd></dl>"
        )
        if order["status"] == "paid":
            body += "<p>Đơn hàng này đã được thanh toán.</p>"
        body += (
            f'<form method="post" action="{action}">'
            '<button type="submit" name="action" value="pay">Xác nhận thanh toán</button>'
            '<button type="submit" name="action" value="cancel">Hủy, quay lại Cổng</button></form>'
        )
        return page("Thanh toán lệ phí", body)

    @staticmethod
    def _order_problem(fields: dict) -> str:
        if not ORDER_ID.match(fields.get("order_id", "")):
            return "Mã đơn hàng không hợp lệ."
        if not fields.get("amount", "").isdigit() or int(fields["amount"]) <= 0:
            return "Số tiền không hợp lệ."
        for name in ("return_url", "notify_url"):
            if not fields.get(name, "").startswith(("http://", "https://")):
                return "Thiếu địa chỉ trở về Cổng."
        return ""

    def _decide(self, request: Request) -> Response:
        from urllib.parse import parse_qs

        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        with self.lock:
            order = self.orders.get(request.params["order_id"])
        if order is None:
            return page("Không tìm thấy đơn hàng", "<p>Đơn hàng không tồn tại.</p>", status=404)
        if form.get("action") == "pay":
            self.pay(order)
            status = "paid"
        else:
            status = "paid" if order["status"] == "paid" else "cancelled"
        back = {"order_id": order["order_id"], "status": status}
        back["chu_ky"] = sign(self.merchants[order["merchant"]], back)
        separator = "&" if "?" in order["return_url"] else "?"
        return Response(status=303, headers={"Location": order["return_url"] + separator + urlencode(back)})

    def pay(self, order: dict) -> dict:
        """Mark the order paid (once), and send its notification to the portal; the notification as sent."""
        with self.lock:
            if order["status"] != "paid":
                order["status"] = "paid"
                order["transaction_id"] = f"GD{secrets.token_hex(6).upper()}"
                order["paid_at"] = datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S")
                self.transactions.append(
                    {
                        "order_id": order["order_id"],
                        "amount": order["amount"],
                        "transaction_id": order["transaction_id"],
                        "paid_at": order["paid_at"],
                    }
                )
        notice = self.notification(order)
        times = 2 if fires(self.standin, "duplicate", "ThongBao", order["order_id"]) else 1
        for _ in range(times):
            self._deliver(order["notify_url"], notice)
        return notice

    def notification(self, order: dict) -> dict:
        notice = {
            "merchant": order["merchant"],
            "order_id": order["order_id"],
            "ma_ho_so": order.get("ma_ho_so", ""),
            "amount": str(order["amount"]),
            "transaction_id": order["transaction_id"],
            "status": "paid",
            "paid_at": order["paid_at"],
        }
        notice["chu_ky"] = sign(self.merchants[order["merchant"]], notice)
        return notice

    def _deliver(self, url: str, notice: dict) -> None:
        try:
            # One connection per notification, closed after it (as a platform calling many merchants would).
            response = requests.post(url, json=notice, timeout=(2, 10), headers={"Connection": "close"})
            answer = {"status": response.status_code, "body": response.text[:500]}
        except requests.RequestException as exc:
            answer = {"status": None, "body": type(exc).__name__}
        with self.lock:
            self.notifications.append({"url": url, "notice": notice, "answer": answer})

    # --- reconciliation --------------------------------------------------------------------------------------

    def _transactions(self, request: Request) -> Response:
        with self.lock:
            token = f"GiaoDich|{request.query.get('ngay', '')}|{len(self.notifications)}"
        fault = transport_fault(self.standin, "GiaoDich", token)
        if fault is not None:
            return fault
        fields = dict(request.query)
        secret = self.merchants.get(fields.get("merchant", ""))
        if secret is None or not signature_valid(secret, fields):
            return json_response(
                {"error_code": 100, "field": "chu_ky", "message": "Chữ ký không hợp lệ"}, status=401
            )
        day = fields.get("ngay", "")
        if not re.match(r"^\d{8}$", day):
            return json_response({"error_code": 302, "field": "ngay", "message": "Ngày phải là yyyyMMdd"})
        with self.lock:
            rows = [row for row in self.transactions if row["paid_at"].startswith(day)]
        return json_response({"error_code": 0, "message": "Thành công", "data": rows})

    # --- control ---------------------------------------------------------------------------------------------

    def _control_config(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict) or not isinstance(data.get("merchants"), dict):
            raise BadRequest("config: {merchants: {code: secret}}")
        with self.lock:
            self.merchants = {str(k): str(v) for k, v in data["merchants"].items()}
        return json_response({"merchants": sorted(self.merchants)})

    def _control_notifications(self, request: Request) -> Response:
        with self.lock:
            return json_response(list(self.notifications))

    def _control_order(self, request: Request) -> Response:
        with self.lock:
            order = self.orders.get(request.params["order_id"])
        if order is None:
            return json_response({"error": "no such order"}, status=404)
        return json_response(order)

    def _control_pay(self, request: Request) -> Response:
        """Pay an order as the citizen would on the payment page: {notice, return_url} as sent."""
        with self.lock:
            order = self.orders.get(request.params["order_id"])
        if order is None:
            return json_response({"error": "no such order"}, status=404)
        notice = self.pay(order)
        back = {"order_id": order["order_id"], "status": "paid"}
        back["chu_ky"] = sign(self.merchants[order["merchant"]], back)
        return json_response({"notice": notice, "return_query": back})

    def _control_add_transaction(self, request: Request) -> Response:
        """A transaction the platform has and the portal may not (reconciliation tests)."""
        data = request.json()
        if not isinstance(data, dict) or not {"order_id", "amount", "paid_at"} <= set(data):
            raise BadRequest("transaction: {order_id, amount, paid_at, transaction_id?}")
        row = {
            "order_id": str(data["order_id"]),
            "amount": int(data["amount"]),
            "transaction_id": str(data.get("transaction_id") or f"GD{secrets.token_hex(6).upper()}"),
            "paid_at": str(data["paid_at"]),
        }
        with self.lock:
            self.transactions = [t for t in self.transactions if t["order_id"] != row["order_id"]] + [row]
        return json_response(row)
