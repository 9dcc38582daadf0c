"""Browser tests: the portal served over HTTP, driven by a real headless Chromium through Playwright, with
axe-core run inside the pages.

Chromium and axe-core
    Chromium is Debian's (``CHROMIUM_PATH``, else ``/usr/bin/chromium``, else ``chromium`` on PATH); Playwright's
    own browser download is not used. axe-core comes from ``node_modules`` (``npm ci``, done by ``make test``).
    When either is missing the browser tests are skipped, unless ``PORTAL_REQUIRE_BROWSER=1`` (CI), where a
    missing browser is a failure.

How the pages are served, and why not ``live_server``
    pytest-django's ``live_server`` fixture pulls in ``transactional_db`` for every test that uses it, and a
    transactional test ends with ``flush``: it would empty the tables that ``tests/conftest.py`` filled once
    per session with the real catalogue (units, agencies, 1,601 procedures), for the browser tests and for every
    test that runs after them. ``serialized_rollback=True`` does not help: the snapshot it restores is taken when
    the test database is created, before the catalogue is loaded, so it would restore empty tables; and
    re-serialising the catalogue to restore it after each test would cost about 20 s per test (some 84,000
    rows: serialising takes 2 s, deserialising 18 s on SQLite). Reloading with the import commands after
    each flush would cost the 6-12 s that loading takes at the start of the session.

    So the server is pytest-django's ``LiveServer`` (the object behind ``live_server``: Django's
    ``LiveServerThread`` with static files, sharing the in-memory SQLite connection with the server thread),
    started once for this package by the ``portal_server`` fixture, and every browser test is an ordinary
    ``django_db`` test (non-transactional). Nothing is flushed. On every database the server's threads share
    the test's connection and so work inside the test's transaction: they see what the test wrote (the demo
    accounts a test signs in with, say), and whatever the browser writes (sessions, dossiers, their history)
    is rolled back with the test, on PostgreSQL as on SQLite. Pytest-django's ``LiveServer`` shares only an
    in-memory SQLite connection, whose ``close()`` does nothing; a PostgreSQL connection is closed by the
    server after every request (``close_old_connections``, ``close_request``), which inside the test's
    transaction would break it, so ``portal_server`` makes ``close()`` a no-op on it while it is shared, and its
    server closes no connection after a request at all (a thread still finishing a kept-alive socket after the
    package would otherwise close the restored connection from the wrong thread).
    ``transaction.on_commit`` callbacks (forms to render, notifications to deliver) therefore never run on
    their own here; a test that wants them runs them with ``django_capture_on_commit_callbacks``. Being
    non-transactional also makes pytest-django run these tests before any transactional test, so a flush
    elsewhere cannot empty the catalogue under them; ``portal_server`` still checks and reloads it if it finds
    it empty.

Async safety
    Playwright's sync API keeps an asyncio event loop running in the main thread (in a greenlet) from start
    to stop. Django then takes every ORM call from the main thread (the ``django_db`` rollback after each
    test, for one) for a call from async code and raises ``SynchronousOnlyOperation``. Nothing here runs
    concurrently with that loop, so ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, but only while Playwright runs: the
    ``playwright_runtime`` fixture is package-scoped, sets it on start and removes it (and stops Playwright,
    which ends the loop) when the last browser test is done, so the rest of the suite keeps Django's check.

    The visible loop has a second effect: Django keeps database connections in an asgiref ``Local`` that
    switches to per-context storage while a loop runs, so the main thread gets a second set of connections
    for as long as Playwright runs. ``portal_server`` therefore starts after Playwright (the server shares
    the same connections as the tests), and ``playwright_runtime`` closes those connections before stopping;
    left open, one of them made PostgreSQL refuse to drop the test database at the end of the run.

One Chromium serves the whole package (the browser tests all live here); each test gets a fresh context.
"""

import io
import json
import os
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL_PATH = "/__test-only__/axe.min.js"  # answered by the browser test itself, never by the portal
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium waits on network services that a closed network never answers.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_BLOCKING_IMPACTS = {"serious", "critical"}
DEFAULT_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class BrowserTools:
    chromium: Path
    axe: Path


def _find_chromium() -> tuple[Path | None, str]:
    """The Chromium to drive and, for the skip message, where it was looked for."""
    if configured := os.environ.get("CHROMIUM_PATH"):
        candidates, where = [configured], f"CHROMIUM_PATH={configured}"
    else:
        candidates, where = ["/usr/bin/chromium", shutil.which("chromium")], "/usr/bin/chromium and PATH"
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate), where
    return None, where


