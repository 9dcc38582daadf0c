"""A citizen's first visit in a real browser: the home page, searching, the catalogue with and without
JavaScript, a procedure, the English switch and an agency's page, the pages checked with axe-core.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BIRTH = "Thủ tục đăng ký khai sinh"
BIRTH_CODE = "1.001193"
JUSTICE = "000.00.05.H01"  # Sở Tư pháp
FIRST_RESULT = "#results .results li h3 a"
# Everything a screen reader treats as a live region (the roles whose default is aria-live polite or assertive).
LIVE_REGIONS = "[aria-live]:not([aria-live='off']), [role=status], [role=alert], [role=log], [role=marquee], [role=timer], output"


def _total(page) -> int:
    """The number of procedures in the results summary ("Hiển thị 1–20 trong 1.601 thủ tục")."""
    text = page.locator(".result-summary").inner_text()
    match = re.search(r"trong ([\d.,\s]+) thủ tục", text)
    assert match, f"no total in the results summary: {text!r}"
    return int(re.sub(r"\D", "", match.group(1)))


def _query(page) -> dict[str, str]:
    """The page's query string, without empty parameters (htmx pushes every field of the form)."""
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query).items()}


def _is_htmx(response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def _single_copies(page) -> dict[str, list[str]]:
    """The address's parameters; fails if one is there twice or empty (the form's request has them all)."""
    params = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert all(len(values) == 1 and values[0] for values in params.values()), page.url
    return params


def test_home_page_is_vietnamese_with_a_working_skip_link(page, axe_check):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Dịch vụ công trực tuyến tỉnh An Giang")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden off-screen until focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))
    expect(page.locator("#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next Tab continues inside the main content, not back in the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")

    axe_check(page)


def test_search_from_the_home_page(page, axe_check):
    page.goto("/")
    page.get_by_role("searchbox", name="Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh$"))
    expect(page.locator(FIRST_RESULT).first).to_have_text(BIRTH)
    expect(page.get_by_label("Từ khóa")).to_have_value("dang ky khai sinh")
    axe_check(page)


def test_live_search_updates_results_without_reloading(page, axe_check):
    page.goto("/thu-tuc/")
    expect(page.locator(FIRST_RESULT)).to_have_count(20)
    page.evaluate("window.__sameDocument = true")  # lost if the browser loads a new document

    with page.expect_response(lambda r: _is_htmx(r) and "sihn" in r.url) as response_info:
        page.get_by_label("Từ khóa").press_sequentially("khai sihn", delay=20)
    assert response_info.value.status == 200

    expect(page).to_have_url(
        re.compile(r"/thu-tuc/\?q=khai(\+|%20)sihn$")
    )  # pushed into history, empty fields left out
    assert urlsplit(page.url).path == "/thu-tuc/" and _query(page) == {"q": "khai sihn"}
    expect(page.locator(FIRST_RESULT).first).to_contain_text("khai sinh")
    expect(page.locator(".result-summary")).to_contain_text("khai sihn")
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator("h1")).to_have_count(1)  # only the results were swapped, not a whole page nested in
    axe_check(page)  # the swapped-in results too

    page.go_back()  # history holds the unfiltered catalogue
    expect(page).to_have_url(re.compile(r"/thu-tuc/$"))


