"""The shared factory makes a dossier in every state the workflow has, through the real services."""

import pytest

from dossiers.models import Dossier

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("uploads_in_tmp")]


@pytest.mark.parametrize("state", [state for state, _label in Dossier.State.choices])
def test_the_factory_brings_a_dossier_to_every_state(staff, state):
    dossier = staff.dossier_in(state)
    dossier.refresh_from_db()
    assert dossier.state == state and dossier.applicant == staff.citizen
