"""Putting a dossier together: drafts, their files (uploaded or taken from the citizen's vault), registration at
the counter, and results going into the vault. State changes after submission are in ``services.py``."""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from dossiers.access import actors_for
from dossiers.codes import dossier_code_issue
from dossiers.errors import InvalidInput, NotYourDossier, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, VaultDocument
from dossiers.services import ResultDocument, Step, _record, result_store, vault_copy
from dossiers.uploads import max_dossier_bytes, storage_name, upload_check
from dossiers.workflow import Actor
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure, RequiredDocument
from portal.catalog.selectors import procedure_receiving_agencies

EDITABLE_BY_APPLICANT = {Dossier.State.DRAFT, Dossier.State.SUPPLEMENT}


@transaction.atomic
def dossier_draft_create(*, user: User, procedure: Procedure, receiving_agency: Agency) -> Dossier:
    """A new online draft, prefilled from the applicant's profile."""
    if not procedure.is_active or procedure.online_level < Procedure.OnlineLevel.SUBMISSION:
        raise InvalidInput("Thủ tục này chưa cho phép nộp hồ sơ trực tuyến.")
    if receiving_agency not in procedure_receiving_agencies(procedure):
        raise InvalidInput("Cơ quan đã chọn không tiếp nhận thủ tục này.")
    return Dossier.objects.create(
        procedure=procedure,
        receiving_agency=receiving_agency,
        applicant=user,
        applicant_name=user.full_name or user.get_username(),
        applicant_phone=user.phone,
        applicant_email=user.email,
        applicant_id_number=getattr(user, "personal_id", "") or "",
        channel=Dossier.Channel.ONLINE,
        state=Dossier.State.DRAFT,
    )


