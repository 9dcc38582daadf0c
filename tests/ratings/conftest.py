import pytest

from tests.people import uploads_in


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


def answers(i1=2, i3=2, i4=1, i7=2, comment=""):
    from ratings.services import Answers

    return Answers(i1=i1, i3=i3, i4=i4, i7=i7, comment=comment)


@pytest.fixture(autouse=True)
def birth_registration_in_working_days(db):
    """Birth registration's time in the national catalogue is "1" without a unit (see tests/dossiers/conftest.py);
    these tests read it as 1 working day, so the shared people's dossiers get a due date at reception."""
    from portal.catalog.models import Channel
    from tests.people import BIRTH

    Channel.objects.filter(procedure__code=BIRTH, duration_unit="").update(duration_unit="working_day")
