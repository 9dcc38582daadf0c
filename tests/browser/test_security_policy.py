"""The Content-Security-Policy in Chromium: the portal's pages run under it with nothing blocked (every browser test
fails on a violation, conftest.py's ``_watch``), what it forbids is blocked and reported, and of the agency pages only
the one made for other websites shows in their frames.

Every test here must stay ``django_db`` and non-transactional: see the docstring of ``conftest.py``."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import CSP_VIOLATION_REPORTER, _watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

JUSTICE = "000.00.05.H01"  # Sở Tư pháp


@pytest.fixture
def watched(browser, portal_server):
    """A page watched as every browser test's page is, whose problems the test reads instead of failing on them."""
    portal_server.gate.open()
    context = browser.new_context(base_url=portal_server.url, locale="vi-VN")
    context.add_init_script(CSP_VIOLATION_REPORTER)
    problems: list[str] = []
    context.on("page", lambda page: _watch(page, problems))
    yield context.new_page(), problems
    context.close()
    portal_server.gate.close()  # before the test's transaction rolls back (tests/browser/conftest.py)


def test_an_inline_script_or_style_is_blocked_and_fails_the_test(watched):
    page, problems = watched
    page.goto("/")
    page.evaluate(
        """() => {
            window.ran = false;
            const script = document.createElement("script");
            script.textContent = "window.ran = true";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "body { display: none }";
            document.head.append(style);
            document.querySelector("h1").setAttribute("style", "color: red");
        }"""
    )

    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("window.ran") is False
    for _ in range(50):  # violations are reported as events, after the blocked action
        if sum(p.startswith("CSP violation:") for p in problems) >= 3:
            break
        page.wait_for_timeout(100)
    reported = "\n".join(problems)
    for directive in ["script-src-elem", "style-src-elem", "style-src-attr"]:
        assert f"CSP violation: {directive} blocked inline" in reported, reported


@pytest.fixture
def other_site():
    """Another website on this machine (another port: another origin), serving ``other_site.page``."""

    class Site(BaseHTTPRequestHandler):
        page = b""

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(Site.page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Site.url = f"http://127.0.0.1:{server.server_port}/"
    yield Site
    server.shutdown()
    server.server_close()


def test_only_the_agency_page_made_for_other_websites_shows_in_their_frames(watched, server_url, other_site):
    page, problems = watched
    agency = f"{server_url}/co-quan/{JUSTICE}/"
    other_site.page = (
        f'<!doctype html><title>UBND</title><iframe id="embed" src="{agency}nhung/"></iframe>'
        f'<iframe id="whole" src="{agency}"></iframe>'
    ).encode()

    page.goto(other_site.url)

    embedded = page.frame_locator("#embed")
    expect(embedded.locator("h1")).to_contain_text("Thủ tục hành chính")
    embedded.locator("#embed-q").fill("khai sinh")
    expect(embedded.locator(".result-summary").last).to_contain_text("“khai sinh”")
    for _ in range(50):  # Chromium reports the refusal on its own time
        if problems:
            break
        page.wait_for_timeout(100)
    expect(page.frame_locator("#whole").locator("body")).not_to_contain_text("Sở Tư pháp")
    [refused] = problems  # only the page that is not for framing, in Chromium's own words
    assert "frame-ancestors 'none'" in refused and "nhung/" not in refused
