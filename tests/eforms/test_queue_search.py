"""Officers search their queue by what the declaration says (the child's name, a parent's personal id, a place),
accents or not, and find only the dossiers their queue shows them; the personal id they type is never logged."""

import logging

import pytest
from django.urls import reverse

from dossiers import filing
from eforms import services as eforms_services
from eforms.models import AnswerSet
from eforms.search import answers_search_text
from tests.accounts.mfa import staff_login
from tests.eforms.conftest import MOTHER_ID
from tests.eforms.test_filling import valid_sections

pytestmark = pytest.mark.django_db


def _search(client, text: str) -> str:
    response = client.get(reverse("dossiers:officer_queue", args=["cho-tiep-nhan"]), {"text": text})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def filed(file_with_declaration):
    return file_with_declaration("Nguyễn Minh Khang")


def test_the_receiving_officer_finds_a_dossier_by_its_declaration_answers_with_or_without_accents(
    client, people, filed, file_with_declaration
):
    other = file_with_declaration("Lê Thị Yến")
    staff_login(client, people.receiver)
    for query in ("Nguyễn Minh Khang", "nguyen minh khang", "KHANG", "khang nguyen"):
        page = _search(client, query)
        assert filed.code in page and other.code not in page, query
    assert other.code in _search(client, "le thi yen") and filed.code not in _search(client, "le thi yen")
    assert other.code in _search(client, "Lê Thị Yến")
    # The mother's personal id, a street, the commune's name: both dossiers say them.
    unit_name = AnswerSet.objects.get(dossier=filed).search_text
    assert "tran hung dao" in unit_name
    for query in (MOTHER_ID, "089190", "Trần Hưng Đạo", "03/10/2026"):
        page = _search(client, query)
        assert filed.code in page and other.code in page, query
    assert "Không có hồ sơ nào phù hợp" in _search(client, "Phạm Văn Không Có")
    # The code and the applicant's name still match as before.
    assert filed.code in _search(client, filed.code)


def test_an_officer_of_another_agency_finds_nothing(client, people, filed):
    staff_login(client, people.stranger)
    assert filed.code not in _search(client, "Nguyễn Minh Khang")
    assert "Không có hồ sơ nào phù hợp" in _search(client, "Nguyễn Minh Khang")


def test_the_personal_id_searched_for_is_never_logged(client, people, filed, caplog):
    staff_login(client, people.receiver)
    with caplog.at_level(logging.DEBUG):
        assert filed.code in _search(client, MOTHER_ID)
    assert not [record for record in caplog.records if MOTHER_ID in record.getMessage()]


def test_a_changed_answer_is_found_by_its_new_value(client, people, birth_form, commune_code):
    draft = filing.dossier_draft_create(
        user=people.citizen, procedure=people.birth, receiving_agency=people.commune
    )
    answer_set = eforms_services.answer_set_start(dossier=draft, user=people.citizen, definition=birth_form)
    data = {**valid_sections(commune_code)["tre"], "tre_ho_ten": "Đỗ Gia Hân"}
    answer_set, _problems = eforms_services.answers_save_section(
        answer_set=answer_set, section_id="tre", data=data, user=people.citizen
    )
    assert "do gia han" in answer_set.search_text
    data["tre_ho_ten"] = "Đỗ Gia Huy"
    answer_set, _problems = eforms_services.answers_save_section(
        answer_set=answer_set, section_id="tre", data=data, user=people.citizen
    )
    assert "do gia huy" in answer_set.search_text and "han" not in answer_set.search_text.split()
    assert "khong" not in answer_set.search_text.split()  # tick boxes are not searched
    # Only what the form shows: the "born abroad" section's answers are not searched while it is hidden.
    assert answer_set.search_text == answers_search_text(birth_form.schema, answer_set.answers)


def test_a_search_too_long_is_a_clear_400(client, people):
    staff_login(client, people.receiver)
    response = client.get(reverse("dossiers:officer_queue", args=["cho-tiep-nhan"]), {"text": "x" * 201})
    assert response.status_code == 400
    assert "Từ khóa tìm kiếm quá dài" in response.content.decode()
