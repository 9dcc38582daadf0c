"""The filled declaration as the official form's PDF, through the project's renderer (shipped fonts only)."""

from django.utils import timezone

from eforms.selectors import answers_display
from portal.pdf.render import render_pdf


def declaration_context(answer_set) -> dict:
    schema = answer_set.definition.schema
    return {
        "title": schema["title"],
        "form_ref": schema.get("form_ref", ""),
        "sections": answers_display(schema, answer_set.answers),
        "applicant": answer_set.dossier.applicant_name,
        "place": answer_set.dossier.receiving_agency.name,
        "today": timezone.localdate(),
        "version": answer_set.definition.version,
        "code": answer_set.definition.procedure.code,
    }


def declaration_pdf(answer_set) -> bytes:
    return render_pdf("eforms/pdf/declaration.html", declaration_context(answer_set))