@transaction.atomic
def dossier_details_update(*, dossier: Dossier, user: User, **details) -> Dossier:
    """Save the applicant's details and delivery choice on a draft (any subset of the editable fields)."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _check_editable(dossier, user)
    allowed = {
        "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
        "applicant_address", "delivery", "delivery_address",
    }  # fmt: skip
    for name, value in details.items():
        if name not in allowed:
            raise InvalidInput(f"Trường {name} không sửa được.")
        setattr(dossier, name, value)
    if dossier.delivery == Dossier.Delivery.POST and not dossier.delivery_address.strip():
        raise InvalidInput("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.")
    dossier.version += 1
    dossier.save()
    return dossier


def _check_editable(dossier: Dossier, user: User) -> None:
    if dossier.applicant_id != user.pk:
        raise NotYourDossier()
    if dossier.state not in EDITABLE_BY_APPLICANT:
        raise TransitionNotAllowed("Hồ sơ đã nộp, không sửa được giấy tờ.")


def _requirement(dossier: Dossier, requirement_id: int | None) -> RequiredDocument | None:
    if requirement_id is None:
        return None
    requirement = dossier.procedure.documents.filter(pk=requirement_id).first()
    if requirement is None:
        raise InvalidInput("Thành phần hồ sơ không thuộc thủ tục này.")
    return requirement


def _used_bytes(dossier: Dossier) -> int:
    return dossier.files.exclude(kind=DossierFile.Kind.FORM).aggregate(n=Sum("size"))["n"] or 0


@transaction.atomic
def dossier_file_add(
    *,
    dossier: Dossier,
    user: User,
    upload,
    requirement_id: int | None = None,
    label: str = "",
    kind: str = DossierFile.Kind.APPLICATION,
) -> DossierFile:
    """Attach an upload after checking its content and the dossier's size limit."""
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
    _check_editable(dossier, user)
    requirement = _requirement(dossier, requirement_id)
    checked = upload_check(upload, already_in_dossier=_used_bytes(dossier))
    stored = DossierFile(
        dossier=dossier,
        kind=DossierFile.Kind.SUPPLEMENT if dossier.state == Dossier.State.SUPPLEMENT else kind,
        requirement=requirement,
        label=(label or (requirement.name if requirement else checked.display_name))[:500],
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    stored.file.save(storage_name(checked), upload, save=False)
    stored.save()
    return stored


@transaction.atomic
def dossier_file_from_vault(
    *, dossier: Dossier, user: User, vault_document: VaultDocument, requirement_id: int | None = None
) -> DossierFile:
    """Reuse a vault document instead of uploading it again (once-only, Decree 45/2020); recorded as reused."""
    dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
    _check_editable(dossier, user)
    if vault_document.owner_id != user.pk:
        raise NotYourDossier("Giấy tờ không thuộc kho dữ liệu của bạn.")
    if dossier.files.filter(vault_document=vault_document).exists():
        raise InvalidInput("Giấy tờ này đã được đính kèm vào hồ sơ.")
    requirement = _requirement(dossier, requirement_id)
    if _used_bytes(dossier) + vault_document.size > max_dossier_bytes():
        raise InvalidInput("Tổng dung lượng hồ sơ vượt quá giới hạn.")
    copy = DossierFile(
        dossier=dossier,
        kind=DossierFile.Kind.SUPPLEMENT
        if dossier.state == Dossier.State.SUPPLEMENT
        else DossierFile.Kind.APPLICATION,
        requirement=requirement,
        label=(requirement.name if requirement else vault_document.doc_type)[:500],
        original_name=vault_document.original_name,
        content_type=vault_document.content_type,
        size=vault_document.size,
        sha256=vault_document.sha256,
        vault_document=vault_document,
        uploaded_by=user,
    )
    copy.file.name = vault_document.file.name  # the same stored bytes; nothing is copied
    copy.save()
    return copy


@transaction.atomic
def dossier_file_remove(*, dossier_file: DossierFile, user: User) -> None:
    dossier = Dossier.objects.select_for_update().get(pk=dossier_file.dossier_id)
    _check_editable(dossier, user)
    if dossier_file.uploaded_by_id != user.pk:
        raise NotYourDossier()
    if dossier.state == Dossier.State.SUPPLEMENT and dossier_file.kind != DossierFile.Kind.SUPPLEMENT:
        raise TransitionNotAllowed("Giấy tờ đã nộp trước khi có yêu cầu bổ sung không gỡ được.")
    shared = dossier_file.vault_document_id is not None
    name = dossier_file.file.name
    dossier_file.delete()
    if not shared:
        transaction.on_commit(lambda: dossier_file.file.storage.delete(name))


@transaction.atomic
def vault_document_add(
    *,
    user: User,
    upload,
    doc_type: str,
    number: str = "",
    issuer: str = "",
    issued_on=None,
    valid_until=None,
    source: str = VaultDocument.Source.UPLOADED,
) -> VaultDocument:
    checked = upload_check(upload)
    if not doc_type.strip():
        raise InvalidInput("Vui lòng nhập loại giấy tờ.")
    if issued_on and valid_until and valid_until < issued_on:
        raise InvalidInput("Ngày hết hiệu lực phải sau ngày cấp.")
    document = VaultDocument(
        owner=user, source=source, doc_type=doc_type.strip()[:300], number=number[:100], issuer=issuer[:200],
        issued_on=issued_on, valid_until=valid_until, original_name=checked.display_name,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
    )  # fmt: skip
    document.file.save(storage_name(checked), upload, save=False)
    document.save()
    return document


@transaction.atomic
def dossier_register_at_counter(
    *,
    officer: User,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: User | None,
    uploads: list,
    channel: int = Dossier.Channel.DIRECT,
    **details,
) -> Dossier:
    """A dossier brought to the counter (or by post): registered with its code and scanned papers, ready for the
    officer to receive. The papers also go to the applicant's vault when they have an account."""
    if (
        not officer.memberships.filter(agency=receiving_agency).exists()
        or officer.role != User.Role.ONESTOP_OFFICER
    ):
        raise NotYourDossier("Bạn không phải cán bộ một cửa của cơ quan tiếp nhận.")
    if receiving_agency not in procedure_receiving_agencies(procedure):
        raise InvalidInput("Cơ quan tiếp nhận không giải quyết thủ tục này.")
    if not uploads:
        raise InvalidInput("Vui lòng tải lên bản quét giấy tờ của hồ sơ.")
    if not str(details.get("applicant_name", "")).strip():
        raise InvalidInput("Vui lòng nhập tên chủ hồ sơ.")
    now = timezone.now()
    dossier = Dossier.objects.create(
        procedure=procedure, receiving_agency=receiving_agency, applicant=applicant, channel=channel,
        state=Dossier.State.SUBMITTED, submitted_at=now,
        code=dossier_code_issue(agency=receiving_agency, day=timezone.localdate(now)), **details,
    )  # fmt: skip
    used = 0
    for label, upload in uploads:
        checked = upload_check(upload, already_in_dossier=used)
        used += checked.size
        stored = DossierFile(
            dossier=dossier, label=(label or checked.display_name)[:500], original_name=checked.display_name,
            content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=officer,
        )  # fmt: skip
        stored.file.save(storage_name(checked), upload, save=False)
        if applicant is not None:
            stored.vault_document = vault_copy(
                stored, owner_id=applicant.pk, source=VaultDocument.Source.DIGITISED
            )
        stored.save()
    channel_label = Dossier.Channel(channel).label
    _record(
        dossier,
        "register",
        officer,
        "",
        Step(note=f"Đăng ký hồ sơ ({channel_label})", agency=receiving_agency),
        now,
    )
    return dossier


@transaction.atomic
def dossier_result_add(*, dossier: Dossier, officer: User, result: ResultDocument) -> DossierFile:
    """Attach an electronic result (signed document) to a dossier its handling officer is working on."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if Actor.HANDLER not in actors_for(officer, dossier):
        raise NotYourDossier()
    if dossier.state != Dossier.State.PROCESSING:
        raise TransitionNotAllowed("Chỉ đính kèm kết quả khi hồ sơ đang được xử lý.")
    return result_store(dossier, officer, result)
