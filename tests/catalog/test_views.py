import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import Count
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from portal.catalog import selectors
from portal.catalog.models import Channel, Procedure

pytestmark = pytest.mark.django_db


def _first_result_name(response) -> str:
    page = response.context["page"]
    return page.items[0].name if page.items else ""


@pytest.mark.parametrize(
    "query",
    ["đăng ký khai sinh", "dang ky khai sinh", "khai sihn", "ĐĂNG KÝ KHAI SINH", "đăng ký khai sinh"],
)
def test_birth_registration_comes_first_however_it_is_typed(client, query):
    response = client.get("/thu-tuc/", {"q": query})
    assert response.status_code == 200
    assert _first_result_name(response) == "Thủ tục đăng ký khai sinh"


def test_everyday_words_find_the_official_procedure(client):
    response = client.get("/thu-tuc/", {"q": "sổ đỏ"})
    assert "quyền sử dụng đất" in _first_result_name(response)
    response = client.get("/thu-tuc/", {"q": "giấy phép xây dựng"})
    assert "giấy phép xây dựng" in _first_result_name(response).lower()


def test_filters_narrow_the_list(client):
    response = client.get("/thu-tuc/", {"level": "xa", "field": "ho-tich"})
    page = response.context["page"]
    assert page.total > 20
    assert all(p.is_commune_level and p.field.name == "Hộ tịch" for p in page.items)


def test_agency_and_online_and_applicant_filters(client):
    response = client.get("/thu-tuc/", {"agency": "000.00.20.H01", "online": "toan-trinh"})
    page = response.context["page"]
    assert page.total > 0
    assert all(p.online_scope == "full" for p in page.items)
    response = client.get("/thu-tuc/", {"applicant": "doanh-nghiep", "q": "giấy phép"})
    assert response.context["page"].total > 0


def test_search_and_filters_combine(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh", "level": "tinh"})
    page = response.context["page"]
    assert all(p.is_province_level for p in page.items)


def test_pagination_walks_the_catalogue(client):
    first = client.get("/thu-tuc/").context["page"]
    second = client.get("/thu-tuc/", {"page": 2}).context["page"]
    assert first.total == Procedure.objects.filter(is_active=True).count() and second.number == 2
    assert {p.code for p in first.items}.isdisjoint({p.code for p in second.items})


def test_htmx_request_gets_only_the_results_fragment(client):
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="results"')
    assert "<html" not in body


def test_the_full_page_works_without_javascript(client):
    body = client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert '<form class="filters" action="" method="get"' in body
    assert 'href="/thu-tuc/1.001193/"' in body


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 10_000},
        {"q": "khai\x00sinh"},
        {"level": "không-có"},
        {"online": "9"},
        {"field": "<script>"},
    ],
)
def test_bad_query_strings_get_a_clear_400(client, params):
    response = client.get("/thu-tuc/", params)
    assert response.status_code == 400
    assert "Yêu cầu chưa hợp lệ" in response.content.decode()


@pytest.mark.parametrize(
    "query_string",
    [
        "q=%C3%28%FF%FE",  # broken UTF-8
        "q=%27%3B+DROP+TABLE+catalog_procedure%3B--",
        "q=" + "%CC%81" * 150,  # combining marks only
        "page=-5",
        "page=99999999999999999999",
        "page=abc",
        "agency=000.00.00.XXX",
        "q=%E2%80%AE%F0%9F%98%80",
    ],
)
def test_odd_query_strings_get_a_normal_page(client, query_string):
    response = client.get(f"/thu-tuc/?{query_string}")
    assert response.status_code == 200


def test_user_input_is_never_echoed_unescaped(client):
    response = client.get("/thu-tuc/", {"q": '<script>alert("x")</script>'})
    body = response.content.decode()
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body


