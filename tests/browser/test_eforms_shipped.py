"""Every shipped declaration form in a real browser, driven by its own definition: ``congdan`` fills the first section
on one device and leaves, resumes on another (a new browser context signed in as the same citizen), fills the rest,
finishes, submits, and the PDF attached to the dossier carries what was typed (pdftotext). axe-core checks the
overview and every section page. One parametrised test: the answers are produced from each definition (the first
choice of each choice, one item of each repeated group, a date inside the field's bounds, …), so a new shipped form is
covered without new code. Non-transactional like every browser test (see conftest.py)."""

import json
import re
import subprocess
from datetime import date

import pytest
from playwright.sync_api import expect

from dossiers import filing
from dossiers.models import Dossier, DossierFile
from eforms import answers as checks
from eforms.demo import DEFINITIONS_DIR, shipped_definitions_load
from eforms.models import AnswerSet
from eforms.widgets import controlling_ids
from portal.accounts.models import User
from portal.catalog.models import Procedure
from portal.catalog.selectors import procedure_receiving_agencies
from tests.browser.flows import signed_in_page
from tests.people import attach_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DEFINITIONS = {
    path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(DEFINITIONS_DIR.glob("*.json"))
}
# The only free-text patterns the shipped forms use, with a value each accepts (a new pattern fails below).
PATTERN_EXAMPLES = {"([01]?[0-9]|2[0-3]):[0-5][0-9]": "14:30", "[A-Z]{1,2}[ ]?[0-9]{6,9}": "CS 01234567"}
DAY = date(2020, 5, 15)


def _day(field: dict) -> date:
    low = date.fromisoformat(field["date_min"]) if field.get("date_min", "today") != "today" else date.min
    high = (
        date.fromisoformat(field["date_max"]) if field.get("date_max", "today") != "today" else date.today()
    )
    return min(max(DAY, low), high)


def _value(field: dict, serial: int):
    """A value the field accepts, distinct per field (``serial``) where the type allows it."""
    kind = field["type"]
    if kind == "date":
        day = _day(field)
        return {"ngay": f"{day.day:02d}", "thang": f"{day.month:02d}", "nam": str(day.year)}
    if kind == "address":
        return {"unit": None, "detail": f"Số {serial} đường Lê Lợi"}  # the first commune of the list
    if kind in ("choice", "radio"):
        return field["choices"][0]["value"]
    if kind == "checkbox":
        return bool(field.get("required"))
    if kind == "personal_id":
        return f"0910850{serial:05d}"
    if kind == "phone":
        return "0912345678"
    if kind == "email":
        return "nguoidan@example.vn"
    if kind == "number":
        return str(int(field.get("min", 1)) + 1)
    if "pattern" in field:
        return PATTERN_EXAMPLES[field["pattern"]]
    return f"Giá trị {serial} đã nhập"


def _answers(schema: dict) -> dict:
    """Answers for every section (one item in each repeated group), in the shape the form stores."""
    serial, answers = 0, {}
    for section in schema["sections"]:
        values = {}
        for field in section["fields"]:
            serial += 1
            values[field["id"]] = _value(field, serial)
        answers[section["id"]] = [values] if "repeat" in section else values
    return answers


def _fill_section(page, schema: dict, section: dict, answers: dict) -> None:
    """Type the section's answers as a person would: the questions others depend on first (htmx then shows what
    depends on them), then every field the answers leave shown."""
    repeated = "repeat" in section
    if repeated:
        page.locator(f"#{section['id']}-them").click()
        expect(page.locator("fieldset.repeat-item")).to_have_count(1)
    values = answers[section["id"]][0] if repeated else answers[section["id"]]
    prefix = f"{section['id']}-0-" if repeated else ""
    context = {**checks.plain_answers(answers), **values}
    controls = controlling_ids(schema)
    ordered = sorted(section["fields"], key=lambda field: field["id"] not in controls)
    for field in ordered:
        if not checks.shown(field.get("when"), context):
            continue
        names, value = checks.field_names(field, prefix), values[field["id"]]
        kind = field["type"]
        if kind == "date":
            for name, part in zip(names, (value["ngay"], value["thang"], value["nam"]), strict=True):
                page.locator(f'[name="{name}"]').fill(part)
        elif kind == "address":
            page.locator(f'select[name="{names[0]}"]').select_option(index=1)
            page.locator(f'[name="{names[1]}"]').fill(value["detail"])
        elif kind == "radio":
            page.locator(f'input[name="{names[0]}"][value="{value}"]').check()
        elif kind == "choice":
            page.locator(f'select[name="{names[0]}"]').select_option(value)
        elif kind == "checkbox":
            page.locator(f'[name="{names[0]}"]').set_checked(value)
        else:
            page.locator(f'[name="{names[0]}"]').fill(value)
        if field["id"] in controls:
            page.wait_for_load_state("networkidle")  # the section comes back with what depends on the answer


