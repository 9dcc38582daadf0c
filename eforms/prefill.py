"""Where a declaration's answers come from before the applicant types them, and which of them the national
population database vouches for.

A field of a plain section names what it can be filled with (``"prefill": "full_name"``, ``schema.PREFILL_KEYS``).
Two sources hold such values: the applicant's profile (``prefill_from_profile``) and, once the applicant has
consented for this dossier, the record the population database gave for the personal id of their national sign-on
(``registered_values``). The record is not asked for here: ``dossiers.population`` asks it (with the consent, the
lookup and the ``PopulationCheck`` the draft page records) and eforms reads it back through
``dossiers.population.population_record``, so there is one consent and one check per dossier whichever page asked.

The record's values win over the profile's because they are verified; a field is marked verified while its answer
is the registered value (``verified_fields``). When the record arrives after the applicant typed something else,
what they typed is kept and listed (``registered_mismatches``) until they choose the registered value
(``registered_apply(..., replace=True)``).

The record's addresses are text ("Số 12 đường …, Phường Rạch Giá, tỉnh An Giang"); an address field takes a commune
of the unit tree and the street part, so an address fills the field only when one of its parts names a commune of
the province (``address_answer``).
"""

import unicodedata
from dataclasses import dataclass

from dossiers.population import population_record
from eforms import answers as checks
from eforms.schema import CHOICE_TYPES
from portal.accounts.models import User
from portal.catalog.search.folding import normalize
from portal.territory.models import AdministrativeUnit

# Canonical choice values of the record, and how a definition's choices spell them (folded value or label).
CHOICE_SPELLINGS = {"male": {"nam"}, "female": {"nu"}, "yes": {"co"}, "no": {"khong"}}
HEAD_OF_HOUSEHOLD = "chu ho"


def prefill_from_profile(user: User) -> dict:
    """What the applicant's own profile says (only what is filled in)."""
    values = {
        "full_name": user.full_name,
        "personal_id": user.personal_id,
        "phone": user.phone,
        "email": user.email,
    }
    if user.birth_date:
        values["birth_date"] = {
            "ngay": f"{user.birth_date.day:02d}",
            "thang": f"{user.birth_date.month:02d}",
            "nam": str(user.birth_date.year),
        }
    return {key: value for key, value in values.items() if value}


def _communes_by_name() -> dict[str, str | None]:
    """Folded full name of each commune of the province → its code (None when two communes share it)."""
    found: dict[str, str | None] = {}
    for code, full_name in AdministrativeUnit.objects.filter(
        kind=AdministrativeUnit.Kind.COMMUNE
    ).values_list("code", "full_name"):
        key = normalize(full_name)
        found[key] = None if key in found else code
    return found


def address_answer(text: str) -> dict | None:
    """A registered address as an address field's answer: the commune it names and the part before it, or None
    when none of its comma-separated parts is a commune of the province."""
    parts = [part.strip() for part in (text or "").split(",")]
    communes = _communes_by_name()
    for index in range(len(parts) - 1, -1, -1):
        code = communes.get(normalize(parts[index]))
        if code:
            return {"unit": code, "detail": ", ".join(part for part in parts[:index] if part)}
    return None


def registered_values(record: dict) -> dict:
    """The population record (``Citizen.as_dict()``) under the prefill keys, in the shape of an answer: a date as
    its three parts, an address as commune and street part, sex and head-of-household as canonical choices."""
    values = {"full_name": record.get("full_name", ""), "personal_id": record.get("personal_id", "")}
    birth = record.get("birth_date") or ""
    if len(birth) == 10:
        values["birth_date"] = {"ngay": birth[8:10], "thang": birth[5:7], "nam": birth[:4]}
    if record.get("sex") in ("male", "female"):
        values["sex"] = record["sex"]
    permanent = address_answer(record.get("permanent_address", ""))
    current = address_answer(record.get("current_address") or record.get("permanent_address", ""))
    if permanent:
        values["permanent_address"] = permanent
    if current:
        values["current_address"] = values["address"] = current
    head = record.get("household_head_name") or ""
    if head:
        is_head = normalize(record.get("household_head_relation", "")) == HEAD_OF_HOUSEHOLD
        values["is_household_head"] = "yes" if is_head else "no"
        if not is_head:
            values["household_head_name"] = head
            values["household_head_personal_id"] = record.get("household_head_personal_id", "")
            values["household_head_relation"] = record.get("household_head_relation", "")
    return {key: value for key, value in values.items() if value}


