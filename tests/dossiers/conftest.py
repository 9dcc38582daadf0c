import pytest

from tests.people import BIRTH, uploads_in


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


@pytest.fixture(autouse=True)
def birth_registration_in_working_days(db):
    """The national catalogue gives birth registration (1.001193), the procedure these tests file, a time of "1"
    without a unit; such a dossier waits for the receiving officer to set its due date (``services.dossier_receive``).
    Tests about something else read it as 1 working day; ``unit_less_birth_registration`` puts the catalogue back."""
    from portal.catalog.models import Channel

    Channel.objects.filter(procedure__code=BIRTH, duration_unit="").update(duration_unit="working_day")


@pytest.fixture
def unit_less_birth_registration(birth_registration_in_working_days):
    from portal.catalog.models import Channel

    Channel.objects.filter(procedure__code=BIRTH).update(duration_unit="")
