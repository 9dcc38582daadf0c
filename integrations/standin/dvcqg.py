"""The national public-service portal (Cổng DVCQG), as the stand-in plays it under ``/dvcqg/``.

``POST /dvcqg/login`` ``{username, password}`` → ``{error_code: 0, session}``; ``POST /dvcqg/service``
``{session, madonvi, service, …}`` for the services below; ``GET /dvcqg/tai-lieu/<id>`` (header ``session``) for
the documents of dossiers filed here. An unknown or expired session is answered HTTP 401 with ``error_code`` 401.

Writes (``DongBoHoSoMC``, ``CapNhatTienDoHoSoMC``: ``data`` is a list of records) are validated field by field
(``dvcqg_schema.py``) and applied once per idempotency key (``IdempotencyKey`` in the body or the
``Idempotency-Key`` header): a later delivery of the same key is acknowledged as already applied and changes
nothing; the same key with other content is refused. What was applied is kept per key (deliveries, applied) and
per dossier (statuses in arrival order) for tests and the bench to read through the control API
(``dvcqg_control.py``).

Reads: ``TraCuuHoSo`` {MaHoSo}, ``LayThuTuc`` {maTTHC}, ``LayDanhSachTTHC`` {page, pageSize, NgayCapNhatTu?}
(the catalogue, seeded from the vendored national catalogue), ``LayDanhMucCoQuan`` {page, pageSize} (the
province's agencies), ``LayDanhSachHoSoMoi`` {page, pageSize, TuNgay?} (dossiers filed on the national portal,
pushed through the control API).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import secrets
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from integrations.standin import dvcqg_schema as schema
from integrations.standin.common import refusal
from integrations.standin.faults import TRANSPORT_FAULTS, FaultPlan
from integrations.standin.server import Request, Response, json_response

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "portal" / "catalog" / "data" / "procedures-2026.jsonl.gz"
AGENCIES = ROOT / "portal" / "agencies" / "data" / "91.json"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The vendored catalogue has no change dates; it is taken as published on this day.
SEED_UPDATED = "20260101000000"
SESSION_EXPIRED = {"error_code": 401, "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"}
MAX_PAGE_SIZE = 500


def now14() -> str:
    return datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S")


def ok(result=None, **extra) -> Response:
    return json_response({"error_code": 0, "message": "Thành công", "result": result, **extra})


def _record_id(record: dict) -> str:
    """The record's own code in any of the written services (a dossier, a piece of feedback, a rating)."""
    return record.get("MaHoSo") or record.get("MaPAKN") or record.get("MaDanhGia") or ""


@dataclass(slots=True)
class KeyState:
    service: str
    deliveries: int = 0
    applied: int = 0
    digest: str = ""


@dataclass
class Document:
    content_type: str
    content: bytes | None = None
    size: int = 0  # a synthetic document of this many bytes when content is None
    chunked: bool = False  # sent without Content-Length (a client must count the bytes itself)


