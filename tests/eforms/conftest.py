import json

import pytest

from eforms.demo import DEFINITIONS_DIR
from eforms.services import definition_import
from tests.people import attach_required, make_staff, uploads_in

MOTHER_ID = "089190000123"


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


@pytest.fixture
def birth_form(db):
    data = json.loads((DEFINITIONS_DIR / "1.001193-khai-sinh.json").read_text(encoding="utf-8"))
    return definition_import(data=data)[0]


@pytest.fixture
def people(make_user):
    return make_staff(make_user)


@pytest.fixture
def commune_code(db):
    from portal.territory.models import AdministrativeUnit

    return (
        AdministrativeUnit.objects.filter(kind="commune")
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


@pytest.fixture
def file_with_declaration(people, birth_form, commune_code):
    """``file(child)``: a birth registration filed by ``people.citizen`` at ``people.commune`` with its declaration
    filled in through the services (the mother's personal id ``MOTHER_ID``) and finished."""
    from dossiers import filing, services
    from eforms import services as eforms_services
    from tests.eforms.test_filling import valid_sections

    def file(child: str):
        draft = filing.dossier_draft_create(
            user=people.citizen, procedure=people.birth, receiving_agency=people.commune
        )
        draft = filing.dossier_details_update(
            dossier=draft, user=people.citizen, applicant_phone="0912345678"
        )
        answer_set = eforms_services.answer_set_start(
            dossier=draft, user=people.citizen, definition=birth_form
        )
        sections = valid_sections(commune_code)
        sections["tre"]["tre_ho_ten"] = child
        sections["cha_me"]["me_so_dinh_danh"] = MOTHER_ID
        for section_id, data in sections.items():
            answer_set, problems = eforms_services.answers_save_section(
                answer_set=answer_set, section_id=section_id, data=data, user=people.citizen
            )
            assert problems == []
        assert eforms_services.declaration_finish(answer_set=answer_set, user=people.citizen) == {}
        draft.refresh_from_db()
        attach_required(draft, people.citizen)
        services.dossier_submit(dossier=draft, actor=people.citizen)
        draft.refresh_from_db()
        return draft

    return file
