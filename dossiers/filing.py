"""Putting a dossier together: drafts, their files (uploaded or taken from the citizen's vault), registration at
the counter, and results going into the vault. State changes after submission are in ``services.py``."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.access import actors_for
from dossiers.codes import dossier_code_issue
from dossiers.errors import ConcurrentChange, DossierError, InvalidInput, NotYourDossier, TransitionNotAllowed
from dossiers.models import Dossier, DossierFile, VaultDocument
from dossiers.results import ResultDocument, result_store, vault_copy
from dossiers.services import Step, dossier_resubmit, record_step
from dossiers.uploads import max_dossier_bytes, storage_name, upload_check
from dossiers.workflow import Actor
from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.catalog.models import Procedure, RequiredDocument
from portal.catalog.selectors import procedure_receiving_agencies

EDITABLE_BY_APPLICANT = {Dossier.State.DRAFT, Dossier.State.SUPPLEMENT}


@transaction.atomic
def dossier_draft_create(*, user: User, procedure: Procedure, receiving_agency: Agency) -> Dossier:
    """The applicant's draft for ``procedure``: the one they already have (a second start, a double click, another
    tab), or a new one prefilled from their profile; ``draft.created`` says which."""
    if not procedure.is_active or procedure.online_level < Procedure.OnlineLevel.SUBMISSION:
        raise InvalidInput(_("Thủ tục này chưa cho phép nộp hồ sơ trực tuyến."))
    if receiving_agency not in procedure_receiving_agencies(procedure):
        raise InvalidInput(_("Cơ quan đã chọn không tiếp nhận thủ tục này."))
    # Starts of one person run one at a time, so three quick clicks find the draft the first one made.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    existing = dossier_draft_of(user=user, procedure=procedure)
    if existing is not None:
        existing.created = False
        return existing
    draft = Dossier.objects.create(
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
    draft.created = True
    return draft


def dossier_draft_of(*, user: User, procedure: Procedure) -> Dossier | None:
    """The person's newest draft of ``procedure``, if they have one."""
    return (
        Dossier.objects.filter(applicant=user, procedure=procedure, state=Dossier.State.DRAFT)
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def dossier_draft_delete(*, dossier: Dossier, user: User) -> None:
    """The applicant throws a draft away, with the files uploaded to it (vault documents stay in the vault)."""
    dossier = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
    if dossier.applicant_id != user.pk:
        raise NotYourDossier()
    if dossier.state != Dossier.State.DRAFT:
        raise TransitionNotAllowed(_("Chỉ xóa được hồ sơ chưa nộp."))
    stored = [f.file for f in dossier.files.filter(vault_document__isnull=True)]
    dossier.delete()
    for file in stored:
        transaction.on_commit(lambda file=file: file.storage.delete(file.name))


@transaction.atomic
def dossier_details_update(*, dossier: Dossier, user: User, **details) -> Dossier:
    """Save the applicant's details and delivery choice on a draft (any subset of the editable fields)."""
    dossier = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
    _check_editable(dossier, user)
    for name, value in details.items():
        if name not in DETAIL_FIELDS:
            raise InvalidInput(_("Trường %(name)s không sửa được.") % {"name": name})
        setattr(dossier, name, value)
    if dossier.delivery == Dossier.Delivery.POST and not dossier.delivery_address.strip():
        raise InvalidInput(_("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."))
    dossier.version += 1
    dossier.save()
    return dossier


DETAIL_FIELDS = frozenset(
    {
        "applicant_kind",
        "applicant_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
        "delivery",
        "delivery_address",
    }
)


# --- saving a draft: everything at once, nothing lost -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something to fix on the draft page: the element it concerns (an anchor id) and what is wrong."""

    anchor: str
    message: str


@dataclass(frozen=True)
class Attachment:
    """One thing the applicant attached: an upload or a vault document, to a required document or to "other"."""

    slot: str  # the form's slot name: a requirement id, "khac" (another paper) or "bo_sung" (a supplement)
    requirement_id: int | None
    upload: object | None = None
    vault_document_id: int | None = None


@dataclass
class DraftSaved:
    dossier: Dossier
    problems: list[Problem] = field(default_factory=list)
    added: list[DossierFile] = field(default_factory=list)
    details_saved: bool = False


def dossier_draft_save(
    *,
    dossier: Dossier,
    user: User,
    expected_version: int,
    details: dict | None,
    attachments: list[Attachment],
    remove_file_id: int | None = None,
) -> DraftSaved:
    """Save what can be saved and report every problem at once: the details (when they are valid and nobody saved
    the draft in between), each file on its own (a bad file is reported by name; the good ones are kept), the vault
    documents picked, a file to remove. Nothing typed or chosen is lost to another field's mistake."""
    saved = DraftSaved(dossier=dossier)
    try:
        _draft_save(saved, user, expected_version, details, attachments, remove_file_id)
    except BaseException:
        attachments_discard(saved.added)
        raise
    return saved


def _draft_save(saved, user, expected_version, details, attachments, remove_file_id) -> None:
    dossier = saved.dossier
    with transaction.atomic():
        current = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
        _check_editable(current, user)
        if details is not None:
            if current.version != expected_version:
                saved.problems.append(Problem("thong-tin", str(_draft_changed_elsewhere())))
            else:
                try:
                    with transaction.atomic():
                        current = dossier_details_update(dossier=current, user=user, **details)
                    saved.details_saved = True
                except InvalidInput as error:
                    saved.problems.append(Problem("id_delivery_address", str(error.message)))
        for attachment in attachments:
            try:
                with transaction.atomic():
                    stored = _attach_one(current, user, attachment)
            except DossierError as error:
                saved.problems.append(Problem(f"tep_{attachment.slot}", str(error.message)))
                continue
            if stored is not None:
                saved.added.append(stored)
        if remove_file_id is not None:
            dossier_file = current.files.filter(pk=remove_file_id).first()
            if dossier_file is None:
                saved.problems.append(Problem("thanh-phan", str(_("Tệp cần gỡ không còn trong hồ sơ."))))
            else:
                dossier_file_remove(dossier_file=dossier_file, user=user)
        saved.dossier = current


def _draft_changed_elsewhere() -> str:
    return _(
        "Bản nháp vừa được lưu ở nơi khác (một thẻ hoặc thiết bị khác): thông tin bạn vừa nhập chưa được lưu. "
        "Vui lòng kiểm tra rồi lưu lại."
    )


def _attach_one(dossier: Dossier, user: User, attachment: Attachment) -> DossierFile | None:
    if attachment.upload is not None:
        return dossier_file_add(
            dossier=dossier, user=user, upload=attachment.upload, requirement_id=attachment.requirement_id
        )
    document = VaultDocument.objects.filter(owner=user, pk=attachment.vault_document_id).first()
    if document is None:
        raise InvalidInput(_("Không tìm thấy giấy tờ đã chọn trong kho dữ liệu của bạn."))
    if dossier.files.filter(vault_document=document, requirement_id=attachment.requirement_id).exists():
        return None  # attached already: a second click does not add a copy
    return dossier_file_from_vault(
        dossier=dossier, user=user, vault_document=document, requirement_id=attachment.requirement_id
    )


def attachments_discard(added: list[DossierFile]) -> None:
    """Delete the bytes written for rows that were rolled back (vault documents are shared, never deleted)."""
    for dossier_file in added:
        if dossier_file.vault_document_id is None and dossier_file.file.name:
            dossier_file.file.storage.delete(dossier_file.file.name)


@transaction.atomic
def dossier_supplement(
    *, dossier: Dossier, user: User, expected_version: int, attachments: list[Attachment]
) -> list[DossierFile]:
    """Answer the open supplement request: attach the papers asked for and send the dossier back, in one go.
    All or nothing: a bad file stops it, and the bytes already written are removed again."""
    added: list[DossierFile] = []
    try:
        if expected_version != Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk):
            raise ConcurrentChange()
        for attachment in attachments:
            stored = _attach_one(dossier, user, attachment)
            if stored is not None:
                added.append(stored)
        if not added:
            raise InvalidInput(_("Vui lòng đính kèm giấy tờ bổ sung trước khi nộp."))
        dossier_resubmit(dossier=dossier, actor=user, expected_version=expected_version)
    except BaseException:
        attachments_discard(added)  # the rows roll back with this transaction; the bytes would stay behind
        raise
    return added