def load_catalogue(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    return [{**record, "ngay_cap_nhat": record.get("ngay_cap_nhat") or SEED_UPDATED} for record in records]


def load_agencies(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    province = data["province_agency"]
    rows = [{"MaCoQuan": province["code"], "TenCoQuan": province["name"], "MaCoQuanCha": ""}]
    for agency in data.get("agencies", []):
        rows.append(
            {"MaCoQuan": agency["code"], "TenCoQuan": agency["name"], "MaCoQuanCha": province["code"]}
        )
    return rows


class NationalPortal:
    name = "dvcqg"

    def __init__(
        self, *, catalogue_path: Path = CATALOGUE, agencies_path: Path = AGENCIES, keep: int = 20000
    ):
        self.seed_catalogue = load_catalogue(catalogue_path)
        self.seed_agencies = load_agencies(agencies_path)
        self.keep = keep
        self.standin = None
        self.lock = threading.RLock()
        self.services = {
            "DongBoHoSoMC": self._dossier_sync,
            "CapNhatTienDoHoSoMC": self._progress_update,
            "TraCuuHoSo": self._lookup,
            "LayThuTuc": self._procedure,
            "LayDanhSachTTHC": self._procedures,
            "LayDanhMucCoQuan": self._agencies,
            "LayDanhSachHoSoMoi": self._incoming,
            "DongBoPAKN": self._feedback_publish,
            "DongBoDanhGia": self._rating_sync,
        }
        self.reset()

    def attach(self, standin) -> None:
        from integrations.standin.dvcqg_control import register_control

        self.standin = standin
        standin.route("POST", "/dvcqg/login", self._login)
        standin.route("POST", "/dvcqg/service", self._service)
        standin.route("GET", "/dvcqg/tai-lieu/{ref}", self._document)
        register_control(standin, self)

    def reset(self) -> None:
        with self.lock:
            # Settings a test may change through /_control/dvcqg/config.
            self.accounts: dict[str, str] = {}  # empty: any non-empty username and password log in
            self.agency = ""  # empty: any non-empty madonvi is accepted
            self.session_ttl = 3600.0
            self.strict_codes = False  # refuse MaTTHC not in the catalogue
            self.require_known_dossier = False  # refuse progress of a dossier never synced
            self.sessions: dict[str, float] = {}
            self.keys: dict[str, KeyState] = {}
            self.calls: Counter[str] = Counter()
            self.outcomes: Counter[str] = Counter()
            self.received: deque = deque(maxlen=self.keep)
            self.sequence = itertools.count(1)
            self.dossiers: dict[str, dict] = {}
            self.feedback: dict[str, list[dict]] = {}  # MaPAKN → what was published, in arrival order
            self.ratings: dict[str, list[dict]] = {}  # MaDanhGia → its versions
            self.progress: dict[str, list[dict]] = {}
            self.statuses: dict[str, list[tuple[str, int, str]]] = {}
            self.catalogue: dict[str, dict] = {r["ma_thu_tuc"]: r for r in self.seed_catalogue}
            self.agency_rows = list(self.seed_agencies)
            self.incoming_rows: list[dict] = []
            self.documents: dict[str, Document] = {}
            self.logins = 0

    def stats(self) -> dict:
        with self.lock:
            return {
                "calls": dict(self.calls),
                "outcomes": dict(self.outcomes),
                "logins": self.logins,
                "keys": len(self.keys),
                "applied": sum(1 for state in self.keys.values() if state.applied),
                "dossiers": len(self.dossiers),
                "catalogue": len(self.catalogue),
                "incoming": len(self.incoming_rows),
            }

    # --- login and sessions ----------------------------------------------------------------------------------

    def _login(self, request: Request) -> Response:
        body = request.json()
        username = body.get("username") if isinstance(body, dict) else None
        password = body.get("password") if isinstance(body, dict) else None
        known = self.accounts.get(username) if self.accounts else None
        if not isinstance(username, str) or not username or not isinstance(password, str) or not password:
            return refusal(100, "username", "Thiếu tên đăng nhập hoặc mật khẩu")
        if self.accounts and known != password:
            return refusal(100, "password", "Sai tên đăng nhập hoặc mật khẩu")
        session = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[session] = time.monotonic() + self.session_ttl
            self.logins += 1
        return json_response({"error_code": 0, "message": "Thành công", "session": session})

    def _session_valid(self, session) -> bool:
        with self.lock:
            expires = self.sessions.get(session) if isinstance(session, str) else None
            if expires is None:
                return False
            if expires < time.monotonic():
                del self.sessions[session]
                return False
            return True

    def expire_sessions(self) -> int:
        with self.lock:
            count = len(self.sessions)
            self.sessions.clear()
            return count

    # --- the service endpoint --------------------------------------------------------------------------------

    def _service(self, request: Request) -> Response:
        try:
            body = request.json()
        except Exception:
            return refusal(schema.INVALID, "body", "Nội dung yêu cầu không phải JSON", status=400)
        if not isinstance(body, dict):
            return refusal(schema.INVALID, "body", "Nội dung yêu cầu phải là đối tượng JSON", status=400)
        service = body.get("service")
        handler = self.services.get(service) if isinstance(service, str) else None
        if handler is None:
            return refusal(404, "service", f"Dịch vụ không tồn tại: {service}")
        key = body.get("IdempotencyKey") or request.headers.get("idempotency-key") or ""
        if not isinstance(key, str):
            return refusal(schema.INVALID, "IdempotencyKey", "IdempotencyKey phải là chuỗi")
        with self.lock:
            self.calls[service] += 1
            if key:
                state = self.keys.setdefault(key, KeyState(service))
                state.deliveries += 1
                token = f"{service}|{key}|{state.deliveries}"
            else:
                token = f"{service}|#{self.calls[service]}"
        plan: FaultPlan = self.standin.plan
        delay = 0.0
        if plan.applies_to(service):
            for name in TRANSPORT_FAULTS:
                if plan.fires(name, token):
                    return self._fault(name, plan, service, key, body)
            if plan.fires("slow", token):
                self.standin.count_fault("slow")
                delay = plan.slow_seconds
        response = self._authorised(body, service, key, token, plan) or handler(body, key, token, plan)
        response.delay = delay
        return response

    def _authorised(self, body: dict, service: str, key: str, token: str, plan: FaultPlan) -> Response | None:
        """None when the call may proceed; otherwise the refusal (session, agency)."""
        session = body.get("session")
        if plan.applies_to(service) and plan.fires("session_expired", token) and self._session_valid(session):
            with self.lock:
                self.sessions.pop(session, None)
            self.standin.count_fault("session_expired")
        if not self._session_valid(session):
            self._record(service, key, body, "session_expired")
            return json_response(SESSION_EXPIRED, status=401)
        agency = body.get("madonvi")
        if not isinstance(agency, str) or not agency or (self.agency and agency != self.agency):
            self._record(service, key, body, "refused")
            return refusal(106, "madonvi", "Mã đơn vị không đúng")
        return None

    def _fault(self, name: str, plan: FaultPlan, service: str, key: str, body: dict) -> Response:
        self.standin.count_fault(name)
        self._record(service, key, body, f"fault:{name}")
        if name == "reset":
            return Response(drop=True)
        if name == "timeout":
            return Response(drop=True, delay=plan.timeout_seconds)
        if name == "error":
            return json_response({"message": "Service Unavailable"}, status=plan.error_status)
        if name == "rate_limit":
            return json_response({"message": "Too Many Requests"}, status=429, headers={"Retry-After": "1"})
        if name == "html":
            page = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
            return Response(body=page, content_type="text/html; charset=utf-8")
        # malformed: says JSON, is cut short
        return Response(body=b'{"error_code": 0, "message": "Th\xc3\xa0nh c\xc3\xb4ng", "result": [')

    def _record(self, service: str, key: str, body: dict, outcome: str) -> None:
        kept = {name: value for name, value in body.items() if name not in ("session",)}
        with self.lock:
            self.outcomes[outcome] += 1
            self.received.append(
                {
                    "seq": next(self.sequence),
                    "at": now14(),
                    "service": service,
                    "key": key,
                    "outcome": outcome,
                    "body": kept,
                }
            )

    # --- writes ----------------------------------------------------------------------------------------------

    def _dossier_sync(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        return self._write(
            "DongBoHoSoMC", body, key, token, plan, schema.validate_dossier, self._apply_dossier
        )

    def _feedback_publish(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        return self._write(
            "DongBoPAKN", body, key, token, plan, schema.validate_feedback, self._apply_feedback
        )

    def _rating_sync(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        return self._write(
            "DongBoDanhGia", body, key, token, plan, schema.validate_rating, self._apply_rating
        )

    def _apply_feedback(self, record: dict, key: str) -> None:
        self.feedback.setdefault(record["MaPAKN"], []).append(record)

    def _apply_rating(self, record: dict, key: str) -> None:
        self.ratings.setdefault(record["MaDanhGia"], []).append(record)

    def _progress_update(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        return self._write(
            "CapNhatTienDoHoSoMC", body, key, token, plan, schema.validate_progress, self._apply_progress
        )

    def _write(self, service, body, key, token, plan, validate, apply) -> Response:
        data = body.get("data")
        records = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
        if not records:
            self._record(service, key, body, "refused")
            return refusal(schema.MISSING, "data", "Thiếu dữ liệu hồ sơ (data)")
        digest = hashlib.sha256(json.dumps(records, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        with self.lock:
            state = self.keys.get(key) if key else None
            if state and state.digest and state.digest != digest:
                self._record(service, key, body, "refused")
                return refusal(409, "IdempotencyKey", "IdempotencyKey đã dùng cho một nội dung khác")
            if state and state.applied:
                self._record(service, key, body, "duplicate")
                return ok({"applied": False, "duplicate": True}, message="Đã xử lý trước đó")
        for index, record in enumerate(records):
            problem = validate(record) or self._business_rules(service, record)
            if problem:
                field = problem.field if len(records) == 1 else f"data[{index}].{problem.field}"
                self._record(service, key, body, "refused")
                return refusal(problem.code, field, problem.message)
        invalid_token = f"{service}|{key}" if key else token
        if plan.applies_to(service) and plan.fires("invalid", invalid_token):
            self.standin.count_fault("invalid")
            self._record(service, key, body, "refused")
            return refusal(schema.INVALID, "MaTTHC", "Mã thủ tục hành chính không hợp lệ (lỗi giả lập)")
        with self.lock:
            state = self.keys.get(key) if key else None
            if state and state.applied:  # a concurrent delivery of the same key got here first
                self._record(service, key, body, "duplicate")
                return ok({"applied": False, "duplicate": True}, message="Đã xử lý trước đó")
            for record in records:
                apply(record, key)
            if state:
                state.applied += 1
                state.digest = digest
            self._record(service, key, body, "applied")
        if plan.applies_to(service) and plan.fires("duplicate", token):
            self.standin.count_fault(
                "duplicate"
            )  # applied, but the answer is lost: the client will send it again
            return json_response({"message": "Service Unavailable"}, status=503)
        return ok({"applied": True, "ids": [_record_id(record) for record in records]})

    def _business_rules(self, service: str, record: dict) -> schema.Refusal | None:
        if self.strict_codes and service == "DongBoHoSoMC" and record["MaTTHC"] not in self.catalogue:
            return schema.Refusal(schema.INVALID, "MaTTHC", "Mã thủ tục hành chính không có trong danh mục")
        if (
            self.require_known_dossier
            and service == "CapNhatTienDoHoSoMC"
            and record["MaHoSo"] not in self.dossiers
        ):
            return schema.Refusal(schema.INVALID, "MaHoSo", "Hồ sơ chưa được đồng bộ")
        return None

    def _apply_dossier(self, record: dict, key: str) -> None:
        code = record["MaHoSo"]
        self.dossiers[code] = record
        self.statuses.setdefault(code, []).append(("DongBoHoSoMC", record["TrangThaiHoSo"], key))

    def _apply_progress(self, record: dict, key: str) -> None:
        code = record["MaHoSo"]
        self.progress.setdefault(code, []).append(record)
        self.statuses.setdefault(code, []).append(("CapNhatTienDoHoSoMC", record["TrangThai"], key))

    # --- reads -----------------------------------------------------------------------------------------------

    def _lookup(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        code = body.get("MaHoSo")
        if not isinstance(code, str) or not code:
            return refusal(schema.MISSING, "MaHoSo", "Thiếu mã hồ sơ")
        self._record("TraCuuHoSo", key, body, "read")
        with self.lock:
            record = self.dossiers.get(code)
            if record is None:
                return ok(None)
            history = [status for _, status, _ in self.statuses.get(code, [])]
            return ok({**record, "LichSuTrangThai": history, "TienDoXuLy": list(self.progress.get(code, []))})

    def _procedure(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        code = body.get("maTTHC") or body.get("MaTTHC")
        if not isinstance(code, str) or not code:
            return refusal(schema.MISSING, "maTTHC", "Thiếu mã thủ tục")
        self._record("LayThuTuc", key, body, "read")
        record = self.catalogue.get(code)
        return ok([record] if record else [])

    def _procedures(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        since = body.get("NgayCapNhatTu")
        if since not in (None, "") and not schema._is_date(since):
            return refusal(schema.INVALID, "NgayCapNhatTu", "NgayCapNhatTu phải có dạng yyyyMMddHHmmss")
        with self.lock:
            rows = [r for r in self.catalogue.values() if not since or r.get("ngay_cap_nhat", "") >= since]
        return self._page("LayDanhSachTTHC", body, key, rows)

    def _agencies(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        return self._page("LayDanhMucCoQuan", body, key, list(self.agency_rows))

    def _incoming(self, body: dict, key: str, token: str, plan: FaultPlan) -> Response:
        since = body.get("TuNgay")
        if since not in (None, "") and not schema._is_date(since):
            return refusal(schema.INVALID, "TuNgay", "TuNgay phải có dạng yyyyMMddHHmmss")
        with self.lock:
            rows = [r for r in self.incoming_rows if not since or str(r.get("NgayNopHoSo", "")) >= since]
        return self._page("LayDanhSachHoSoMoi", body, key, rows)

    def _page(self, service: str, body: dict, key: str, rows: list[dict]) -> Response:
        page, size = body.get("page", 1), body.get("pageSize", 100)
        for name, value in (("page", page), ("pageSize", size)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                return refusal(schema.INVALID, name, f"{name} phải là số nguyên dương")
        size = min(size, MAX_PAGE_SIZE)
        self._record(service, key, body, "read")
        return ok(rows[(page - 1) * size : page * size], total=len(rows), page=page, pageSize=size)

    # --- documents of incoming dossiers ----------------------------------------------------------------------

    def _document(self, request: Request) -> Response:
        plan: FaultPlan = self.standin.plan
        with self.lock:
            self.calls["TaiLieu"] += 1
            token = f"TaiLieu|#{self.calls['TaiLieu']}"
        if plan.applies_to("TaiLieu"):
            for name in TRANSPORT_FAULTS:
                if plan.fires(name, token):
                    return self._fault(name, plan, "TaiLieu", "", {"ref": request.params["ref"]})
        if not self._session_valid(request.headers.get("session")):
            return json_response(SESSION_EXPIRED, status=401)
        document = self.documents.get(request.params["ref"])
        if document is None:
            return refusal(404, "TaiLieu", "Không tìm thấy tài liệu", status=404)
        if document.content is not None:
            return Response(body=document.content, content_type=document.content_type)
        return Response(
            body=_synthetic(document.size), length=document.size, content_type=document.content_type
        )

    def add_document(
        self, content: bytes | None, size: int, content_type: str, *, chunked: bool = False
    ) -> str:
        with self.lock:
            ref = f"tl-{len(self.documents) + 1:06d}-{secrets.token_hex(4)}"
            self.documents[ref] = Document(
                content_type=content_type, content=content, size=size, chunked=chunked
            )
            return ref


def _synthetic(size: int):
    """``size`` bytes that start like a PDF, streamed in chunks (a large file is never held in memory)."""
    head = b"%PDF-1.4\n"[:size]
    yield head
    left = size - len(head)
    block = b"0" * 65536
    while left > 0:
        chunk = block[: min(left, len(block))]
        yield chunk
        left -= len(chunk)