def _unavailable(reason: str):
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (PORTAL_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_tools() -> BrowserTools:
    """Chromium and axe-core, or a skip (a failure when PORTAL_REQUIRE_BROWSER=1) naming what is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the playwright package is not installed")
    chromium, where = _find_chromium()
    if chromium is None:
        _unavailable(
            f"Chromium not found (looked at {where}); install Debian's chromium or set CHROMIUM_PATH"
        )
    if not AXE_PATH.is_file():
        _unavailable(f"axe-core not found at {AXE_PATH.relative_to(REPO_ROOT)}; run `npm ci`")
    return BrowserTools(chromium=chromium, axe=AXE_PATH)


@pytest.fixture(scope="package")
def playwright_runtime(browser_tools, django_db_blocker):
    """Playwright's sync API, running for the browser tests only (see "Async safety" in the module docstring)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # Playwright's sync API leaves an asyncio event loop running in this thread, and Django refuses ORM calls
    # while it sees one; nothing async touches the database here, so allow them while Playwright runs.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    yield playwright
    # Close the database connections opened while the loop was visible before it goes: afterwards this thread
    # no longer sees them (they live in the loop-era storage) and one left open blocks DROP DATABASE.
    with django_db_blocker.unblock():
        connections.close_all()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_runtime, browser_tools):
    """One headless Chromium for all browser tests."""
    try:
        chromium = playwright_runtime.chromium.launch(
            executable_path=str(browser_tools.chromium), args=CHROMIUM_ARGS
        )
    except Exception as exc:
        _unavailable(f"Chromium at {browser_tools.chromium} did not start: {exc}")
    yield chromium
    chromium.close()


@pytest.fixture(scope="package")
def portal_server(request, playwright_runtime, django_db_setup, django_db_blocker):
    """The portal over HTTP on 127.0.0.1: one server for the package, over the session's test database.

    It starts after Playwright so that it, the ``django_db`` tests and the shared in-memory SQLite connection
    all use the same (loop-era) database connections; see "Async safety" in the module docstring.
    """
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        _ensure_catalogue()
    addr = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "127.0.0.1"
    )
    server = LiveServer(addr, start=False)
    server.thread.server_class = _shared_connection_server()
    kept_open = _share_connections(server)
    server.gate = _RequestGate()
    wrapped_handler = server.thread.static_handler
    server.thread.static_handler = lambda app: server.gate.wrap(wrapped_handler(app))
    server.start()
    server._live_server_modified_settings.enable()  # adds the host to ALLOWED_HOSTS
    yield server
    server._live_server_modified_settings.disable()
    server.stop()
    for connection in kept_open:
        del connection.close  # the class's close() again, so the connections can be closed at the end


def _share_connections(server) -> list:
    """Give the server thread the test's connections (not only an in-memory SQLite one), kept open while shared.

    Returns the connections whose ``close()`` was replaced by a no-op; see "How the pages are served" above.
    """
    from django.db import connections

    kept_open = []
    for connection in connections.all():
        if connection.alias in server.thread.connections_override:
            continue  # in-memory SQLite: shared by LiveServer already, and its close() is a no-op
        server.thread.connections_override[connection.alias] = connection
        connection.close = _keep_open
        kept_open.append(connection)
    return kept_open


def _keep_open() -> None:
    """``close()`` of a shared connection: it stays open inside the test's transaction."""


def _shared_connection_server():
    from django.core.servers.basehttp import ThreadedWSGIServer

    class SharedConnectionServer(ThreadedWSGIServer):
        """Closes no database connection after a request: the one it shares stays open for the test (and after
        the package, a thread still finishing a browser's kept-alive socket must not close what the tests own)."""

        def _close_connections(self) -> None:
            pass

    return SharedConnectionServer


class _RequestGate:
    """The server's requests take turns on the shared connection, and none runs while a test rolls back.

    The server is threaded (Chromium loads a page's styles, scripts and images at once) but its threads share the
    test's one connection, so each request, body included (a streamed CSV reads as it goes), is served whole under
    one lock. When a test ends, ``close()`` waits for the request in hand and turns away any that arrive later (a
    request the closed browser had already sent): one of those running while the test's transaction rolled back
    left the connection inside a transaction and the rollback failed ("can't change 'autocommit' now").
    """

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._open = False

    def open(self) -> None:
        with self._lock:
            self._open = True

    def close(self) -> None:
        with self._lock:
            self._open = False

    def wrap(self, app):
        def serve(environ, start_response):
            with self._lock:
                if not self._open:
                    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
                    return [b"the test is over"]
                response = app(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return serve


def _ensure_catalogue() -> None:
    """Reload the session's data if a transactional test flushed it before we got here (normally a no-op)."""
    from portal.catalog.models import Procedure

    if Procedure.objects.exists():
        return
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_units", stdout=out)
    call_command("load_agencies", stdout=out)
    call_command("import_procedures", quiet_incomplete=True, stdout=out, stderr=out)


@pytest.fixture
def new_context(request, browser, portal_server):
    """Make a browser context on the live portal (Vietnamese locale, base URL set); all are closed after the test.

    Every page opened in it records uncaught JavaScript errors, 5xx responses and Content-Security-Policy
    violations (whatever the policy blocked: an inline script or style, a script from elsewhere); the test fails if
    any occurred.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction"):
        pytest.fail(
            "browser tests must be marked @pytest.mark.django_db (not transactional): the server needs database "
            "access, and a transactional test would flush the session's catalogue (see tests/browser/conftest.py)",
            pytrace=False,
        )
    contexts = []
    problems: list[str] = []
    portal_server.gate.open()

    def make(**options):
        options = {"base_url": portal_server.url, "locale": "vi-VN", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(CSP_VIOLATION_REPORTER)
        context.on("page", lambda page: _watch(page, problems))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    portal_server.gate.close()  # before the test's transaction rolls back
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


# Run in every document before its own scripts (as the browser's tooling, which the page's policy does not bind):
# each violation of the page's Content-Security-Policy becomes a console error that _watch records.
CSP_VIOLATION_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.URL}:${event.lineNumber}`);
});
"""


def _csp_violation(message) -> bool:
    """A console message about a Content-Security-Policy violation: ours, or Chromium's own "Refused to …"."""
    text = message.text
    return message.type == "error" and (
        text.startswith("CSP violation:") or "Content Security Policy" in text
    )


def _watch(page, problems: list[str]) -> None:
    page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.text} (on {page.url})") if _csp_violation(message) else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")
            if response.status >= 500
            else None
        ),
    )


