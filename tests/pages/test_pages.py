import pytest

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_with_one_h1_and_a_skip_link(client):
    body = client.get("/").content.decode()
    assert '<html lang="vi">' in body
    assert body.count("<h1") == 1
    assert 'href="#main"' in body and 'id="main"' in body
    assert "1601" in body or "1.601" in body


def test_footer_shows_hotline_and_contact(client, settings):
    body = client.get("/").content.decode()
    assert settings.PORTAL_HOTLINE in body and settings.PORTAL_CONTACT_EMAIL in body


def test_no_cdn_anywhere(client):
    for path in ["/", "/thu-tuc/", "/thu-tuc/1.001193/", "/co-quan/000.00.05.H01/nhung/"]:
        body = client.get(path).content.decode()
        assert 'src="http' not in body and 'href="https://cdn' not in body
        assert "/static/js/htmx-2.0.11.min.js" in body or path == "/co-quan/000.00.05.H01/nhung/"


def test_site_map_pages(client):
    assert "Sơ đồ trang" in client.get("/so-do-trang/").content.decode()
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/thu-tuc/1.001193/" in xml
    assert "http://testserver/co-quan/000.00.05.H01/" in xml


def test_robots_txt_points_to_the_sitemap_and_hides_the_admin(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /quan-tri/" in body


def test_healthz_answers_without_touching_dependencies(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_readyz_is_503_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.backend.PortalRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/readyz")  # Django's test signals reset the cache handlers on a CACHES change
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] != "ok"


def test_404_page_is_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_500_page_is_in_vietnamese_and_needs_no_database(client):
    from portal.pages.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_the_accessibility_statement_names_the_standard_the_checks_the_gaps_and_the_contact(client, settings):
    body = client.get("/kha-nang-tiep-can/").content.decode()

    assert "<h1>Tuyên bố về khả năng tiếp cận</h1>" in body
    assert "WCAG) 2.1 mức AA" in body and "axe-core" in body and "320 px" in body
    assert "Hạn chế đã biết" in body
    assert settings.PORTAL_HOTLINE in body and f"mailto:{settings.PORTAL_CONTACT_EMAIL}" in body
    assert "rà soát lần gần nhất ngày 07/12/2026" in body


def test_the_accessibility_statement_is_linked_from_every_footer_and_the_site_map(client):
    for path in ["/", "/thu-tuc/", "/so-do-trang/"]:
        assert 'href="/kha-nang-tiep-can/"' in client.get(path).content.decode()
    site_map = client.get("/so-do-trang/").content.decode().split('<main id="main"')[1]
    assert 'href="/kha-nang-tiep-can/"' in site_map
    assert "http://testserver/kha-nang-tiep-can/" in client.get("/sitemap.xml").content.decode()


def test_the_admin_shows_the_portals_name_and_its_login_page_has_a_heading(client, settings):
    body = client.get("/quan-tri/login/").content.decode()

    assert f"<title>Đăng nhập | {settings.PORTAL_SITE_NAME}</title>" in body
    assert f"{settings.PORTAL_SITE_NAME} · Quản trị hệ thống</a>" in body
    assert body.count("<h1") == 1 and "<h1>Đăng nhập trang quản trị</h1>" in body
    assert "Django" not in body.split("<body")[1]