def _check_editable(dossier: Dossier, user: User) -> None:
    if dossier.applicant_id != user.pk:
        raise NotYourDossier()
    if dossier.state not in EDITABLE_BY_APPLICANT:
        raise TransitionNotAllowed(_("Hồ sơ đã nộp, không sửa được giấy tờ."))


def _requirement(dossier: Dossier, requirement_id: int | None) -> RequiredDocument | None:
    if requirement_id is None:
        return None
    requirement = dossier.procedure.documents.filter(pk=requirement_id).first()
    if requirement is None:
        raise InvalidInput(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return requirement


def _used_bytes(dossier: Dossier) -> int:
    return dossier.files.exclude(kind=DossierFile.Kind.FORM).aggregate(n=Sum("size"))["n"] or 0


def _check_room_for_a_file(dossier: Dossier) -> None:
    """Refuse one more file when the dossier (its row locked by the caller) has ``PORTAL_UPLOAD_MAX_FILES``."""
    attached = dossier.files.exclude(kind__in=[DossierFile.Kind.FORM, DossierFile.Kind.RESULT]).count()
    if attached >= settings.PORTAL_UPLOAD_MAX_FILES:
        raise InvalidInput(
            _(
                "Hồ sơ đã có %(max)d tệp, số tệp tối đa của một hồ sơ. Vui lòng gộp các trang vào ít tệp hơn (một tệp "
                "PDF nhiều trang) rồi tải lên."
            )
            % {"max": settings.PORTAL_UPLOAD_MAX_FILES}
        )


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
    dossier = (
        Dossier.objects.select_for_update(no_key=True, of=("self",))
        .select_related("procedure")
        .get(pk=dossier.pk)
    )
    _check_editable(dossier, user)
    requirement = _requirement(dossier, requirement_id)
    _check_room_for_a_file(dossier)
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
    dossier = (
        Dossier.objects.select_for_update(no_key=True, of=("self",))
        .select_related("procedure")
        .get(pk=dossier.pk)
    )
    _check_editable(dossier, user)
    if vault_document.owner_id != user.pk:
        raise NotYourDossier(_("Giấy tờ không thuộc kho dữ liệu của bạn."))
    if dossier.files.filter(vault_document=vault_document).exists():
        raise InvalidInput(_("Giấy tờ này đã được đính kèm vào hồ sơ."))
    requirement = _requirement(dossier, requirement_id)
    _check_room_for_a_file(dossier)
    if _used_bytes(dossier) + vault_document.size > max_dossier_bytes():
        raise InvalidInput(_("Tổng dung lượng hồ sơ vượt quá giới hạn."))
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
    dossier = Dossier.objects.select_for_update(no_key=True).get(pk=dossier_file.dossier_id)
    _check_editable(dossier, user)
    if dossier_file.uploaded_by_id != user.pk:
        raise NotYourDossier()
    if dossier.state == Dossier.State.SUPPLEMENT and dossier_file.kind != DossierFile.Kind.SUPPLEMENT:
        raise TransitionNotAllowed(_("Giấy tờ đã nộp trước khi có yêu cầu bổ sung không gỡ được."))
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
        raise InvalidInput(_("Vui lòng nhập loại giấy tờ."))
    if issued_on and valid_until and valid_until < issued_on:
        raise InvalidInput(_("Ngày hết hiệu lực phải sau ngày cấp."))
    document = VaultDocument(
        owner=user,
        source=source,
        doc_type=doc_type.strip()[:300],
        number=number[:100],
        issuer=issuer[:200],
        issued_on=issued_on,
        valid_until=valid_until,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
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
        raise NotYourDossier(_("Bạn không phải cán bộ một cửa của cơ quan tiếp nhận."))
    if receiving_agency not in procedure_receiving_agencies(procedure):
        raise InvalidInput(_("Cơ quan tiếp nhận không giải quyết thủ tục này."))
    if not uploads:
        raise InvalidInput(_("Vui lòng tải lên bản quét giấy tờ của hồ sơ."))
    if len(uploads) > settings.PORTAL_UPLOAD_MAX_FILES:
        raise InvalidInput(
            _(
                "Một hồ sơ có tối đa %(max)d tệp; đang tải lên %(count)d tệp. Vui lòng gộp các trang vào ít tệp hơn "
                "(một tệp PDF nhiều trang) rồi tải lên."
            )
            % {"max": settings.PORTAL_UPLOAD_MAX_FILES, "count": len(uploads)}
        )
    if not str(details.get("applicant_name", "")).strip():
        raise InvalidInput(_("Vui lòng nhập tên chủ hồ sơ."))
    now = timezone.now()
    dossier = Dossier.objects.create(
        procedure=procedure,
        receiving_agency=receiving_agency,
        applicant=applicant,
        channel=channel,
        state=Dossier.State.SUBMITTED,
        submitted_at=now,
        code=dossier_code_issue(agency=receiving_agency, day=timezone.localdate(now)),
        **details,
    )
    used = 0
    for label, upload in uploads:
        checked = upload_check(upload, already_in_dossier=used)
        used += checked.size
        stored = DossierFile(
            dossier=dossier,
            label=(label or checked.display_name)[:500],
            original_name=checked.display_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=officer,
        )
        stored.file.save(storage_name(checked), upload, save=False)
        if applicant is not None:
            stored.vault_document = vault_copy(
                stored, owner_id=applicant.pk, source=VaultDocument.Source.DIGITISED
            )
        stored.save()
    record_step(dossier, "register", officer, Step(agency=receiving_agency, params={"channel": int(channel)}))
    return dossier


@transaction.atomic
def dossier_result_add(*, dossier: Dossier, officer: User, result: ResultDocument) -> DossierFile:
    """Attach an electronic result (signed document) to a dossier its handling officer is working on."""
    dossier = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
    if Actor.HANDLER not in actors_for(officer, dossier):
        raise NotYourDossier()
    if dossier.state != Dossier.State.PROCESSING:
        raise TransitionNotAllowed(_("Chỉ đính kèm kết quả khi hồ sơ đang được xử lý."))
    return result_store(dossier, officer, result)
