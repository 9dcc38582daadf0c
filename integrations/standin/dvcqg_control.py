"""The control API of the stand-in national portal, under ``/_control/dvcqg/``: what it received, counts per
idempotency key, statuses per dossier, and the data it serves (catalogue, incoming dossiers and their documents).

GET  /_control/dvcqg/received?service=S&limit=N   the last calls (newest last; the session is never kept)
GET  /_control/dvcqg/keys                         {key: {service, deliveries, applied}} for every key
GET  /_control/dvcqg/keys/<key>                   one key (zeros when never seen)
GET  /_control/dvcqg/dossiers/<MaHoSo>            the last record synced, its progress and status history
GET  /_control/dvcqg/dossiers/<MaHoSo>/statuses?service=S   [status, …] applied, in arrival order
POST /_control/dvcqg/catalogue  {records: [...], replace: false}   procedures in the national catalogue format
POST /_control/dvcqg/incoming   {records: [...]}    dossiers filed on the national portal (see push_incoming)
POST /_control/dvcqg/expire-sessions               every session given so far expires now
POST /_control/dvcqg/config     {accounts, agency, session_ttl, strict_codes, require_known_dossier}
"""

from __future__ import annotations

import base64
import binascii

from integrations.standin.dvcqg import now14
from integrations.standin.server import BadRequest, Request, Response, json_response


def register_control(standin, portal) -> None:
    routes = {
        ("GET", "/_control/dvcqg/received"): lambda r: _received(portal, r),
        ("GET", "/_control/dvcqg/keys"): lambda r: _keys(portal),
        ("GET", "/_control/dvcqg/keys/{key}"): lambda r: _key(portal, r.params["key"]),
        ("GET", "/_control/dvcqg/dossiers/{code}"): lambda r: _dossier(portal, r.params["code"]),
        ("GET", "/_control/dvcqg/feedback/{code}"): lambda r: _published(portal.feedback, r.params["code"]),
        ("GET", "/_control/dvcqg/ratings/{code}"): lambda r: _published(portal.ratings, r.params["code"]),
        ("GET", "/_control/dvcqg/dossiers/{code}/statuses"): lambda r: _statuses(portal, r),
        ("POST", "/_control/dvcqg/catalogue"): lambda r: _catalogue(portal, r),
        ("POST", "/_control/dvcqg/incoming"): lambda r: _incoming(portal, r),
        ("POST", "/_control/dvcqg/expire-sessions"): lambda r: json_response(
            {"expired": portal.expire_sessions()}
        ),
        ("POST", "/_control/dvcqg/config"): lambda r: _config(portal, r),
    }
    for (method, path), handler in routes.items():
        standin.route(method, path, handler)


def _received(portal, request: Request) -> Response:
    service = request.query.get("service")
    limit = request.query.get("limit", "")
    with portal.lock:
        rows = [row for row in portal.received if not service or row["service"] == service]
    if limit.isdigit():
        rows = rows[-int(limit) :] if int(limit) else []
    return json_response(rows)


def _keys(portal) -> Response:
    with portal.lock:
        return json_response(
            {
                key: {"service": s.service, "deliveries": s.deliveries, "applied": s.applied}
                for key, s in portal.keys.items()
            }
        )


def _key(portal, key: str) -> Response:
    with portal.lock:
        state = portal.keys.get(key)
        if state is None:
            return json_response({"service": "", "deliveries": 0, "applied": 0})
        return json_response(
            {"service": state.service, "deliveries": state.deliveries, "applied": state.applied}
        )


def _published(store: dict, code: str) -> Response:
    """What arrived for one piece of feedback or one rating, in arrival order (empty when nothing did)."""
    return json_response(list(store.get(code, [])))


def _dossier(portal, code: str) -> Response:
    with portal.lock:
        history = [
            {"service": s, "status": status, "key": key} for s, status, key in portal.statuses.get(code, [])
        ]
        return json_response(
            {
                "record": portal.dossiers.get(code),
                "progress": portal.progress.get(code, []),
                "history": history,
            }
        )


def _statuses(portal, request: Request) -> Response:
    service = request.query.get("service")
    with portal.lock:
        entries = portal.statuses.get(request.params["code"], [])
        return json_response([status for s, status, _ in entries if not service or s == service])


