"""Properties over every shipped form: any valid answers pass every check and produce a PDF; any single field
given a value it must refuse produces that field's message (through the page for procedures filed online), never
a server error, and the typed value is kept."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossiers import filing
from dossiers.models import Dossier
from eforms import answers as checks
from eforms.demo import shipped_definition_files
from eforms.models import AnswerSet
from eforms.pdf import declaration_pdf
from eforms.services import definition_import
from portal.territory.models import AdministrativeUnit
from tests.eforms.strategies import invalid_value, post_data, refusable_fields, valid_answers

pytestmark = pytest.mark.django_db
DEFINITIONS = [json.loads(path.read_text(encoding="utf-8")) for path in shipped_definition_files()]
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.fixture
def communes(db):
    return sorted(AdministrativeUnit.objects.filter(kind="commune").values_list("code", flat=True))


@pytest.mark.parametrize("data", DEFINITIONS, ids=lambda d: d["code"])
def test_random_valid_answers_always_pass_and_produce_a_pdf(data, communes, people):
    definition = definition_import(data=data)[0]
    dossier = Dossier(
        applicant_name="Trần Thị Bình", receiving_agency=people.commune, procedure=definition.procedure
    )

    @settings(deadline=None, suppress_health_check=HEALTH, max_examples=4)
    @given(answers=valid_answers(data, communes))
    def check(answers):
        assert checks.all_problems(data, answers, frozenset(communes)) == {}
        content = declaration_pdf(AnswerSet(dossier=dossier, definition=definition, answers=answers))
        assert content.startswith(b"%PDF")

    check()


@pytest.mark.parametrize("data", DEFINITIONS, ids=lambda d: d["code"])
def test_a_refused_value_always_gets_its_field_message(data, communes):
    pairs = refusable_fields(data)

    @settings(deadline=None, suppress_health_check=HEALTH, max_examples=25)
    @given(st.data())
    def check(draw):
        answers = draw.draw(valid_answers(data, communes))
        section, field = draw.draw(st.sampled_from(pairs))
        bad = invalid_value(field)
        if bad is None:
            return
        answers[section["id"]][field["id"]] = draw.draw(bad)
        problems = checks.section_problems(
            section, answers[section["id"]], checks.plain_answers(answers), frozenset(communes)
        )
        assert checks.field_names(field)[0] in dict(problems), (field, answers[section["id"]][field["id"]])

    check()


ONLINE = [d for d in DEFINITIONS if d["code"] in {"1.001193", "1.004222", "1.001612"}]


@pytest.mark.parametrize("data", ONLINE, ids=lambda d: d["code"])
def test_posting_refused_values_gives_400_with_the_message_never_a_500(data, communes, people, client):
    definition = definition_import(data=data)[0]
    agency = definition.procedure.agency_links.filter(agency__kind="commune").first().agency
    draft = filing.dossier_draft_create(
        user=people.citizen, procedure=definition.procedure, receiving_agency=agency
    )
    client.force_login(people.citizen)
    pairs = refusable_fields(data)

    @settings(deadline=None, suppress_health_check=HEALTH, max_examples=15)
    @given(st.data())
    def check(draw):
        answers = draw.draw(valid_answers(data, communes))
        section, field = draw.draw(st.sampled_from(pairs))
        bad = invalid_value(field)
        if bad is None:
            return
        answers[section["id"]][field["id"]] = draw.draw(bad)
        url = reverse("eforms:section", args=[draft.pk, section["id"]])
        response = client.post(url, post_data(section, answers[section["id"]]))
        assert response.status_code == 400
        page = response.content.decode()
        assert f'href="#{checks.field_names(field)[0]}"' in page
        saved = AnswerSet.objects.get(dossier=draft).answers[section["id"]][field["id"]]
        assert saved == checks.read_field(field, post_data(section, answers[section["id"]]))

    check()
