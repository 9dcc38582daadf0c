"""Our dossier as the national portal's one-stop services expect it (DOMAIN.md §11): ``DongBoHoSoMC`` for the
dossier and its status, ``CapNhatTienDoHoSoMC`` for one processing step. Dates are ``yyyyMMddHHmmss`` in
Asia/Ho_Chi_Minh; codes are the national ones (channel 1–3, applicant kind 1–4, status 1–10)."""

from collections.abc import Callable
from datetime import datetime

from dossiers import wording
from dossiers.deadlines import channel_kind
from dossiers.models import Dossier, DossierEvent, DossierFile, OutboxEvent, VaultDocument
from integrations.dvcqg.dates import format_datetime

SYNC_DOSSIER = "DongBoHoSoMC"
SYNC_STEP = "CapNhatTienDoHoSoMC"

# KenhThucHien: 1 direct, 2 online, 3 postal. A dossier filed on the national portal was filed online.
NATIONAL_CHANNEL = {
    Dossier.Channel.DIRECT: 1,
    Dossier.Channel.ONLINE: 2,
    Dossier.Channel.POSTAL: 3,
    Dossier.Channel.NATIONAL_PORTAL: 2,
}


def _date(value: datetime | None) -> str:
    return format_datetime(value) if value is not None else ""


def national_code(dossier: Dossier) -> str:
    """MaHoSo: the national portal's own code for a dossier filed there, else ours."""
    origin = (
        getattr(dossier, "national_origin", None)
        if dossier.channel == Dossier.Channel.NATIONAL_PORTAL
        else None
    )
    return origin.national_code if origin is not None else (dossier.code or "")


def service_for(event: DossierEvent) -> str:
    """A step that changes the status updates the dossier; a step within a status is a progress update."""
    return SYNC_STEP if event.from_state and event.from_state == event.to_state else SYNC_DOSSIER


def applicant_payload(dossier: Dossier) -> dict:
    return {
        "HoVaTen": dossier.applicant_name,
        "SoDinhDanh": dossier.applicant_id_number,
        "SoDienThoai": dossier.applicant_phone,
        "ThuDienTu": dossier.applicant_email,
        "DiaChi": dossier.applicant_address,
    }


def document_payload(stored: DossierFile, dossier: Dossier) -> dict:
    vault = stored.vault_document
    # The vault flags (Decree 45/2020). A paper scanned at this dossier's counter went into the store with it;
    # a store entry older than the dossier was taken from the store instead of being filed again.
    from_store = vault is not None and vault.created_at < dossier.created_at
    return {
        "TepDinhKemId": str(stored.pk),
        "TenTepDinhKem": stored.original_name,
        "MaThanhPhanHoSo": str(stored.requirement_id or ""),
        "DuocSoHoa": vault is not None and vault.source == VaultDocument.Source.DIGITISED and not from_store,
        "DuocLayTuKhoDMDC": from_store,
        "DuocTaiSuDung": vault is not None,
    }


def fees_payload(dossier: Dossier) -> list[dict]:
    """The fee of the dossier's channel, as the catalogue states it (none when free or unknown)."""
    for channel in dossier.procedure.channels.all():
        if channel.fee_amount and channel.kind == channel_kind(dossier.channel):
            return [
                {
                    "TenPhiLePhi": (channel.fee_text or "Lệ phí")[:300],
                    "Gia": channel.fee_amount,
                    "LoaiPhiLePhi": 1,
                }
            ]
    return []


def supplements_payload(dossier: Dossier) -> list[dict]:
    """Requests for more papers: when, what, when answered, and the due date before and after."""
    return [
        {
            "HoSoBoSungId": str(request.pk),
            "NgayBoSung": _date(request.requested_at),
            "NoiDungBoSung": request.reason[:500],
            "NgayTiepNhanBoSung": _date(request.answered_at),
            "TrangThaiBoSung": 1 if request.answered_at else 0,
            "NgayHenTraTruoc": _date(dossier.original_due_at),
            "NgayHenTraMoi": _date(dossier.due_at if request.answered_at else None),
        }
        for request in dossier.supplement_requests.all()
    ]