def _save(page, dossier_id: int, section: dict) -> None:
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page).not_to_have_url(re.compile(rf"/to-khai/{dossier_id}/phan/{section['id']}/$"))
    assert not page.locator(".error-summary").count(), page.locator(".error-summary").inner_text()


def _typed(schema: dict, answers: dict) -> list[str]:
    """What the PDF must show of the answers: every text, number, personal id, phone and date typed."""
    shown = []
    context = checks.plain_answers(answers)
    for section in checks.visible_sections(schema, answers):
        items = answers[section["id"]] if "repeat" in section else [answers[section["id"]]]
        for values in items:
            for field in section["fields"]:
                value = values[field["id"]]
                if not checks.shown(field.get("when"), {**context, **values}):
                    continue
                if field["type"] == "date":
                    shown.append(f"{value['ngay']}/{value['thang']}/{value['nam']}")
                elif field["type"] == "address":
                    shown.append(value["detail"])
                elif field["type"] not in ("choice", "radio", "checkbox", "email"):
                    shown.append(value)
    return shown


def _pdf_text(dossier: Dossier, tmp_path) -> str:
    stored = DossierFile.objects.get(pk=AnswerSet.objects.get(dossier=dossier).file_id)
    path = tmp_path / "to-khai.pdf"
    path.write_bytes(stored.file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_every_pattern_of_the_shipped_forms_has_an_example():
    patterns = {
        field["pattern"]
        for schema in DEFINITIONS.values()
        for section in schema["sections"]
        for field in section["fields"]
        if "pattern" in field
    }
    assert patterns <= PATTERN_EXAMPLES.keys()


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_a_shipped_declaration_is_filled_resumed_on_another_device_submitted_and_printed(
    name, new_context, axe_check, demo_accounts, tmp_path
):
    schema = DEFINITIONS[name]
    shipped_definitions_load()
    citizen = User.objects.get(username="congdan")
    procedure = Procedure.objects.get(code=schema["code"])
    if procedure.online_level < Procedure.OnlineLevel.SUBMISSION:
        # The catalogue does not open this one to online filing yet (2.000815, certified copies: the original is
        # shown at the counter); its form is shipped for when the province does, and is tested as if it had.
        Procedure.objects.filter(pk=procedure.pk).update(online_level=Procedure.OnlineLevel.SUBMISSION)
        procedure.refresh_from_db()
    draft = filing.dossier_draft_create(
        user=citizen, procedure=procedure, receiving_agency=procedure_receiving_agencies(procedure)[0]
    )
    filing.dossier_details_update(dossier=draft, user=citizen, applicant_phone="0912345678")
    answers = _answers(schema)
    sections = checks.visible_sections(schema, answers)

    phone = signed_in_page(new_context, "congdan")
    phone.goto(f"/to-khai/{draft.pk}/")
    expect(phone.locator("h1")).to_have_text(schema["title"])
    axe_check(phone)
    phone.goto(f"/to-khai/{draft.pk}/phan/{sections[0]['id']}/")
    _fill_section(phone, schema, sections[0], answers)
    axe_check(phone)
    _save(phone, draft.pk, sections[0])
    phone.context.close()  # leaves

    laptop = signed_in_page(new_context, "congdan")
    laptop.goto(f"/ho-so/{draft.pk}/soan/")
    expect(laptop.locator(".eform-slot")).to_contain_text("Đã xong 1/")
    laptop.goto(f"/to-khai/{draft.pk}/phan/{sections[0]['id']}/")
    first = next(f for f in sections[0]["fields"] if f["type"] in ("text", "personal_id"))
    expect(laptop.locator(f'[name="{checks.field_names(first)[0]}"]')).to_have_value(
        answers[sections[0]["id"]][first["id"]]
    )  # what the other device saved
    for section in sections[1:]:
        laptop.goto(f"/to-khai/{draft.pk}/phan/{section['id']}/")
        _fill_section(laptop, schema, section, answers)
        axe_check(laptop)
        _save(laptop, draft.pk, section)
    laptop.goto(f"/to-khai/{draft.pk}/")
    laptop.get_by_role("button", name="Hoàn tất tờ khai").click()
    expect(laptop.locator("#to-khai")).to_contain_text("Đã hoàn tất")
    draft.refresh_from_db()
    attach_required(draft, citizen)  # the other papers are uploads, as in the dossier flow test
    laptop.goto(f"/ho-so/{draft.pk}/kiem-tra/")
    laptop.get_by_role("button", name="Nộp hồ sơ").click()
    expect(laptop).not_to_have_url(re.compile(r"/kiem-tra/$"))
    draft.refresh_from_db()
    assert draft.state == Dossier.State.SUBMITTED

    text = _pdf_text(draft, tmp_path)
    missing = [value for value in _typed(schema, answers) if value not in text]
    assert not missing, f"not in the PDF of {name}: {missing}"