def _records(request: Request) -> list[dict]:
    data = request.json()
    records = data.get("records") if isinstance(data, dict) else None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise BadRequest("records: a list of JSON objects")
    return records


def _catalogue(portal, request: Request) -> Response:
    records = _records(request)
    for record in records:
        if not isinstance(record.get("ma_thu_tuc"), str) or not record["ma_thu_tuc"]:
            raise BadRequest("every catalogue record needs ma_thu_tuc")
    replace = bool(request.json().get("replace"))
    stamp = now14()
    with portal.lock:
        if replace:
            portal.catalogue = {}
        for record in records:
            portal.catalogue[record["ma_thu_tuc"]] = {
                **record,
                "ngay_cap_nhat": record.get("ngay_cap_nhat") or stamp,
            }
        return json_response({"catalogue": len(portal.catalogue)})


def _incoming(portal, request: Request) -> Response:
    """Each record as the national portal gives it (MaHoSo, MaTTHC, MaCoQuan, ChuHoSo, LoaiDoiTuong,
    NgayNopHoSo (default now), TruongThongTin, TaiLieu). A document in TaiLieu carries either ``NoiDung`` (its
    bytes, base64) or ``KichThuoc`` (a synthetic file of that many bytes; ``chunked: true`` sends it without a
    length), and ``LoaiNoiDung`` (content type);
    the stand-in keeps it and sets ``DuongDan`` to its id unless one is given. Records are not validated: tests
    push bad ones on purpose."""
    records = _records(request)
    stamp = now14()
    stored = []
    for record in records:
        documents = []
        for item in record.get("TaiLieu") or []:
            if not isinstance(item, dict):
                raise BadRequest("TaiLieu: a list of objects")
            documents.append(_document(portal, item))
        stored.append({**record, "NgayNopHoSo": record.get("NgayNopHoSo") or stamp, "TaiLieu": documents})
    with portal.lock:
        portal.incoming_rows.extend(stored)
        return json_response({"incoming": len(portal.incoming_rows), "records": stored})


def _document(portal, item: dict) -> dict:
    item = dict(item)
    content_b64 = item.pop("NoiDung", None)
    size = item.pop("KichThuoc", None)
    content_type = item.pop("LoaiNoiDung", None) or "application/pdf"
    chunked = bool(item.pop("chunked", False))
    if item.get("DuongDan"):
        return item  # a reference the test chose (an outside address, a missing id)
    if content_b64 is not None:
        try:
            content = base64.b64decode(content_b64, validate=True)
        except (binascii.Error, TypeError):
            raise BadRequest("NoiDung must be base64") from None
        item["DuongDan"] = portal.add_document(content, len(content), content_type)
    elif isinstance(size, int) and size >= 0:
        item["DuongDan"] = portal.add_document(None, size, content_type, chunked=chunked)
    else:
        raise BadRequest("each TaiLieu needs NoiDung (base64), KichThuoc (bytes) or DuongDan")
    return item


def _config(portal, request: Request) -> Response:
    data = request.json()
    if not isinstance(data, dict):
        raise BadRequest("config: a JSON object")
    allowed = {"accounts", "agency", "session_ttl", "strict_codes", "require_known_dossier"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadRequest(f"unknown config: {', '.join(unknown)}")
    with portal.lock:
        if "accounts" in data:
            if not isinstance(data["accounts"], dict):
                raise BadRequest("accounts: {username: password}")
            portal.accounts = {str(k): str(v) for k, v in data["accounts"].items()}
        if "agency" in data:
            portal.agency = str(data["agency"] or "")
        if "session_ttl" in data:
            if not isinstance(data["session_ttl"], int | float) or data["session_ttl"] < 0:
                raise BadRequest("session_ttl: seconds ≥ 0")
            portal.session_ttl = float(data["session_ttl"])
        for flag in ("strict_codes", "require_known_dossier"):
            if flag in data:
                setattr(portal, flag, bool(data[flag]))
        return json_response(
            {
                "accounts": sorted(portal.accounts),
                "agency": portal.agency,
                "session_ttl": portal.session_ttl,
                "strict_codes": portal.strict_codes,
                "require_known_dossier": portal.require_known_dossier,
            }
        )
