"""Every shipped declaration form is a valid definition, names a procedure of the catalogue (and the document it
replaces where the catalogue lists one), imports once (a second import changes nothing), exports back to the same
JSON, and renders: its preview page, each section page and its PDF."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from eforms.demo import shipped_definition_files, shipped_definitions_load
from eforms.models import FormDefinition
from eforms.schema import definition_errors
from eforms.selectors import requirement_for
from eforms.services import definition_export
from tests.accounts.mfa import staff_login

pytestmark = pytest.mark.django_db
FILES = shipped_definition_files()


def test_ten_forms_are_shipped_for_the_most_filed_procedures():
    codes = {json.loads(path.read_text(encoding="utf-8"))["code"] for path in FILES}
    assert {
        "1.001193",
        "1.000656",
        "1.000894",
        "1.004222",
        "1.004194",
        "2.000635",
        "2.000815",
        "1.013225",
        "1.013992",
        "1.001612",
    } <= codes


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_shipped_definition_validates_imports_once_and_renders(path, client, people):
    data = json.loads(path.read_text(encoding="utf-8"))
    assert definition_errors(data) == []
    shipped_definitions_load()
    assert shipped_definitions_load() == 0  # the same files again: no new version
    definition = FormDefinition.objects.get(procedure__code=data["code"], is_current=True)
    assert definition_export(definition) == {**data, "version": 1}
    if "document_match" in data:
        assert requirement_for(definition.procedure, data) is not None
    staff_login(client, people.province_admin)
    page = client.get(reverse("eforms:preview", args=[definition.pk]))
    assert page.status_code == 200
    for section in data["sections"]:
        assert section["title"] in page.content.decode()


def test_a_definition_with_mistakes_is_refused_with_every_mistake_named():
    problems = definition_errors(
        {
            "code": "1.001193",
            "title": "Tờ khai",
            "sections": [
                {
                    "id": "a",
                    "title": "A",
                    "fields": [
                        {"id": "x", "label": "X", "type": "choice", "choices": []},
                        {"id": "x", "label": "Y", "type": "kieu_la"},
                        {"id": "d", "label": "D", "type": "date", "date_max": "ngày mai"},
                    ],
                },
                {
                    "id": "b",
                    "title": "B",
                    "when": {"field": "khong_co", "equals": "1"},
                    "fields": [
                        {"id": "p", "label": "P", "type": "text", "pattern": "("},
                    ],
                },
            ],
        }
    )
    text = "\n".join(problems)
    for words in ("'choices'", "bị trùng", "'type'", "'date_max'", "khong_co", "'pattern'"):
        assert words in text


def test_import_and_export_commands_round_trip(tmp_path, capsys):
    path = FILES[0]
    call_command("import_eform", str(path))
    code = json.loads(path.read_text(encoding="utf-8"))["code"]
    call_command("export_eform", code)
    exported = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert exported["version"] == 1 and exported["code"] == code
    broken = tmp_path / "hong.json"
    broken.write_text('{"code": "1.001193"}', encoding="utf-8")
    with pytest.raises(Exception, match="sections"):
        call_command("import_eform", str(broken))


def test_a_department_admin_edits_only_their_procedures_forms_and_each_save_is_a_new_version(client, people):
    shipped_definitions_load()
    birth = FormDefinition.objects.get(procedure__code="1.001193", is_current=True)
    admin_url = reverse("admin:eforms_formdefinition_change", args=[birth.pk])
    people.department_admin.is_staff = True  # as demo_accounts_create makes department admins
    people.department_admin.save(update_fields=["is_staff"])
    staff_login(client, people.department_admin)  # Sở Tư pháp: competent for birth registration
    data = definition_export(birth)
    data["title"] = "Tờ khai đăng ký khai sinh (sửa)"
    response = client.post(admin_url, {"definition_json": json.dumps(data, ensure_ascii=False)})
    assert response.status_code == 302 and "/quan-tri/eforms/formdefinition/" in response.url, response.url
    current = FormDefinition.objects.get(procedure__code="1.001193", is_current=True)
    assert current.version == 2 and current.title.endswith("(sửa)")
    assert FormDefinition.objects.get(pk=birth.pk).title == "Tờ khai đăng ký khai sinh"  # v1 kept as it was
    data["code"] = "1.013225"  # construction permits belong to another department
    refused = client.post(admin_url, {"definition_json": json.dumps(data, ensure_ascii=False)})
    assert refused.status_code == 200 and "Bạn không quản lý thủ tục" in refused.content.decode()
    data["code"] = "1.001193"
    data["sections"][0]["fields"][0]["type"] = "kieu_la"
    refused = client.post(admin_url, {"definition_json": json.dumps(data, ensure_ascii=False)})
    assert refused.status_code == 200 and "phải là một trong" in refused.content.decode()
    assert FormDefinition.objects.filter(procedure__code="1.001193").count() == 2


def test_load_demo_loads_the_shipped_forms_through_the_demo_signal():
    from io import StringIO

    from portal.demo import demo_data_loading

    out = StringIO()
    demo_data_loading.send(sender=None, stdout=out, stderr=out)
    assert FormDefinition.objects.filter(is_current=True).count() == len(FILES)
    assert "Tờ khai đăng ký khai sinh" in out.getvalue()