def test_live_search_announces_a_short_status_pages_to_the_heading_and_back_restores_the_form(
    page, axe_check
):
    page.goto("/thu-tuc/")
    status = page.locator("#results-status")
    expect(page.locator(LIVE_REGIONS)).to_have_count(1)  # the status, before anything happens

    with page.expect_response(lambda r: _is_htmx(r) and "dang" in r.url) as response_info:
        page.get_by_label("Từ khóa").fill("dang ky")
    assert response_info.value.status == 200
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang(\+|%20)ky$"))
    expect(status).to_contain_text("“dang ky”")
    regions = page.locator(LIVE_REGIONS)
    expect(regions).to_have_count(1)  # one live region: the status, not the list
    expect(regions).to_have_attribute("id", "results-status")
    assert len(regions.inner_text()) < 200, regions.inner_text()
    assert re.fullmatch(r"Hiển thị 1–20 trong [\d.]+ thủ tục cho “dang ky”", status.inner_text().strip())
    expect(page.locator("#results")).to_have_count(1)  # swapped whole, not nested inside itself
    expect(page.locator(FIRST_RESULT)).to_have_count(20)
    assert page.evaluate(f"!document.querySelector('#results').closest({LIVE_REGIONS!r})")

    level = page.get_by_label("Cấp thực hiện")
    with page.expect_response(lambda r: _is_htmx(r) and "level=xa" in r.url):
        level.select_option("xa")
    expect(page).to_have_url(re.compile(r"level=xa"))
    assert _single_copies(page) == {"q": ["dang ky"], "level": ["xa"]}

    # htmx pagination: the new page is announced by the status and the focus goes to the results heading.
    with page.expect_response(lambda r: _is_htmx(r) and "page=2" in r.url):
        page.get_by_role("link", name="Trang sau").click()
    expect(page.get_by_role("heading", name="Kết quả", exact=True)).to_be_focused()
    expect(status).to_contain_text("Hiển thị 21–")
    expect(page.locator(LIVE_REGIONS)).to_have_count(1)
    assert _single_copies(page) == {"q": ["dang ky"], "level": ["xa"], "page": ["2"]}
    axe_check(page)

    # Back: each step shows the form as the address says, not as the page was first served (an empty box).
    page.go_back()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang(\+|%20)ky&level=xa$"))
    expect(page.get_by_label("Từ khóa")).to_have_value("dang ky")
    expect(level).to_have_value("xa")
    expect(status).to_contain_text("Hiển thị 1–20")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang(\+|%20)ky$"))
    expect(page.get_by_label("Từ khóa")).to_have_value("dang ky")
    expect(level).to_have_value("")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/thu-tuc/$"))
    expect(page.get_by_label("Từ khóa")).to_have_value("")
    page.go_forward()
    expect(page.get_by_label("Từ khóa")).to_have_value("dang ky")


def test_back_to_a_search_htmx_kept_no_copy_of_gets_the_whole_page(page):
    page.goto("/thu-tuc/")
    with page.expect_response(lambda r: _is_htmx(r) and "giay" in r.url):
        page.get_by_label("Từ khóa").fill("giay phep")
    with page.expect_response(lambda r: _is_htmx(r) and "page=2" in r.url):
        page.get_by_role("link", name="Trang sau").click()
    # htmx keeps its copies of the pages it left in the session storage; without one it asks the server.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    with page.expect_response(lambda r: "giay+phep" in r.url) as response_info:
        page.go_back()
    assert "hx-request" not in response_info.value.request.headers  # the page, not the results fragment
    expect(page.locator("#results-status")).to_contain_text("Hiển thị 1–20")
    expect(page.locator("h1")).to_have_text("Thủ tục hành chính")  # one page, not a page inside the body
    expect(page.locator("#results")).to_have_count(1)
    expect(page.get_by_label("Từ khóa")).to_have_value("giay phep")
    expect(page.locator(LIVE_REGIONS)).to_have_count(1)


def test_filter_lists_are_in_vietnamese_alphabetical_order(page):
    from portal.catalog.collation import sort_key

    page.goto("/thu-tuc/")
    fields = page.locator("#f-field option").all_inner_texts()[1:]
    assert fields == sorted(fields, key=sort_key)
    assert fields.index("Bảo hiểm") < fields.index("Biển và hải đảo") < fields.index("Đất đai")
    communes = page.locator("#f-agency optgroup[label='UBND xã, phường, đặc khu'] option").all_inner_texts()
    assert len(communes) > 50 and communes == sorted(communes, key=sort_key)


