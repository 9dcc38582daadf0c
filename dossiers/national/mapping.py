"""Our dossier as the national portal's one-stop services expect it (DOMAIN.md §11): ``DongBoHoSoMC`` for the
dossier and its status, ``CapNhatTienDoHoSoMC`` for one processing step. Dates are ``yyyyMMddHHmmss`` in
Asia/Ho_Chi_Minh; codes are the national ones (channel 1–3, applicant kind 1–4, status 1–10)."""

from datetime import datetime

from integrations.dvcqg.dates import format_datetime

from dossiers import wording
from dossiers.models import Dossier, DossierEvent, DossierFile, OutboxEvent, VaultDocument

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


def document_payload(stored: DossierFile) -> dict:
    vault = stored.vault_document
    return {
        "TepDinhKemId": str(stored.pk),
        "TenTepDinhKem": stored.original_name,
        "TenGiayTo": stored.label,
        "MaThanhPhanHoSo": str(stored.requirement_id or ""),
        "DungLuong": stored.size,
        # The vault flags (Decree 45/2020): kept in the applicant's store, digitised at the counter.
        "DuocLuuKho": 1 if vault is not None else 0,
        "DuocSoHoa": 1 if vault is not None and vault.source == VaultDocument.Source.DIGITISED else 0,
    }


def fees_payload(dossier: Dossier) -> list[dict]:
    fees = []
    for channel in dossier.procedure.channels.all():
        if channel.fee_amount:
            fees.append({"LoaiPhiLePhi": 1, "MucPhi": channel.fee_amount, "KenhThucHien": channel.kind})
    return fees[:1]


def supplements_payload(dossier: Dossier) -> list[dict]:
    return [
        {
            "NgayYeuCau": _date(request.requested_at),
            "NgayBoSung": _date(request.answered_at),
            "NoiDungYeuCau": request.reason[:500],
            "NgayHenTraCu": _date(dossier.original_due_at),
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


def dossier_payload(dossier: Dossier, status: int) -> dict:
    """DongBoHoSoMC: the dossier as it stands, with the status of the step being sent."""
    files = list(dossier.files.select_related("vault_document"))
    return {
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
        "HinhThucTraKetQua": 2 if dossier.delivery == Dossier.Delivery.POST else 1,
        "TaiLieuNop": [document_payload(f) for f in files if f.kind in (DossierFile.Kind.APPLICATION,)],
        "DanhSachLePhi": fees_payload(dossier),
        "DanhSachHoSoBoSung": supplements_payload(dossier),
        "DanhSachGiaHan": extensions_payload(dossier),
        "DanhSachGiayToKetQua": [
            {"TenGiayTo": f.label, "TenTepDinhKem": f.original_name, "TepDinhKemId": str(f.pk)}
            for f in files
            if f.kind == DossierFile.Kind.RESULT and f.approved_at is not None
        ],
    }


def step_payload(dossier: Dossier, event: DossierEvent, status: int) -> dict:
    """CapNhatTienDoHoSoMC: one processing step (who, when, which unit, what, until when)."""
    actor = event.actor
    return {
        "MaHoSo": national_code(dossier),
        "NguoiXuLy": (actor.full_name or actor.username) if actor is not None else "",
        "ChucDanh": event.actor_title,
        "ThoiDiemXuLy": _date(event.at),
        "PhongBanXuLy": event.agency.name if event.agency is not None else "",
        "NoiDungXuLy": wording.history_note_for_national_portal(event),
        "TrangThai": status,
        "NgayBatDau": _date(event.at),
        "NgayKetThucTheoQuyDinh": _date(event.step_deadline),
    }


def outbox_payload(row: OutboxEvent) -> tuple[str, dict]:
    """(service, payload) for an outbox row, built when it is sent: the dossier's current data with the row's
    status, so a retry after hours sends the truth of that moment, not a stale copy."""
    service = service_for(row.event)
    if service == SYNC_STEP:
        return service, step_payload(row.dossier, row.event, row.national_status)
    return service, dossier_payload(row.dossier, row.national_status)