def extensions_payload(dossier: Dossier) -> list[dict]:
    """Apologies with a new date (Mẫu 04): the old and the new due date, as recorded on the step."""
    steps = [e for e in dossier.events.all() if e.action == "apologise"]
    return [
        {
            "NgayGiaHan": _date(step.at),
            "NgayHenTraCu": step.params.get("old_due", "")
            and _date(datetime.fromisoformat(step.params["old_due"])),
            "NgayHenTraMoi": step.params.get("new_due", "")
            and _date(datetime.fromisoformat(step.params["new_due"])),
            "LyDo": step.note[:500],
        }
        for step in steps
    ]


# Apps holding more of a dossier add their fields to its DongBoHoSoMC record (the electronic declaration its
# ``ToKhaiDienTu``, eforms/national.py): each function takes the dossier and returns the fields to add.
_dossier_parts: list[Callable[[Dossier], dict]] = []


def dossier_part_register(part: Callable[[Dossier], dict]) -> None:
    if part not in _dossier_parts:
        _dossier_parts.append(part)


def dossier_payload(dossier: Dossier, status: int) -> dict:
    """DongBoHoSoMC: the dossier as it stands, with the status of the step being sent."""
    files = list(dossier.files.all())  # .all(): a bench or an export prefetches them
    payload = {
        "MaHoSo": national_code(dossier),
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": dossier.procedure.name[:500],
        "MaCoQuan": dossier.receiving_agency.code,
        "KenhThucHien": NATIONAL_CHANNEL[dossier.channel],
        "ChuHoSo": applicant_payload(dossier),
        "LoaiDoiTuong": int(dossier.applicant_kind),
        "NgayNopHoSo": _date(dossier.submitted_at),
        "NgayTiepNhan": _date(dossier.received_at),
        "NgayHenTra": _date(dossier.due_at),
        "TrangThaiHoSo": status,
        "NgayKetThucXuLy": _date(dossier.finished_at),
        "NgayTra": _date(dossier.returned_at),
        "HinhThuc": 1 if dossier.delivery == Dossier.Delivery.POST else 0,
        "DonViXuLy": dossier.handling_agency.name if dossier.handling_agency_id else "",
        "TaiLieuNop": [
            document_payload(f, dossier) for f in files if f.kind in (DossierFile.Kind.APPLICATION,)
        ],
        "DanhSachLePhi": fees_payload(dossier),
        "DanhSachHoSoBoSung": supplements_payload(dossier),
        "DanhSachGiaHan": extensions_payload(dossier),
        "DanhSachGiayToKetQua": [
            {"TenGiayTo": f.label, "GiayToId": str(f.pk)}
            for f in files
            if f.kind == DossierFile.Kind.RESULT and f.approved_at is not None
        ],
    }
    for part in _dossier_parts:
        payload.update(part(dossier))
    return payload


def _processor(actor, event: DossierEvent) -> str:
    if actor is not None:
        return actor.full_name or actor.username
    return event.agency.name if event.agency is not None else "Hệ thống thông tin một cửa điện tử"


def step_payload(dossier: Dossier, event: DossierEvent, status: int) -> dict:
    """CapNhatTienDoHoSoMC: one processing step (who, when, which unit, what, until when)."""
    actor = event.actor
    return {
        "MaHoSo": national_code(dossier),
        # Required by the portal: a step no person took (a dossier pulled from the national portal, a sweep) is the
        # unit's.
        "NguoiXuLy": _processor(actor, event),
        "ChucDanh": event.actor_title,
        "ThoiDiemXuLy": _date(event.at),
        "PhongBanXuLy": event.agency.name if event.agency is not None else "",
        "NoiDungXuLy": wording.history_note_for_national_portal(event),
        "TrangThai": status,
        "NgayBatDau": _date(event.at),
        "NgayKetThucTheoQuyDinh": _date(event.step_deadline),
    }


def event_payload(dossier: Dossier, event: DossierEvent, status: int) -> dict:
    """What the national portal is sent for a step: written into the outbox row in the same transaction as the
    step, so every attempt sends the same content under the same idempotency key."""
    if service_for(event) == SYNC_STEP:
        return step_payload(dossier, event, status)
    return dossier_payload(dossier, status)


def outbox_payload(row: OutboxEvent) -> tuple[str, dict]:
    """(service, payload) of an outbox row: the payload stored with it; a row written before payloads were stored
    gets one now."""
    return service_for(row.event), row.payload or event_payload(row.dossier, row.event, row.national_status)
