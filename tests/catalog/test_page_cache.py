import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.agencies.models import Agency
from portal.agencies.services import agencies_load
from portal.cache.pages import page_key
from portal.catalog.models import Procedure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 60


def test_a_repeated_anonymous_request_is_served_from_the_cache(client):
    first = client.get("/thu-tuc/?q=khai+sinh&cache-test=1")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/thu-tuc/?q=khai+sinh&cache-test=1")
    assert second.status_code == 200
    assert second.content == first.content
    assert len(queries) == 0


def test_an_edit_to_the_catalogue_shows_at_once(client):
    url = "/thu-tuc/1.001193/?cache-test=2"
    assert "Thủ tục đăng ký khai sinh" in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == 0  # the page is in the cache before the edit
    procedure = Procedure.objects.get(code="1.001193")
    procedure.name = "Đăng ký khai sinh (tên mới)"
    procedure.save()  # the catalogue's receivers bump its version
    assert "Đăng ký khai sinh (tên mới)" in client.get(url).content.decode()


def test_agencies_renamed_by_loading_them_again_show_at_once(client, settings):
    """``load_agencies`` renames with update(), which sends no signal: the agencies app bumps its version itself."""
    url = "/thu-tuc/1.001193/?cache-test=6"
    agency = Agency.objects.filter(procedure_links__procedure__code="1.001193").first()
    original = agency.name
    agency.name = "Tên cũ của cơ quan"  # as an older data file had it
    agency.save()
    assert "Tên cũ của cơ quan" in client.get(url).content.decode()  # and now kept
    agencies_load(province_code=settings.PORTAL_PROVINCE_CODE)  # the data file's name again
    page = client.get(url).content.decode()
    assert original in page and "Tên cũ của cơ quan" not in page


def test_fragment_and_full_page_are_cached_apart(client):
    url = "/thu-tuc/?q=ho+chieu&cache-test=3"
    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" in page.content and b"<html" not in fragment.content
    assert "HX-Request" in fragment["Vary"]
    assert fragment["HX-Push-Url"] == "/thu-tuc/?q=ho+chieu&cache-test=3"
    assert client.get(url, headers={"HX-Request": "true"})["HX-Push-Url"] == fragment["HX-Push-Url"]


def test_a_visitor_with_a_session_always_gets_a_fresh_page(client, make_user):
    client.force_login(make_user("someone"))
    client.get("/thu-tuc/?cache-test=4")
    with CaptureQueriesContext(connection) as queries:
        client.get("/thu-tuc/?cache-test=4")
    assert len(queries) > 0


def test_errors_are_not_cached(client, rf):
    url = "/thu-tuc/?level=zz&cache-test=5"
    assert client.get(url).status_code == 400
    assert cache.get(page_key(rf.get(url))) is None
    assert client.get("/thu-tuc/?cache-test=5").status_code == 200
    assert cache.get(page_key(rf.get("/thu-tuc/?cache-test=5"))) is not None
