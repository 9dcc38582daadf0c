"""The printable forms of a dossier (Mẫu 01–05, Circular 01/2018) as PDF files stored with the dossier's files.

``dossier_form_store`` is what the ``form_render`` task calls after a workflow step; ``render_pdf`` is the project's
one template-to-PDF function (``portal/pdf/render.py``), re-exported here.
"""

import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction

from dossiers.models import Dossier, DossierFile
from dossiers.pdf.contexts import FORMS, FormNotApplicable, FormSpec
from portal.pdf.render import render_html, render_pdf


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
    """The form as PDF bytes. Raises FormNotApplicable when the dossier lacks what the form reports (e.g. Mẫu 03
    for a dossier never refused)."""
    spec = form_spec(form_code)
    return render_pdf(spec.template, spec.build(dossier))


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
    same = next((copy for copy in copies if copy.sha256 == digest), None)
    stored = same or _new_copy(dossier, spec, content, digest)
    old = [copy for copy in copies if copy.pk != stored.pk]
    names = [copy.file.name for copy in old if copy.file.name]
    DossierFile.objects.filter(pk__in=[copy.pk for copy in old]).delete()
    storage = DossierFile._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return stored


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
    "form_spec",
    "render_pdf",
]
