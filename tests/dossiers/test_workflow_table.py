"""An action is one row of the workflow table, one service and (for officers) one form: adding an action means adding
those three, and nothing else has to know about it."""

import inspect

import pytest

from dossiers.forms.actions import ACTION_FORMS
from dossiers.models import Dossier
from dossiers.services import SERVICES
from dossiers.workflow import TRANSITIONS, Actor


def test_every_action_of_the_table_has_its_service_and_every_service_its_row():
    assert set(SERVICES) == set(TRANSITIONS) - {"register"}  # registration creates the dossier (filing)


def test_every_service_takes_the_same_three_arguments():
    for action, service in SERVICES.items():
        parameters = inspect.signature(service).parameters
        assert {"dossier", "actor", "expected_version"} <= set(parameters), action
        assert all(p.kind is p.KEYWORD_ONLY for p in parameters.values()), action


def test_every_officer_action_has_a_form_whose_fields_are_its_services_arguments():
    officer_actions = {a for a, t in TRANSITIONS.items() if t.actors - {Actor.APPLICANT} and a != "register"}
    assert set(ACTION_FORMS) == officer_actions
    for action, form_class in ACTION_FORMS.items():
        accepted = set(inspect.signature(SERVICES[action]).parameters)
        fields = set(form_class.base_fields) - {"expected_version"}
        if action == "propose":  # the upload and its name become one result document
            fields = fields - {"result_name"}
        assert fields <= accepted, (action, fields - accepted)


@pytest.mark.django_db
def test_the_arguments_of_a_filled_form_are_accepted_by_its_service(staff):
    dossier = staff.register()
    form = ACTION_FORMS["refuse"](
        {"expected_version": dossier.version, "reason": "  Sai thủ tục  "}, dossier=dossier
    )
    assert form.is_valid()
    assert form.arguments() == {"reason": "Sai thủ tục"}
    SERVICES["refuse"](
        dossier=dossier, actor=staff.receiver, expected_version=dossier.version, **form.arguments()
    )
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.REFUSED
