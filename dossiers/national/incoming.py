"""Dossiers filed on the national portal, pulled on a schedule and put in the reception queue of the agency that
receives them, with channel "Cổng DVCQG". Idempotent by the national code: a record seen again is not taken twice.
Their documents are fetched through the client and checked like uploads; one bad record is refused with its reason
and the others are still taken; a record whose documents cannot be fetched now waits for the next pull."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dossiers import notifications
from dossiers.codes import dossier_code_issue
from dossiers.errors import InvalidInput
from dossiers.models import Dossier, DossierFile, IncomingDossier
from dossiers.services import Step, record_step
from dossiers.uploads import max_dossier_bytes, max_file_bytes, storage_name, upload_check
from integrations.dvcqg.client import DvcqgClient, dvcqg_client, dvcqg_configured
from integrations.dvcqg.dates import parse_datetime
from integrations.dvcqg.errors import DvcqgError, PermanentError, TemporaryError
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure
from portal.catalog.selectors import procedure_receiving_agencies

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
# Records filed just before the last pull may be published late: each pull looks back this far (taking is idempotent).
OVERLAP = timedelta(hours=1)
Reason = IncomingDossier.Reason
Outcome = IncomingDossier.Outcome


class Refused(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail[:300]


class Unreachable(Exception):
    pass


@dataclass
class IncomingReport:
    configured: bool = True
    taken: int = 0
    refused: int = 0
    waiting: int = 0
    already: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def pull_since():
    last = IncomingDossier.objects.aggregate(last=Max("filed_at"))["last"]
    return last - OVERLAP if last is not None else None


def incoming_pull(*, client: DvcqgClient | None = None) -> IncomingReport:
    """Take what the national portal has for the province since the last pull, and try again the records that
    waited for their documents."""
    if client is None:
        if not dvcqg_configured():
            logger.info("national incoming: not configured, nothing pulled")
            return IncomingReport(configured=False)
        client = dvcqg_client()
    report = IncomingReport()
    records = client.incoming_dossiers(since=pull_since())
    waiting = IncomingDossier.objects.filter(outcome=Outcome.WAITING, attempts__lt=MAX_ATTEMPTS)
    seen = {str(r.get("MaHoSo", "")).strip() for r in records if isinstance(r, dict)}
    records += [row.record for row in waiting if row.national_code not in seen]
    for record in records:
        outcome = incoming_take(record, client=client)
        if outcome is None:
            report.already += 1
            continue
        setattr(report, outcome.outcome, getattr(report, outcome.outcome) + 1)
        if outcome.reason:
            report.reasons[outcome.reason] = report.reasons.get(outcome.reason, 0) + 1
    return report


def incoming_take(record: dict, *, client: DvcqgClient) -> IncomingDossier | None:
    """Take one record into a reception queue, or record why not. None when it was already taken or refused."""
    code = str(record.get("MaHoSo", "") if isinstance(record, dict) else "").strip()[:100]
    if not code:
        logger.warning("national incoming: a record without MaHoSo was ignored")
        return None
    existing = IncomingDossier.objects.filter(national_code=code).first()
    if existing is not None and existing.outcome != Outcome.WAITING:
        return None
    try:
        with transaction.atomic():
            dossier = _take(code, record, client)
            row = _remember(code, record, Outcome.TAKEN, dossier=dossier)
            # After the national code is linked: the first status goes back under it.
            channel = int(Dossier.Channel.NATIONAL_PORTAL)
            record_step(
                dossier, "register", None, Step(agency=dossier.receiving_agency, params={"channel": channel})
            )
            transaction.on_commit(lambda: notifications.work_arrived(dossier, from_state="", actor=None))
            return row
    except Refused as refusal:
        logger.info("national incoming: %s refused (%s %s)", code, refusal.reason, refusal.detail)
        return _remember(code, record, Outcome.REFUSED, reason=refusal.reason, detail=refusal.detail)
    except Unreachable as error:
        attempts = (existing.attempts if existing else 0) + 1
        outcome = Outcome.WAITING if attempts < MAX_ATTEMPTS else Outcome.REFUSED
        logger.warning("national incoming: %s documents unreachable (%s), attempt %s", code, error, attempts)
        return _remember(
            code, record, outcome, reason=Reason.UNREACHABLE, detail=str(error), attempts=attempts
        )


def _remember(code: str, record: dict, outcome: str, **fields) -> IncomingDossier:
    row, _ = IncomingDossier.objects.update_or_create(
        national_code=code,
        defaults={
            "outcome": outcome,
            "record": record,
            "filed_at": _filed_at(record),
            "reason": fields.get("reason", ""),
            "detail": fields.get("detail", "")[:300],
            "dossier": fields.get("dossier"),
            **({"attempts": fields["attempts"]} if "attempts" in fields else {}),
        },
    )
    return row


def _filed_at(record: dict):
    try:
        return parse_datetime(str(record.get("NgayNopHoSo") or "")) if record.get("NgayNopHoSo") else None
    except (ValueError, TypeError):
        return None


def _take(code: str, record: dict, client: DvcqgClient) -> Dossier:
    procedure = Procedure.objects.filter(code=str(record.get("MaTTHC", "")).strip(), is_active=True).first()
    if procedure is None:
        raise Refused(Reason.UNKNOWN_PROCEDURE, str(record.get("MaTTHC", ""))[:60])
    agency = _receiving_agency(procedure, str(record.get("MaCoQuan", "")).strip())
    owner = record.get("ChuHoSo") if isinstance(record.get("ChuHoSo"), dict) else {}
    name = str(owner.get("HoVaTen", "")).strip()
    if not name:
        raise Refused(Reason.MISSING, "ChuHoSo.HoVaTen")
    documents = record.get("TaiLieu") or []
    if not isinstance(documents, list) or not documents:
        raise Refused(Reason.MISSING, "TaiLieu")
    uploads = [_fetch(client, document) for document in documents]
    id_number = str(owner.get("SoDinhDanh", "")).strip()[:20]
    kind = record.get("LoaiDoiTuong")
    now = timezone.now()
    dossier = Dossier.objects.create(
        procedure=procedure,
        receiving_agency=agency,
        applicant=_account(id_number),
        applicant_kind=kind if kind in Dossier.ApplicantKind.values else Dossier.ApplicantKind.CITIZEN,
        applicant_name=name[:200],
        applicant_id_number=id_number,
        applicant_phone=str(owner.get("SoDienThoai", "")).strip()[:20],
        applicant_email=_email(owner.get("ThuDienTu")),
        applicant_address=str(owner.get("DiaChi", "")).strip()[:300],
        channel=Dossier.Channel.NATIONAL_PORTAL,
        state=Dossier.State.SUBMITTED,
        submitted_at=_filed_at(record) or now,
        code=dossier_code_issue(agency=agency, day=timezone.localdate(now)),
    )
    _store(dossier, uploads)
    return dossier


def _receiving_agency(procedure: Procedure, agency_code: str) -> Agency:
    agencies = procedure_receiving_agencies(procedure)
    chosen = [a for a in agencies if a.code == agency_code] or (agencies if len(agencies) == 1 else [])
    if not chosen:
        raise Refused(Reason.UNKNOWN_AGENCY, agency_code[:60])
    return chosen[0]


def _account(id_number: str) -> User | None:
    """The portal account of the same person (the national portal signed them in with their personal id)."""
    if len(id_number) != 12 or not id_number.isdigit():
        return None
    return User.objects.filter(personal_id=id_number, is_active=True, role=User.Role.CITIZEN).first()


def _email(value) -> str:
    text = str(value or "").strip()[:254]
    return text if "@" in text and " " not in text else ""


def _fetch(client: DvcqgClient, document) -> tuple[str, SimpleUploadedFile]:
    if not isinstance(document, dict) or not document.get("DuongDan"):
        raise Refused(Reason.MISSING, "TaiLieu.DuongDan")
    name = str(document.get("TenTepDinhKem") or "tep-dinh-kem")[:255]
    try:
        content, content_type = client.document(str(document["DuongDan"]), max_bytes=max_file_bytes())
    except TemporaryError as error:
        raise Unreachable(getattr(error, "reason", "") or "temporary") from error
    except PermanentError as error:
        raise Refused(Reason.DOCUMENT, f"{name}: {getattr(error, 'reason', '') or error}") from error
    except DvcqgError as error:
        raise Unreachable(type(error).__name__) from error
    label = str(document.get("TenGiayTo") or name)[:500]
    return label, SimpleUploadedFile(name, content, content_type=content_type or "application/octet-stream")


def _store(dossier: Dossier, uploads: list[tuple[str, SimpleUploadedFile]]) -> None:
    used = 0
    for label, upload in uploads:
        try:
            checked = upload_check(upload, already_in_dossier=used)
        except InvalidInput as error:
            raise Refused(Reason.DOCUMENT, str(error.message)) from error
        used += checked.size
        if used > max_dossier_bytes():
            raise Refused(Reason.DOCUMENT, "TaiLieu")
        stored = DossierFile(
            dossier=dossier,
            label=label or checked.display_name,
            original_name=checked.display_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        stored.file.save(storage_name(checked), upload, save=False)
        stored.save()