@pytest.fixture
def page(new_context):
    """A fresh page in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def server_url(portal_server) -> str:
    return portal_server.url


@pytest.fixture
def axe_check(browser_tools):
    """``axe_check(page)``: run axe-core (WCAG 2.0/2.1 A and AA) on the page; fail on serious or critical issues."""
    axe_routed = weakref.WeakSet()

    def check(page) -> list[dict]:
        if not page.url.startswith(
            "http"
        ):  # a page made with set_content: no policy, no address to load from
            page.add_script_tag(path=str(browser_tools.axe))
        else:
            # axe-core is served as if from the portal itself: the pages' policy runs scripts from 'self' only, and
            # an inline copy (add_script_tag(path=…)) would be refused like any other inline script.
            if page not in axe_routed:
                page.route(
                    f"**{AXE_URL_PATH}",
                    lambda route: route.fulfill(path=str(browser_tools.axe), content_type="text/javascript"),
                )
                axe_routed.add(page)
            page.add_script_tag(url=AXE_URL_PATH)
        violations = page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: {type: 'tag', values: tags},
                    resultTypes: ['violations'],
                });
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
                }));
            }""",
            AXE_TAGS,
        )
        blocking = [v for v in violations if v["impact"] in AXE_BLOCKING_IMPACTS]
        assert not blocking, f"axe found serious/critical WCAG violations on {page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>\n"
            + "\n".join(
                f"    {json.dumps(n['target'], ensure_ascii=False)}: {n['summary']}" for n in v["nodes"]
            )
            for v in blocking
        )
        return violations

    return check


# --- dossiers: accounts, files, a procedure to file -------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated_storage_and_counters(settings, tmp_path):
    """Stored files under this test's directory (tracking counters are the test's own: tests/conftest.py)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "uploads"},
        },
    }


@pytest.fixture
def eager_tasks():
    """Celery tasks run in this process when called, also when a broker is configured (the PostgreSQL run)."""
    from portal.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def demo_accounts():
    """The demo accounts; the staff among them with their authenticator app set up (their second factor)."""
    from portal.accounts.demo import demo_accounts_create
    from portal.accounts.mfa import second_factor_required
    from tests.accounts.mfa import totp_enrol
    from tests.browser.flows import PASSWORD

    users = {user.username: user for user in demo_accounts_create(password=PASSWORD)}
    for user in users.values():
        if second_factor_required(user):
            totp_enrol(user)
    return users


@pytest.fixture
def procedure():
    """A province-level procedure of Sở Tư pháp filed online, with required documents and a processing time."""
    from portal.catalog.models import Procedure
    from tests.browser.flows import JUSTICE

    candidates = (
        Procedure.objects.filter(
            is_active=True,
            is_province_level=True,
            is_commune_level=False,
            online_level__gte=3,
            agency_links__agency__code=JUSTICE,
            documents__isnull=False,
            channels__duration__isnull=False,
        )
        .distinct()
        .order_by("code")
    )
    found = candidates.first()
    assert found is not None, "no province-level procedure of Sở Tư pháp with online filing in the catalogue"
    return found


@pytest.fixture
def files(tmp_path):
    """Small real files to upload: a PDF and a PNG made with Pillow."""
    from PIL import Image

    from tests.browser.flows import PDF

    pdf = tmp_path / "don-de-nghi.pdf"
    pdf.write_bytes(PDF)
    png = tmp_path / "anh-chan-dung.png"
    buffer = io.BytesIO()
    Image.new("RGB", (24, 32), (200, 30, 30)).save(buffer, format="PNG")
    png.write_bytes(buffer.getvalue())
    result = tmp_path / "ket-qua-giai-quyet.pdf"
    result.write_bytes(PDF.replace(b"%%EOF", b"% ket qua\n%%EOF"))
    return {"pdf": pdf, "png": png, "result": result}
