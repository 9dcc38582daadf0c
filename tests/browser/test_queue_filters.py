"""The officer queue's filters in a real browser: htmx swaps the list whole, the page has one live region holding a
short status, a new page of the queue puts the focus on the list's heading, and Back shows the filters of the
address. The one-stop officer of a commune, with three dossiers waiting and two to a page.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dossiers import queues
from dossiers.models import Dossier
from tests.accounts.mfa import staff_login
from tests.people import make_staff, uploads_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
# Everything a screen reader treats as a live region (the roles whose default is aria-live polite or assertive).
LIVE_REGIONS = "[aria-live]:not([aria-live='off']), [role=status], [role=alert], [role=log], [role=marquee], [role=timer], output"


@pytest.fixture
def receiver_page(new_context, make_user, client, settings, tmp_path, monkeypatch, server_url):
    """The commune's one-stop officer, signed in (second factor passed) in a browser, three dossiers in their queue
    waiting for reception (two at the counter, one by post), two dossiers to a page."""
    uploads_in(settings, tmp_path)
    monkeypatch.setattr(queues, "QUEUE_PAGE_SIZE", 2)
    staff = make_staff(make_user)
    staff.register(name="Nguyễn Văn An")
    staff.register(name="Trần Thị Bình")
    staff.register(name="Lê Văn Cường", channel=Dossier.Channel.POSTAL)
    staff_login(client, staff.receiver)
    context = new_context()
    cookie = settings.SESSION_COOKIE_NAME
    context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": server_url}])
    return context.new_page()


def _is_htmx(response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def test_queue_filters_announce_a_short_status_and_pages_focus_the_list_heading(receiver_page, axe_check):
    page = receiver_page
    queue = reverse("dossiers:officer_queue", args=["cho-tiep-nhan"])
    page.goto(queue)
    status = page.locator("#results-status")
    expect(status).to_have_text("Hiển thị 1–2 trong 3 hồ sơ")
    expect(page.locator(LIVE_REGIONS)).to_have_count(1)

    channel = page.get_by_label("Kênh nộp")
    with page.expect_response(lambda r: _is_htmx(r) and "channel=" in r.url) as response_info:
        channel.select_option(label="Trực tiếp")
    assert response_info.value.status == 200
    expect(status).to_have_text("Hiển thị 1–2 trong 2 hồ sơ")
    regions = page.locator(LIVE_REGIONS)
    expect(regions).to_have_count(1)  # the status only, not the table
    expect(regions).to_have_attribute("id", "results-status")
    assert len(regions.inner_text()) < 200
    expect(page.locator("#results")).to_have_count(1)  # swapped whole, not nested inside itself
    expect(page.locator("h1")).to_have_count(1)
    direct = channel.input_value()
    # The address keeps one copy of each parameter in use (the form sends every field, empty or not; the order
    # always has a value).
    expect(page).to_have_url(re.compile(rf"{re.escape(queue)}\?channel={direct}&sort=han$"))

    # Clearing the filter again: the two pages of three dossiers, and htmx pagination.
    with page.expect_response(lambda r: _is_htmx(r)):
        channel.select_option(label="Tất cả")
    expect(status).to_have_text("Hiển thị 1–2 trong 3 hồ sơ")
    expect(page).to_have_url(re.compile(rf"{re.escape(queue)}\?sort=han$"))
    with page.expect_response(lambda r: _is_htmx(r) and "page=2" in r.url):
        page.get_by_role("link", name="Trang sau").click()
    expect(page.get_by_role("heading", name="Danh sách hồ sơ")).to_be_focused()
    expect(status).to_have_text("Hiển thị 3–3 trong 3 hồ sơ")
    expect(page.locator(LIVE_REGIONS)).to_have_count(1)
    params = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert params == {"sort": ["han"], "page": ["2"]}, page.url
    axe_check(page)

    # Back: the filters show what the address says, not what the page was first served with.
    page.go_back()
    expect(page).to_have_url(re.compile(rf"{re.escape(queue)}\?sort=han$"))
    expect(channel).to_have_value("")
    page.go_back()
    expect(page).to_have_url(re.compile(rf"\?channel={direct}&sort=han$"))
    expect(channel).to_have_value(direct)
    expect(status).to_have_text("Hiển thị 1–2 trong 2 hồ sơ")