def _fit(field: dict, value):
    """``value`` as this field's answer, or None when the field cannot hold it."""
    kind = field["type"]
    if kind == "date":
        return value if isinstance(value, dict) and "nam" in value else None
    if kind == "address":
        return value if isinstance(value, dict) and "unit" in value else None
    if isinstance(value, dict):
        return None
    if kind in CHOICE_TYPES:
        spellings = CHOICE_SPELLINGS.get(value, {normalize(value)})
        return next(
            (
                choice["value"]
                for choice in field["choices"]
                if normalize(choice["value"]) in spellings or normalize(choice["label"]) in spellings
            ),
            None,
        )
    if kind == "checkbox":
        return None
    return str(value)


def _text_key(text) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _same(field: dict, answer, value) -> bool:
    """Whether the answer is the registered value (case and spacing aside; a date by the day it names)."""
    if field["type"] == "date":
        day = checks.parsed_date(answer) if isinstance(answer, dict) else None
        return day is not None and day == checks.parsed_date(value)
    if field["type"] == "address":
        return (
            isinstance(answer, dict)
            and answer.get("unit") == value["unit"]
            and _text_key(answer.get("detail")) == _text_key(value["detail"])
        )
    return isinstance(answer, str) and _text_key(answer) == _text_key(value)


def _prefilled_fields(definition: dict, values: dict):
    """(section, field, value fitted to the field) for every plain-section field the values can fill."""
    for section in definition["sections"]:
        if "repeat" in section:
            continue
        for field in section["fields"]:
            key = field.get("prefill")
            if key in values:
                fitted = _fit(field, values[key])
                if fitted is not None:
                    yield section, field, fitted


def prefilled_answers(definition: dict, user: User, dossier_id: int | None = None) -> dict:
    """Initial answers for ``definition``: each plain-section field marked ``prefill`` gets the profile's value, or
    the population record's when the applicant consented to it for this dossier."""
    values = prefill_from_profile(user)
    record = population_record(dossier_id) if dossier_id is not None else None
    if record and record.get("personal_id") == user.personal_id:
        values.update(registered_values(record))
    answers: dict = {}
    for section, field, value in _prefilled_fields(definition, values):
        answers.setdefault(section["id"], {})[field["id"]] = value
    return answers


@dataclass(frozen=True)
class Mismatch:
    section_id: str
    field: dict
    typed: object
    registered: object


def registered_apply(
    definition: dict, answers: dict, record: dict, *, replace: bool
) -> tuple[dict, list[str]]:
    """``answers`` with the record's values in the fields that can hold them: empty fields filled, fields typed
    differently kept unless ``replace``. Returns the new answers and the ids of the fields it changed."""
    answers = {key: (dict(value) if isinstance(value, dict) else value) for key, value in answers.items()}
    changed = []
    for section, field, value in _prefilled_fields(definition, registered_values(record)):
        values = answers.setdefault(section["id"], {})
        if not isinstance(values, dict):
            continue
        typed = values.get(field["id"])
        if _same(field, typed, value) or (not checks.is_empty(typed) and not replace):
            continue
        values[field["id"]] = value
        changed.append(field["id"])
    return answers, changed


def verified_fields(definition: dict, answers: dict, record: dict | None) -> set[str]:
    """Ids of the fields whose answer is, now, the value the population database holds."""
    if not record:
        return set()
    return {
        field["id"]
        for section, field, value in _prefilled_fields(definition, registered_values(record))
        if _same(field, (answers.get(section["id"]) or {}).get(field["id"]), value)
    }


def registered_mismatches(definition: dict, answers: dict, record: dict | None) -> list[Mismatch]:
    """Fields of shown sections where the applicant's answer differs from the registered value."""
    if not record:
        return []
    shown = {section["id"] for section in checks.visible_sections(definition, answers)}
    context = checks.plain_answers(answers)
    found = []
    for section, field, value in _prefilled_fields(definition, registered_values(record)):
        typed = (answers.get(section["id"]) or {}).get(field["id"])
        if section["id"] not in shown or not checks.shown(field.get("when"), context):
            continue
        if not checks.is_empty(typed) and not _same(field, typed, value):
            found.append(Mismatch(section["id"], field, typed, value))
    return found
