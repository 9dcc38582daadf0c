"""The national population database as the provincial data-sharing platform (LGSP) exposes it, under ``/lgsp/``.

``POST /lgsp/token`` (form ``grant_type=client_credentials``, the client's id and secret in HTTP Basic or in the
form) → ``{access_token, token_type: "Bearer", expires_in}``; refused credentials are HTTP 401 with error_code 100.

``POST /lgsp/dancu/cong-dan`` (``Authorization: Bearer …``, JSON ``{MaDonVi, SoDinhDanh}``) → ``{error_code: 0,
data: {...} | null}``: ``data`` is null when nobody has that personal id. The platform's refusals (DOMAIN.md §11):
100 token missing, unknown or expired (HTTP 401), 101 caller's address not allowed (HTTP 403), 106 wrong agency
id, 302 invalid data type (a personal id that is not 12 digits), each with ``field`` and ``message``.

The population is seeded: ``SEEDED`` fake people generated from the stand-in's seed, plus people a test adds
through ``/_control/population/people``. Faults of the plan apply to the service ``CongDan`` (and ``Token`` for
the token endpoint); ``session_expired`` revokes the token the call carried (the client must get a new one).
"""

from __future__ import annotations

import base64
import random
import re
import secrets
import threading
import time
from collections import Counter, deque
from urllib.parse import parse_qs

from integrations.standin.common import fires, refusal, slow_delay, transport_fault
from integrations.standin.server import BadRequest, Request, Response, json_response

SEEDED = 300
PERSONAL_ID = re.compile(r"^[0-9]{12}$")
SERVICE = "CongDan"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_MALE = ["Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ"]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Tài", "Tuấn"]
GIVEN_FEMALE = ["Anh", "Châu", "Diễm", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngân", "Thảo", "Vy"]
WARDS = [
    "Phường Rạch Giá, tỉnh An Giang",
    "Phường Vĩnh Thông, tỉnh An Giang",
    "Xã Châu Thành, tỉnh An Giang",
    "Phường Long Xuyên, tỉnh An Giang",
    "Đặc khu Phú Quốc, tỉnh An Giang",
    "Xã Tân Hiệp, tỉnh An Giang",
]
STREETS = ["Nguyễn Trung Trực", "Lạc Hồng", "Trần Phú", "Mạc Cửu", "Lâm Quang Ky", "Ngô Quyền", "Hùng Vương"]


# The demo's citizen account (portal/accounts/services.py DEMO_PERSONAL_ID) is always in the population.
DEMO_PERSON = {
    "SoDinhDanh": "091090000001",
    "HoVaTen": "Nguyễn Văn An",
    "NgayThangNamSinh": "19900512",
    "GioiTinh": 1,
    "NoiThuongTru": "Số 12 đường Nguyễn Trung Trực, Phường Rạch Giá, tỉnh An Giang",
    "NoiOHienTai": "Số 12 đường Nguyễn Trung Trực, Phường Rạch Giá, tỉnh An Giang",
    "ChuHo": {"HoVaTen": "Nguyễn Văn An", "SoDinhDanh": "091090000001", "QuanHe": "Chủ hộ"},
}


def seeded_people(seed: int, count: int = SEEDED) -> dict[str, dict]:
    """``count`` fake people, the same for the same seed, and the demo's citizen: personal id → record as the
    platform answers it."""
    rng = random.Random(f"population|{seed}")
    people: dict[str, dict] = {DEMO_PERSON["SoDinhDanh"]: DEMO_PERSON}
    while len(people) < count + 1:
        male = rng.random() < 0.5
        year = rng.randint(1950, 2006)
        century = (0 if male else 1) + (2 if year >= 2000 else 0)
        personal_id = f"091{century}{year % 100:02d}{rng.randint(0, 999999):06d}"
        name = " ".join(
            [
                rng.choice(SURNAMES),
                rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE),
                rng.choice(GIVEN_MALE if male else GIVEN_FEMALE),
            ]
        )
        home = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}"
        current = (
            home
            if rng.random() < 0.8
            else f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}"
        )
        head = rng.random() < 0.4
        people[personal_id] = {
            "SoDinhDanh": personal_id,
            "HoVaTen": name,
            "NgayThangNamSinh": f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            "GioiTinh": 1 if male else 2,
            "NoiThuongTru": home,
            "NoiOHienTai": current,
            "ChuHo": {"HoVaTen": name, "SoDinhDanh": personal_id, "QuanHe": "Chủ hộ"}
            if head
            else {
                "HoVaTen": f"{name.split()[0]} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}",
                "SoDinhDanh": f"0910{rng.randint(40, 99):02d}{rng.randint(0, 999999):06d}",
                "QuanHe": rng.choice(["Cha", "Mẹ", "Vợ", "Chồng", "Con"]),
            },
        }
    return people


