"""Reads of the declaration forms, for this app and for the dossiers app (the draft page asks which required document
a declaration replaces and whether it is finished; the officer's work page shows the answers as data)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from dossiers.selectors import dossier_file_of
from eforms import answers as checks
from eforms.models import AnswerSet, FormDefinition
from portal.territory.models import AdministrativeUnit


def definition_current_for(procedure) -> FormDefinition | None:
    return FormDefinition.objects.filter(procedure=procedure, is_current=True).first()


def commune_codes() -> frozenset[str]:
    return frozenset(
        AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.COMMUNE).values_list("code", flat=True)
    )


def commune_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Communes grouped under their parent (province or former district), for an address select."""
    groups: dict[str, list[tuple[str, str]]] = {}
    units = AdministrativeUnit.objects.filter(kind=AdministrativeUnit.Kind.COMMUNE).select_related("parent")
    for unit in units.order_by("parent__name", "name"):
        groups.setdefault(unit.parent.full_name if unit.parent else "", []).append(
            (unit.code, unit.full_name)
        )
    return list(groups.items())


def requirement_for(procedure, schema: dict):
    """The required document the declaration replaces: the first whose name contains ``document_match``."""
    words = (schema.get("document_match") or "").strip().lower()
    if not words:
        return None
    return next((document for document in procedure.documents.all() if words in document.name.lower()), None)


@dataclass(frozen=True)
class Declaration:
    """What the dossier's draft page needs to know about its electronic declaration."""

    title: str
    requirement_id: int | None
    url: str
    started: bool
    finished: bool
    sections_done: int
    sections_total: int


def declaration_for_dossier(dossier) -> Declaration | None:
    """The dossier's declaration, if its procedure has an electronic form (the version it started with, or the
    current one)."""
    answer_set = AnswerSet.objects.select_related("definition").filter(dossier=dossier).first()
    definition = answer_set.definition if answer_set else definition_current_for(dossier.procedure)
    if definition is None:
        return None
    requirement = requirement_for(dossier.procedure, definition.schema)
    shown = checks.visible_sections(definition.schema, answer_set.answers if answer_set else {})
    done = set(answer_set.sections_done) if answer_set else set()
    return Declaration(
        title=definition.title,
        requirement_id=requirement.pk if requirement else None,
        url=reverse("eforms:fill", args=[dossier.pk]),
        started=answer_set is not None,
        # Finished while its PDF is still attached (the applicant may remove that file from the draft).
        finished=bool(
            answer_set
            and answer_set.completed_at
            and answer_set.file_id
            and dossier_file_of(dossier_id=dossier.pk, file_id=answer_set.file_id)
        ),
        sections_done=sum(1 for section in shown if section["id"] in done),
        sections_total=len(shown),
    )


def declaration_problem(dossier) -> str | None:
    """Why the dossier cannot be submitted yet because of its declaration, or None."""
    declaration = declaration_for_dossier(dossier)
    if declaration is None or declaration.finished:
        return None
    return _("Chưa hoàn tất tờ khai điện tử: %(title)s.") % {"title": declaration.title}


# --- answers as text -----------------------------------------------------------------------------------------------


def _unit_names(codes) -> dict[str, AdministrativeUnit]:
    units = AdministrativeUnit.objects.filter(code__in=codes).select_related("parent")
    return {unit.code: unit for unit in units}


def _address_codes(schema: dict, answers: dict) -> set[str]:
    codes = set()
    for section in schema["sections"]:
        items = answers.get(section["id"])
        for item in items if isinstance(items, list) else [items or {}]:
            for field in section["fields"]:
                value = item.get(field["id"]) if isinstance(item, dict) else None
                if field["type"] == "address" and isinstance(value, dict) and value.get("unit"):
                    codes.add(value["unit"])
    return codes


def display_value(field: dict, value, units: dict) -> str:
    """One answer as it is printed on the form."""
    if checks.is_empty(value):
        return _("Không") if field["type"] == "checkbox" else ""
    kind = field["type"]
    if kind == "date":
        day = checks.parsed_date(value)
        return day.strftime("%d/%m/%Y") if day else "/".join(value.get(p, "") for p in checks.DATE_PARTS)
    if kind == "address":
        unit = units.get(value.get("unit"))
        parts = [value.get("detail", "")]
        if unit is not None:
            parts.append(unit.full_name)
            if unit.parent is not None:
                parts.append(unit.parent.full_name)
        return ", ".join(part for part in parts if part)
    if kind in ("choice", "radio"):
        return next((c["label"] for c in field["choices"] if c["value"] == value), str(value))
    if kind == "checkbox":
        return _("Có")
    return str(value)


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class SectionView:
    title: str
    rows: list[Row]  # a plain section
    columns: list[str]  # a repeated group: its fields
    items: list[list[str]]  # and one row of values per item
    repeated: bool


def answers_display(schema: dict, answers: dict, *, skip_types=frozenset()) -> list[SectionView]:
    """The shown sections with their answers as text, in the form's order (for the PDF and the officer); fields of
    ``skip_types`` left out."""
    units = _unit_names(_address_codes(schema, answers))
    context = checks.plain_answers(answers)
    views = []
    for section in checks.visible_sections(schema, answers):
        value = answers.get(section["id"])
        fields = [field for field in section["fields"] if field["type"] not in skip_types]
        if "repeat" in section:
            items = value if isinstance(value, list) else []
            views.append(
                SectionView(
                    title=section["title"],
                    rows=[],
                    columns=[field["label"] for field in fields],
                    items=[
                        [display_value(field, item.get(field["id"]), units) for field in fields]
                        for item in items
                    ],
                    repeated=True,
                )
            )
            continue
        values = value if isinstance(value, dict) else {}
        rows = [
            Row(field["label"], display_value(field, values.get(field["id"]), units))
            for field in fields
            if checks.shown(field.get("when"), {**context, **values})
        ]
        views.append(SectionView(title=section["title"], rows=rows, columns=[], items=[], repeated=False))
    return views


def answers_for_dossier(dossier) -> tuple[FormDefinition, list[SectionView]] | None:
    """The dossier's declaration answers as data, with the version they were filed with (the officer's page)."""
    answer_set = AnswerSet.objects.select_related("definition").filter(dossier=dossier).first()
    if answer_set is None:
        return None
    return answer_set.definition, answers_display(answer_set.definition.schema, answer_set.answers)