def test_procedure_page_from_the_results(page, axe_check):
    page.goto("/thu-tuc/?q=dang+ky+khai+sinh")
    page.locator(FIRST_RESULT).first.click()
    expect(page).to_have_url(re.compile(rf"/thu-tuc/{re.escape(BIRTH_CODE)}/$"))
    expect(page.locator("h1")).to_have_text(BIRTH)

    headings = page.locator("h2").all_inner_texts()
    for section in ["Trình tự thực hiện", "Thành phần hồ sơ", "Căn cứ pháp lý"]:
        assert section in headings, f"{section!r} missing from the sections {headings}"

    channels = page.get_by_role("table", name="Hình thức nộp, thời hạn giải quyết, phí và lệ phí")
    expect(channels).to_be_visible()
    expect(channels.get_by_role("columnheader")).to_have_text(
        ["Hình thức nộp", "Thời hạn giải quyết", "Phí, lệ phí", "Mô tả"]
    )
    expect(channels.locator("tbody tr")).not_to_have_count(0)
    expect(channels.get_by_role("rowheader").first).to_have_text(re.compile(r"\S"))

    axe_check(page)


def test_switch_to_english(page, axe_check):
    page.goto("/thu-tuc/?q=khai+sinh")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/thu-tuc/\?q=khai(\+|%20)sinh$"))
    expect(page.locator(FIRST_RESULT).first).to_contain_text("khai sinh")
    expect(page.get_by_role("link", name="Tiếng Việt")).to_be_visible()
    axe_check(page)


def test_switch_back_to_vietnamese(page):
    page.goto("/en/thu-tuc/?q=khai+sinh")
    with page.expect_navigation():
        page.get_by_role("link", name="Tiếng Việt").click()
    assert urlsplit(page.url).path == "/thu-tuc/", page.url
    assert page.locator("html").get_attribute("lang") == "vi"
    assert _query(page) == {"q": "khai sinh"}


def test_catalogue_filters_work_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/thu-tuc/")
    everything = _total(page)

    page.get_by_label("Cấp thực hiện").select_option(label="Cấp xã")
    with page.expect_navigation():
        page.get_by_role("button", name="Lọc", exact=True).click()

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?.*level=xa"))
    expect(page.get_by_label("Cấp thực hiện")).to_have_value("xa")
    commune = _total(page)
    assert 0 < commune < everything
    metas = page.locator("#results .results li .meta").all_inner_texts()
    assert metas and all("Cấp xã" in meta for meta in metas), metas


def test_agency_page_offers_an_embed_snippet_and_a_keyboard_operable_filter(page, server_url, axe_check):
    page.goto(f"/co-quan/{JUSTICE}/")
    expect(page.locator("h1")).to_have_text("Sở Tư pháp")
    embed_url = f"{server_url}/co-quan/{JUSTICE}/nhung/"
    expect(page.locator("pre.snippet code")).to_contain_text(f'<iframe src="{embed_url}"')
    axe_check(page)

    # Tab walks the filter form in reading order (no agency choice: the agency is fixed on its own page).
    page.get_by_label("Từ khóa").focus()
    order = []
    for _ in range(6):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
    assert order == ["f-field", "f-level", "f-online", "f-applicant", "Lọc", "Bỏ lọc"]

    # Choose a level with the keyboard alone, then submit with the "Lọc" button.
    before = _total(page)
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
    expect(page.get_by_label("Cấp thực hiện")).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Tất cả các cấp" -> "Cấp tỉnh"
    expect(page.get_by_label("Cấp thực hiện")).to_have_value("tinh")
    expect(page).to_have_url(re.compile(r"level=tinh"))  # the change alone already refreshed the results
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lọc", exact=True)).to_be_focused()
    with page.expect_response(lambda r: _is_htmx(r) and "level=tinh" in r.url) as response_info:
        page.keyboard.press("Enter")
    assert response_info.value.status == 200
    expect(page.get_by_role("button", name="Lọc", exact=True)).to_be_focused()  # focus survives the swap
    assert 0 < _total(page) <= before

    # The page the snippet embeds is a page of its own and must pass axe too.
    page.goto(embed_url)
    expect(page.locator("h1")).to_contain_text("Sở Tư pháp")
    axe_check(page)


def test_axe_check_catches_violations(page, axe_check):
    """Guard against a silently empty check: a page with known violations must fail it, naming them."""
    page.set_content('<html><body><img src="data:,"><a href="/x"></a></body></html>')
    with pytest.raises(AssertionError) as failure:
        axe_check(page)
    for rule in ["html-has-lang", "image-alt", "link-name"]:
        assert rule in str(failure.value)
