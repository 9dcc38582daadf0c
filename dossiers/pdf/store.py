"""The printable forms of a dossier (Mẫu 01–05, Circular 01/2018) as PDF files stored with the dossier's files.

``dossier_form_store`` is what the ``form_render`` task calls after a workflow step; ``render_pdf`` is the project's
one template-to-PDF function (``portal/pdf/render.py``), re-exported here. Every form the portal issues carries the
agency's PAdES signature (``portal/pdf/pades.py``), like approved results and receipts; with no signing certificate
configured, or a signature that fails, the form goes out unsigned and the log says so.
"""

import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from dossiers.models import Dossier, DossierFile
from dossiers.pdf.contexts import FORMS, FormNotApplicable, FormSpec
from portal.pdf.pades import sign_pdf, signing_configured
from portal.pdf.render import render_html, render_pdf

logger = logging.getLogger(__name__)


def form_spec(form_code: str) -> FormSpec:
    """The form ``form_code`` ("01"–"05"); ValueError for any other code."""
    try:
        return FORMS[form_code]
    except KeyError:
        raise ValueError(f"Unknown form {form_code!r}; expected one of {', '.join(FORMS)}") from None


def dossier_form_html(*, dossier: Dossier, form_code: str) -> str:
    """The form's HTML, as it goes to the PDF renderer (for previews and tests)."""
    spec = form_spec(form_code)
    return render_html(spec.template, spec.build(dossier))


def dossier_form_render(*, dossier: Dossier, form_code: str) -> bytes:
    """The form as signed PDF bytes (unsigned when signing is not possible). Raises FormNotApplicable when the
    dossier lacks what the form reports (e.g. Mẫu 03 for a dossier never refused)."""
    spec = form_spec(form_code)
    return form_sign(render_pdf(spec.template, spec.build(dossier)), spec, dossier)


def form_sign(content: bytes, spec: FormSpec, dossier: Dossier) -> bytes:
    """The form with the agency's signature, or unsigned and logged when there is no certificate to sign with or
    the signature fails: the applicant still gets their form (the verify page says it is not signed)."""
    if not signing_configured():
        logger.info(
            "form %s of dossier %s issued unsigned: no signing certificate configured", spec.code, dossier.pk
        )
        return content
    try:
        signed = sign_pdf(content, reason=spec.label)
    except Exception:  # a PDF pyHanko cannot extend: the form itself is good
        logger.warning("form %s of dossier %s could not be signed", spec.code, dossier.pk, exc_info=True)
        return content
    if signed == content:  # the key or certificate could not be used (sign_pdf logged why)
        logger.warning(
            "form %s of dossier %s issued unsigned: the signing key is unusable", spec.code, dossier.pk
        )
    return signed


def dossier_form_store(*, dossier: Dossier, form_code: str) -> DossierFile:
    """Render the form and store it as the dossier's only copy of that form: older copies (rows and files) go.
    Safe to run twice, also concurrently: the dossier row is locked while the copies are swapped, and the same
    content is not stored again."""
    spec = form_spec(form_code)
    content = render_pdf(spec.template, spec.build(dossier))
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(no_key=True).get(pk=dossier.pk)
        return _replace(dossier, spec, content)


def _replace(dossier: Dossier, spec: FormSpec, content: bytes) -> DossierFile:
    digest = hashlib.sha256(content).hexdigest()
    copies = list(
        dossier.files.filter(kind=DossierFile.Kind.FORM, form_code=spec.code).order_by("-created_at")
    )
    signing = signing_configured()
    same = next((copy for copy in copies if _holds(copy, content, digest, signed=signing)), None)
    if same is None:
        issued = form_sign(content, spec, dossier)
        same = _new_copy(dossier, spec, issued, hashlib.sha256(issued).hexdigest())
    stored = same
    old = [copy for copy in copies if copy.pk != stored.pk]
    names = [copy.file.name for copy in old if copy.file.name]
    DossierFile.objects.filter(pk__in=[copy.pk for copy in old]).delete()
    storage = DossierFile._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return stored


def _holds(copy: DossierFile, content: bytes, digest: str, *, signed: bool) -> bool:
    """Whether a stored copy is this rendering: a signature is an incremental update, so a signed copy begins
    with the very bytes it signed. While signing is possible an unsigned copy does not count (it is replaced by a
    signed one)."""
    if copy.sha256 == digest:
        return not signed
    if copy.size <= len(content):
        return False
    with copy.file.open("rb") as handle:
        return hashlib.sha256(handle.read(len(content))).hexdigest() == digest


def _new_copy(dossier: Dossier, spec: FormSpec, content: bytes, digest: str) -> DossierFile:
    stored = DossierFile(
        dossier=dossier,
        kind=DossierFile.Kind.FORM,
        form_code=spec.code,
        label=spec.label,
        original_name=f"mau-{spec.code}-{dossier.code or dossier.pk}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=digest,
    )
    stored.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(content), save=False)
    stored.save()
    return stored


__all__ = [
    "FORMS",
    "FormNotApplicable",
    "dossier_form_html",
    "dossier_form_render",
    "dossier_form_store",
    "form_sign",
    "form_spec",
    "render_pdf",
]
