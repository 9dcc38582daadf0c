import pytest
from django.conf import settings
from django.utils import translation

from tests.dossiers.staff import Staff, make_staff, uploads_in


@pytest.fixture
def staff(make_user) -> Staff:
    """A citizen and officers of the units a birth-registration dossier goes through (tests/dossiers/staff.py)."""
    return make_staff(make_user)


@pytest.fixture
def uploads_in_tmp(settings, tmp_path):
    uploads_in(settings, tmp_path)


@pytest.fixture(autouse=True)
def _vietnamese_after():
    """A request to an /en/ page leaves English active in this thread, and reverse() would then prefix /en/."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