class PopulationDatabase:
    name = "population"

    def __init__(self, *, seed: int = 0, keep: int = 5000):
        self.seed = seed
        self.keep = keep
        self.standin = None
        self.lock = threading.RLock()
        self.seed_people = seeded_people(seed)
        self.reset()

    def attach(self, standin) -> None:
        self.standin = standin
        standin.route("POST", "/lgsp/token", self._token)
        standin.route("POST", "/lgsp/dancu/cong-dan", self._lookup)
        standin.route("POST", "/_control/population/config", self._control_config)
        standin.route("POST", "/_control/population/people", self._control_add)
        standin.route("GET", "/_control/population/people", self._control_list)
        standin.route("POST", "/_control/population/expire-tokens", self._control_expire)
        standin.route("GET", "/_control/population/received", self._control_received)

    def reset(self) -> None:
        with self.lock:
            self.clients: dict[str, str] = {}  # empty: any non-empty id and secret get a token
            self.agency = ""  # empty: any non-empty MaDonVi is accepted
            self.token_ttl = 3600.0
            self.blocked = (
                False  # True: every lookup is refused with 101 (the caller's address is not allowed)
            )
            self.tokens: dict[str, float] = {}
            self.people = dict(self.seed_people)
            self.calls: Counter[str] = Counter()
            self.outcomes: Counter[str] = Counter()
            self.received: deque = deque(maxlen=self.keep)
            self.tokens_issued = 0

    def stats(self) -> dict:
        with self.lock:
            return {
                "calls": dict(self.calls),
                "outcomes": dict(self.outcomes),
                "tokens_issued": self.tokens_issued,
                "people": len(self.people),
            }

    # --- OAuth2 client credentials ---------------------------------------------------------------------------

    def _token(self, request: Request) -> Response:
        with self.lock:
            self.calls["Token"] += 1
            token = f"Token|#{self.calls['Token']}"
        fault = transport_fault(self.standin, "Token", token)
        if fault is not None:
            return fault
        form = {k: v[-1] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
            except ValueError:
                client_id, secret = "", ""
        if form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type", "error_code": 302}, status=400)
        known = self.clients.get(client_id) if self.clients else None
        if not client_id or not secret or (self.clients and known != secret):
            return json_response(
                {"error": "invalid_client", "error_code": 100, "message": "Sai mã ứng dụng hoặc khóa bí mật"},
                status=401,
            )
        access = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[access] = time.monotonic() + self.token_ttl
            self.tokens_issued += 1
        return json_response(
            {"access_token": access, "token_type": "Bearer", "expires_in": int(self.token_ttl)}
        )

    def _token_valid(self, access: str) -> bool:
        with self.lock:
            expires = self.tokens.get(access)
            if expires is None:
                return False
            if expires < time.monotonic():
                del self.tokens[access]
                return False
            return True

    # --- the lookup ------------------------------------------------------------------------------------------

    def _lookup(self, request: Request) -> Response:
        with self.lock:
            self.calls[SERVICE] += 1
            token = f"{SERVICE}|#{self.calls[SERVICE]}"
        fault = transport_fault(self.standin, SERVICE, token)
        if fault is not None:
            self._record(None, "fault")
            return fault
        delay = slow_delay(self.standin, SERVICE, token)
        response = self._answer(request, token)
        response.delay = delay
        return response

    def _answer(self, request: Request, token: str) -> Response:
        auth = request.headers.get("authorization", "")
        access = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
        if access and fires(self.standin, "session_expired", SERVICE, token):
            with self.lock:
                self.tokens.pop(access, None)
        if not self._token_valid(access):
            self._record(None, "token_refused")
            return refusal(100, "Authorization", "Token không hợp lệ hoặc đã hết hạn", status=401)
        if self.blocked:
            self._record(None, "ip_refused")
            return refusal(101, "IP", "Địa chỉ IP không được phép truy cập", status=403)
        try:
            body = request.json()
        except BadRequest:
            return refusal(302, "body", "Dữ liệu không đúng kiểu (JSON)", status=400)
        if not isinstance(body, dict):
            return refusal(302, "body", "Dữ liệu không đúng kiểu (đối tượng JSON)", status=400)
        agency = body.get("MaDonVi")
        if not isinstance(agency, str) or not agency or (self.agency and agency != self.agency):
            self._record(None, "agency_refused")
            return refusal(106, "MaDonVi", "Mã đơn vị không đúng")
        personal_id = body.get("SoDinhDanh")
        if not isinstance(personal_id, str) or not PERSONAL_ID.match(personal_id):
            self._record(None, "invalid")
            return refusal(302, "SoDinhDanh", "Số định danh phải gồm 12 chữ số")
        with self.lock:
            person = self.people.get(personal_id)
        self._record(personal_id, "found" if person else "not_found")
        return json_response({"error_code": 0, "message": "Thành công", "data": person})

    def _record(self, personal_id: str | None, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1
            self.received.append({"SoDinhDanh": personal_id, "outcome": outcome})

    # --- control ---------------------------------------------------------------------------------------------

    def _control_config(self, request: Request) -> Response:
        data = request.json()
        if not isinstance(data, dict):
            raise BadRequest("config: a JSON object")
        with self.lock:
            if "clients" in data:
                self.clients = dict(data["clients"] or {})
            if "agency" in data:
                self.agency = str(data["agency"] or "")
            if "token_ttl" in data:
                self.token_ttl = float(data["token_ttl"])
            if "blocked" in data:
                self.blocked = bool(data["blocked"])
            return json_response(
                {"agency": self.agency, "token_ttl": self.token_ttl, "blocked": self.blocked}
            )

    def _control_add(self, request: Request) -> Response:
        data = request.json()
        people = data.get("people") if isinstance(data, dict) else None
        if not isinstance(people, list) or not all(
            isinstance(p, dict) and PERSONAL_ID.match(str(p.get("SoDinhDanh", ""))) for p in people
        ):
            raise BadRequest("people: a list of records, each with a 12-digit SoDinhDanh")
        with self.lock:
            for person in people:
                self.people[person["SoDinhDanh"]] = person
            return json_response({"people": len(self.people)})

    def _control_list(self, request: Request) -> Response:
        limit = int(request.query.get("limit", "20"))
        with self.lock:
            return json_response(list(self.people.values())[:limit])

    def _control_expire(self, request: Request) -> Response:
        with self.lock:
            count = len(self.tokens)
            self.tokens.clear()
        return json_response({"expired": count})

    def _control_received(self, request: Request) -> Response:
        with self.lock:
            return json_response(list(self.received))
