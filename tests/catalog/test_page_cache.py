import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.catalog import page_cache
from portal.catalog.models import Procedure
from portal.catalog.search_index import catalog_version_bump

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
    Procedure.objects.filter(code="1.001193").update(name="Đăng ký khai sinh (tên mới)")
    catalog_version_bump()  # what the importer and the admin do after a write
    assert "Đăng ký khai sinh (tên mới)" in client.get(url).content.decode()


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
    assert cache.get(page_cache._key(rf.get(url))) is None
    assert client.get("/thu-tuc/?cache-test=5").status_code == 200
    assert cache.get(page_cache._key(rf.get("/thu-tuc/?cache-test=5"))) is not None
