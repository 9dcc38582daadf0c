"""Result documents: stored as the officers' draft (a new one replaces it), approved with the dossier, and given to
the applicant's vault when the dossier is returned. The services of ``services.py`` call these inside their
transactions."""

import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from dossiers.models import Dossier, DossierFile, VaultDocument
from portal.accounts.models import User
from portal.pdf.pades import sign_pdf, signing_configured

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResultDocument:
    """An electronic result to attach: its title and bytes, already checked by ``uploads.upload_check``."""

    name: str
    content: bytes
    content_type: str
    extension: str


def result_store(dossier: Dossier, officer: User, result: ResultDocument) -> DossierFile:
    """Store a draft result, replacing the draft it supersedes (the officers see one draft, the applicant none).
    Call inside the transaction that locks the dossier."""
    filename = result.name[:240]
    if not filename.lower().endswith(f".{result.extension}"):
        filename = f"{filename}.{result.extension}"  # the download and the vault copy keep a usable name
    superseded = list(dossier.files.filter(kind=DossierFile.Kind.RESULT, approved_at__isnull=True))
    for draft in superseded:
        name, storage = draft.file.name, draft.file.storage
        draft.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
    stored = DossierFile(
        dossier=dossier,
        kind=DossierFile.Kind.RESULT,
        label=result.name[:500],
        original_name=filename,
        content_type=result.content_type,
        size=len(result.content),
        sha256=hashlib.sha256(result.content).hexdigest(),
        uploaded_by=officer,
    )
    stored.file.save(f"{uuid.uuid4().hex}.{result.extension}", ContentFile(result.content), save=False)
    stored.save()
    return stored


def results_approve(dossier: Dossier, now) -> None:
    """The draft results become the result, approved ``now``; each PDF among them is signed with the agency's
    certificate (PAdES, ``portal/pdf/pades.py``) when one is configured, so the citizen's download carries the
    signature. Call inside the transaction that locks the dossier."""
    for stored in dossier.files.filter(kind=DossierFile.Kind.RESULT, approved_at__isnull=True):
        fields = ["approved_at"]
        if stored.content_type == "application/pdf" and signing_configured():
            with stored.file.open("rb") as handle:
                content = handle.read()
            try:
                signed = sign_pdf(content)
            except Exception:  # a PDF the signer cannot read: the approval stands, the file stays as uploaded
                logger.warning(
                    "result %s of dossier %s could not be signed", stored.pk, dossier.pk, exc_info=True
                )
                signed = content
            if signed != content:
                old, storage = stored.file.name, stored.file.storage
                stored.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(signed), save=False)
                stored.size, stored.sha256 = len(signed), hashlib.sha256(signed).hexdigest()
                fields += ["file", "size", "sha256"]
                transaction.on_commit(lambda name=old, storage=storage: storage.delete(name))
        stored.approved_at = now
        stored.save(update_fields=fields)


def vault_copy(stored: DossierFile, *, owner_id: int, source: str, **details) -> VaultDocument:
    """A vault entry for a stored dossier file: the same bytes on disk, described for reuse in later dossiers."""
    return VaultDocument.objects.create(
        owner_id=owner_id,
        source=source,
        doc_type=stored.label[:300],
        file=stored.file.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        **details,
    )


def results_to_vault(dossier: Dossier) -> list[VaultDocument]:
    """On return, each approved result document joins the applicant's vault (once), as issued by the agency."""
    if dossier.applicant_id is None:
        return []
    added = []
    approved = dossier.files.filter(
        kind=DossierFile.Kind.RESULT, approved_at__isnull=False, vault_document__isnull=True
    )
    for result in approved:
        result.vault_document = vault_copy(
            result,
            owner_id=dossier.applicant_id,
            source=VaultDocument.Source.RESULT,
            number=dossier.code or "",
            issuer=(dossier.handling_agency.name if dossier.handling_agency else "")[:200],
            issued_on=timezone.localdate(),
        )
        result.save(update_fields=["vault_document"])
        added.append(result.vault_document)
    return added