def test_detail_page_shows_what_a_citizen_needs(client):
    response = client.get("/thu-tuc/1.001193/")
    body = response.content.decode()
    assert response.status_code == 200
    for heading in [
        "Trình tự thực hiện",
        "Cách thức thực hiện, thời hạn và phí",
        "Thành phần hồ sơ",
        "Căn cứ pháp lý",
        "Kết quả thực hiện",
        "Nơi nộp hồ sơ tại tỉnh",
    ]:
        assert heading in body
    assert "<table>" in body and "Trực tuyến" in body
    assert "Sở Tư pháp" in body


def test_unknown_procedure_is_a_vietnamese_404(client):
    response = client.get("/thu-tuc/0.000000/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_agency_page_lists_its_procedures_and_an_embed_snippet(client):
    response = client.get("/co-quan/000.00.05.H01/")
    body = response.content.decode()
    assert response.context["page"].total > 100
    assert (
        "&lt;iframe src=&quot;http://testserver/co-quan/000.00.05.H01/nhung/&quot;" in body
        or '&lt;iframe src="http://testserver/co-quan/000.00.05.H01/nhung/"' in body
    )


def test_embed_page_may_be_framed_by_other_sites_but_normal_pages_may_not(client):
    assert client.get("/co-quan/000.00.05.H01/nhung/").get("X-Frame-Options") is None
    assert client.get("/co-quan/000.00.05.H01/").get("X-Frame-Options") == "DENY"


def test_a_commune_page_lists_commune_level_procedures(client):
    response = client.get("/co-quan/000.01.50.H01/")
    assert response.context["page"].total >= 400


def test_agency_list_groups_agencies(client):
    body = client.get("/co-quan/").content.decode()
    assert "Sở Tư pháp" in body and "Ủy ban nhân dân Đặc khu Kiên Hải" in body


@pytest.mark.parametrize("path", ["/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/co-quan/000.00.05.H01/"])
def test_query_count_does_not_grow_with_page_size(client, settings, path):
    counts = []
    for size in (5, 50):
        settings.PORTAL_CATALOG_PAGE_SIZE = size
        client.get(path)  # warm the per-process search index and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10


def test_detail_query_count_is_fixed_whatever_the_procedure_holds(client):
    """A procedure received in 102 communes costs no more queries than one received at the province's service
    centre (which that one looks up besides)."""
    commune_level = (
        Procedure.objects.filter(is_active=True, is_commune_level=True, is_province_level=False)
        .annotate(links=Count("agency_links"))
        .filter(links__gt=100)
        .first()
    )
    counts = []
    for code in ("1.001193", commune_level.code):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/thu-tuc/{code}/").status_code == 200
        counts.append(len(queries))
    assert counts[1] <= counts[0] <= 11


def test_english_version_is_one_click_away(client):
    body = client.get("/thu-tuc/").content.decode()
    assert '<a class="lang-switch" href="/en/thu-tuc/" hreflang="en" lang="en">English</a>' in body
    body = client.get("/en/thu-tuc/").content.decode()
    assert '<html lang="en">' in body
    assert "Administrative procedures" in body


def test_live_search_pushes_a_short_url_without_empty_fields(client):
    response = client.get(
        "/thu-tuc/",
        {"q": "khai sinh", "agency": "", "field": "", "level": "xa"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == "/thu-tuc/?q=khai+sinh&level=xa"


def test_language_switch_targets_the_same_page_in_the_other_language(client):
    assert (
        'href="/en/thu-tuc/?q=khai+sinh" hreflang="en"'
        in client.get("/thu-tuc/?q=khai+sinh").content.decode()
    )
    assert (
        'href="/thu-tuc/?q=khai+sinh" hreflang="vi"'
        in client.get("/en/thu-tuc/?q=khai+sinh").content.decode()
    )


# --- one copy of each parameter, one small live region (issue 9, items 1.9 and 2.1) ---------------------------------

LIVE_REGION = re.compile(r"""aria-live=|role="(?:status|alert|log|marquee|timer)"|<output""")


def _links(body: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'<a href="(\?[^"]*)"', body)]


def test_the_pushed_address_keeps_one_copy_of_each_parameter(client):
    response = client.get(
        "/thu-tuc/?q=khai&q=khai&q=khai+sinh&agency=&level=tinh&level=xa&page=1",
        headers={"HX-Request": "true"},
    )
    assert (
        response["HX-Push-Url"] == "/thu-tuc/?q=khai+sinh&level=xa"
    )  # the last copy: the one the form reads
    assert response.context["form"].cleaned_data["q"] == "khai sinh"


@pytest.mark.parametrize("htmx", [True, False])
def test_page_links_carry_one_copy_of_each_parameter(client, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    body = client.get(
        "/thu-tuc/?q=dang+ky&q=dang+ky&level=&level=xa&page=2", headers=headers
    ).content.decode()
    links = _links(body)
    assert links, "no page links"
    for link in links:
        params = parse_qs(urlsplit(link).query, keep_blank_values=True)
        assert params["q"] == ["dang ky"] and params["level"] == ["xa"] and "agency" not in params, link


def test_the_pushed_address_names_the_page_shown(client):
    response = client.get("/thu-tuc/?q=khai+sinh&page=9", headers={"HX-Request": "true"})
    assert response.context["page"].number == 1
    assert response["HX-Push-Url"] == "/thu-tuc/?q=khai+sinh"
    response = client.get("/thu-tuc/?q=dang+ky&page=2", headers={"HX-Request": "true"})
    assert response["HX-Push-Url"] == "/thu-tuc/?q=dang+ky&page=2"


def test_the_page_has_one_live_region_and_it_holds_a_short_status(client):
    body = client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode()
    assert len(LIVE_REGION.findall(body)) == 1
    status = re.search(r'<p id="results-status" class="result-summary" role="status">([^<]*)</p>', body)
    assert status and status.group(1) == "Hiển thị 1–18 trong 18 thủ tục cho “khai sinh”"
    assert '<h2 id="results-heading" class="results-heading" tabindex="-1">Kết quả</h2>' in body


def test_the_htmx_answer_is_the_list_and_the_status_out_of_band(client):
    body = (
        client.get("/thu-tuc/", {"q": "khai sinh"}, headers={"HX-Request": "true"}).content.decode().strip()
    )
    assert body.startswith('<div id="results" class="results-list">')
    assert body.count('id="results"') == 1 and not LIVE_REGION.search(body)
    status = re.search(r'<p id="results-status" hx-swap-oob="innerHTML">([^<]*)</p>$', body)
    assert status and len(status.group(1)) < 200 and "18 thủ tục" in status.group(1)


def test_a_long_query_still_gets_a_short_status(client):
    body = client.get("/thu-tuc/", {"q": "giấy phép " * 19}, headers={"HX-Request": "true"}).content.decode()
    status = re.search(r'<p id="results-status" hx-swap-oob="innerHTML">([^<]*)</p>', body).group(1)
    assert len(status) < 200


def test_a_history_restore_gets_the_whole_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/thu-tuc/", {"q": "khai sinh"}, headers=headers)
    assert "<html" in response.content.decode() and "HX-Push-Url" not in response
    assert "HX-History-Restore-Request" in response["Vary"]


def test_page_links_swap_the_list_whole_and_hand_focus_to_the_results_heading(client):
    body = client.get("/thu-tuc/", {"q": "dang ky"}).content.decode()
    assert 'data-focus-after-swap="#results-heading"' in body
    assert 'hx-target="#results" hx-swap="outerHTML"' in body
    assert "js/live-results.js" in body


# --- time limits without a unit (issue 9, item 1.5) ------------------------------------------------------------------


def _unitless() -> Procedure:
    """A procedure whose first channel gives a number without a unit ("1")."""
    for procedure in Procedure.objects.prefetch_related("channels").order_by("code"):
        channels = list(procedure.channels.all())
        if channels and channels[0].duration and not channels[0].duration_unit:
            return procedure
    raise AssertionError("no procedure with a unit-less time limit")


def test_a_time_limit_is_known_only_with_a_number_and_a_unit():
    assert Channel(duration=7, duration_unit="working_day").time_limit_known()
    assert Channel(duration=1, duration_unit="month").time_limit_known()
    assert not Channel(duration=1, duration_unit="", duration_text="1").time_limit_known()
    assert not Channel(duration=None, duration_unit="", duration_text="Không quy định").time_limit_known()
    assert Channel.objects.filter(duration__isnull=False, duration_unit="").count() > 200


def test_a_time_limit_without_a_unit_shows_the_source_text_and_says_so(client):
    procedure = _unitless()
    channel = procedure.channels.all()[0]
    assert not channel.time_limit_known()
    body = client.get(procedure.get_absolute_url()).content.decode()
    assert f"<td><span>{channel.duration_text}</span> (không ghi đơn vị)</td>" in body
    assert body.count("Văn bản công bố không ghi đơn vị của thời hạn giải quyết") == 1

    page = selectors.CatalogPage(selectors.procedure_rows([procedure.pk]), 1, 1, 20)
    form = type("Form", (), {"errors": {}})()
    html = " ".join(render_to_string("catalog/_results.html", {"page": page, "form": form}).split())
    assert f"Thời hạn: {channel.duration_text} (không ghi đơn vị)" in html


def test_a_time_limit_with_a_unit_shows_number_and_unit(client):
    html = client.get("/thu-tuc/1.014850/").content.decode()
    assert "<td>6 ngày làm việc</td>" in html and "không ghi đơn vị" not in html


def _commune_level_pair() -> tuple[str, str]:
    """Two commune-level procedures received in the same communes (there are hundreds in the catalogue)."""
    from portal.catalog.models import ProcedureAgency

    seen: dict[tuple, str] = {}
    procedures = (
        Procedure.objects.filter(is_active=True, is_commune_level=True, is_province_level=False)
        .annotate(links=Count("agency_links"))
        .filter(links__gt=100)
        .order_by("code")
    )
    for procedure in procedures:
        communes = tuple(
            ProcedureAgency.objects.filter(procedure=procedure, role="implementing")
            .order_by("agency_id")
            .values_list("agency_id", flat=True)
        )
        if communes in seen:
            return seen[communes], procedure.code
        seen[communes] = procedure.code
    raise AssertionError("no two commune-level procedures share their communes")


def test_a_list_of_102_communes_is_rendered_once_and_shows_a_renamed_commune_at_once(client):
    from portal.agencies.models import Agency

    first, second = _commune_level_pair()
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE, is_active=True).order_by("code").first()
    old_name = commune.name
    page = client.get(f"/thu-tuc/{first}/").content.decode()
    assert f">{old_name}</a></li>" in page and f">{old_name}</option>" in page
    # A change that tells no one (no save, no bump): the second procedure's lists are the first's, as kept. (The new
    # name sorts where the old one did: the lists are kept by their agencies in the order shown.)
    new_name = f"{old_name} (mới)"
    Agency.objects.filter(pk=commune.pk).update(name=new_name)
    page = client.get(f"/thu-tuc/{second}/").content.decode()
    assert f">{old_name}</a></li>" in page and f">{old_name}</option>" in page
    # A change made as the portal makes it (the agencies app bumps its namespace): the new name, at once.
    commune.refresh_from_db()
    commune.save()
    page = client.get(f"/thu-tuc/{second}/").content.decode()
    assert f">{new_name}</a></li>" in page and f">{new_name}</option>" in page
    assert f">{old_name}<" not in page


def test_the_english_page_keeps_its_own_list_of_communes(client):
    first, _second = _commune_level_pair()
    vietnamese = client.get(f"/thu-tuc/{first}/").content.decode()
    english = client.get(f"/en/thu-tuc/{first}/").content.decode()
    assert re.search(r'<li><a href="/co-quan/[^"]+/">', vietnamese)
    assert re.search(r'<li><a href="/en/co-quan/[^"]+/" lang="vi">', english)
    assert not re.search(r'<li><a href="/co-quan/', english)
