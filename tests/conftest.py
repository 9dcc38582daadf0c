"""Shared fixtures. The test database is filled once per run with the real data the portal ships: the province's
administrative units, its agencies and the full national procedure catalogue, so tests read like a citizen's
or an admin's day against real content."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command("load_units", stdout=out)
        call_command("load_agencies", stdout=out)
        call_command("seed_holidays", stdout=out)
        call_command("import_procedures", quiet_incomplete=True, stdout=out, stderr=out)


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    """Every test starts with an empty cache of its own: a key prefix of its own in the shared cache (Redis in the
    PostgreSQL run outlives a test and a run), so counters, limits and kept pages of another test never decide this
    one's outcome. Versions start afresh too (``portal.cache``): the catalogue's from the table, so a test that wrote
    procedures and was rolled back leaves no search index behind, and the next test reuses the one built for the
    table as it is."""
    from portal.cache.backend import breaker

    default = settings.CACHES["default"]
    prefix = f"{default.get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": prefix}}
    breaker.reset()  # a test that took the cache away does not leave it "down" for the next one


@pytest.fixture(autouse=True)
def _vietnamese_after():
    """A request to an /en/ page leaves English active in this thread, and reverse() would then prefix /en/ in the
    next test: every test starts in the portal's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db):
    from portal.accounts.models import AgencyMembership, User
    from portal.agencies.models import Agency

    def make(username: str, role: str = User.Role.CITIZEN, agency_code: str | None = None, **extra) -> User:
        user = User.objects.create_user(username=username, password="Mat-khau-du-dai-123", role=role, **extra)
        if agency_code:
            AgencyMembership.objects.create(user=user, agency=Agency.objects.get(code=agency_code))
        return user

    return make


@pytest.fixture
def staff(make_user):
    """The shared people (tests/people.py): the applicant, officers of each role, admins, outsiders."""
    from tests.people import make_staff

    return make_staff(make_user)


@pytest.fixture(scope="session")
def standin_process():
    """The stand-in state systems (integrations/standin) in their own process, one for the whole run."""
    from integrations.standin.testing import standin_start

    standin = standin_start()
    yield standin
    standin.stop()


@pytest.fixture
def standin(standin_process):
    """The stand-in, with nothing received, no faults and its own data again for this test."""
    standin_process.reset()
    return standin_process


@pytest.fixture
def dvcqg_settings(settings, standin):
    """The portal's DVCQG_* settings pointed at the stand-in national portal."""
    settings.DVCQG_BASE_URL = standin.dvcqg_url
    settings.DVCQG_USERNAME = "cong-tinh"
    settings.DVCQG_PASSWORD = "mat-khau-thu-nghiem"
    settings.DVCQG_AGENCY_CODE = "000.00.00.H01"
    settings.DVCQG_TIMEOUT = (2.0, 2.0)
    return settings


@pytest.fixture
def population_settings(settings, standin):
    """The portal's POPULATION_* settings pointed at the stand-in population database (through its LGSP)."""
    settings.POPULATION_LGSP_URL = standin.lgsp_url
    settings.POPULATION_CLIENT_ID = "cong-tinh"
    settings.POPULATION_CLIENT_SECRET = "khoa-bi-mat-thu-nghiem"
    settings.POPULATION_AGENCY_CODE = "000.00.00.H01"
    settings.POPULATION_TIMEOUT = (1.0, 1.0)
    standin.population_configure(clients={"cong-tinh": "khoa-bi-mat-thu-nghiem"}, agency="000.00.00.H01")
    from integrations.population.client import population_clients_forget

    population_clients_forget()
    yield settings
    population_clients_forget()


@pytest.fixture
def payment_settings(settings, standin):
    """The portal's PAYMENT_* settings pointed at the stand-in payment platform, with a merchant it knows."""
    settings.PAYMENT_BASE_URL = standin.payment_url
    settings.PAYMENT_MERCHANT_CODE = "CONG-TINH"
    settings.PAYMENT_SECRET = "bi-mat-chung-thu-nghiem"
    settings.PAYMENT_TIMEOUT = (2.0, 2.0)
    standin.payment_configure(merchants={"CONG-TINH": "bi-mat-chung-thu-nghiem"})
    return settings


@pytest.fixture
def postal_settings(settings, standin):
    """The portal's POSTAL_* settings pointed at the stand-in postal service."""
    settings.POSTAL_BASE_URL = standin.postal_url
    settings.POSTAL_API_KEY = "khoa-buu-chinh-thu-nghiem"
    settings.POSTAL_CUSTOMER_CODE = "KH-TINH"
    settings.POSTAL_TIMEOUT = (2.0, 2.0)
    standin.postal_configure(keys=["khoa-buu-chinh-thu-nghiem"], fee=32000)
    return settings


@pytest.fixture
def documents_settings(settings, standin):
    """The portal's DOCUMENTS_* settings pointed at the stand-in document-management system."""
    settings.DOCUMENTS_BASE_URL = standin.documents_url
    settings.DOCUMENTS_API_KEY = "khoa-qlvb-thu-nghiem"
    settings.DOCUMENTS_CALLBACK_SECRET = "bi-mat-goi-lai-thu-nghiem"
    settings.DOCUMENTS_TIMEOUT = (2.0, 5.0)
    standin.documents_configure(keys=["khoa-qlvb-thu-nghiem"], secret="bi-mat-goi-lai-thu-nghiem")
    return settings
