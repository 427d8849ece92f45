"""Browser tests: Playwright (sync API) drives Debian's Chromium against the live server.

Fixtures and helpers for every browser test:

- ``browser``: one Chromium for the whole session.
- ``page``: a page with no cookies and nothing left of the test before (the same
  Chromium page, reset: ``ReusedPage``); screenshot on failure.
- ``new_page()``: a factory for more pages, each in its own context (two users racing).
- ``login(page, live_server, user, password=..., next_path=None)``: signs in through
  the sign-in form (fixture users have the password "correct-horse-battery").
- ``signed_in(page, live_server, user, next_path="/")``: a signed-in session without
  the form, for tests about other pages.
- ``assert_accessible(page)``: axe-core, WCAG 2.2 AA; also fails on CSP violations,
  JavaScript errors, and stylesheets, scripts or images that failed to load.

Mark each test ``@pytest.mark.browser``; use the ``live_server`` fixture for URLs.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .axe import assert_accessible, assert_no_browser_errors  # noqa: F401 (re-exported

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures and assertions are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
NHSUK_CSS = Path(__file__).resolve().parents[2] / "static/vendor/nhsuk/nhsuk-frontend.min.css"
DEFAULT_TIMEOUT_MS = 10_000
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's default


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so the page fixture can see a failure.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _need(path, what, how):
    if path.exists():
        return
    message = f"{what} not found at {path}; {how}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must never skip browser tests)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    _need(Path(CHROMIUM), "Chromium", "install it with `sudo apt-get install chromium`")
    _need(AXE_JS, "axe-core", "run `bash scripts/build_frontend.sh` (or `make setup`)")
    _need(
        NHSUK_CSS, "The NHS.UK frontend", "run `bash scripts/build_frontend.sh` (or `make setup`)"
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


def open_page(browser, **options):
    """A page in a new browser context (``options``: Playwright's, e.g. ``viewport``),
    recording the browser errors ``assert_accessible`` fails on."""
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **options)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.csp_violations = []
    page.page_errors = []
    page.on("console", lambda msg: _record_csp_violation(page, msg))
    page.on("pageerror", lambda error: page.page_errors.append(f"JavaScript: {error}"))
    page.on("response", lambda response: _record_missing_file(page, response))
    return page


class ReusedPage:
    """The first page of every test, kept open from one test to the next and reset between.

    Chromium starts a renderer process for every new page: about 0.4 s of CPU, a sixth of
    the browser tests' time. Between tests the page goes to about:blank and loses what a
    test may have changed: cookies (so it is signed out), granted permissions, routes, the
    viewport, print emulation and the errors recorded. Its HTTP cache is kept (static files
    only). A test that closes the page or its context, or fails, gets a new one next time.
    """

    def __init__(self, browser):
        self.browser = browser
        self.page = None

    def take(self):
        if self.page is None or self.page.is_closed():
            self.page = open_page(self.browser)
            return self.page
        page = self.page
        page.goto("about:blank")
        page.context.clear_cookies()
        page.context.clear_permissions()
        page.unroute_all(behavior="ignoreErrors")
        page.set_viewport_size(DEFAULT_VIEWPORT)
        page.emulate_media(media="null")
        page.csp_violations.clear()
        page.page_errors.clear()
        return page

    def discard(self):
        if self.page is not None and not self.page.is_closed():
            self.page.context.close()
        self.page = None


@pytest.fixture(scope="session")
def reused_page(browser):
    reused = ReusedPage(browser)
    yield reused
    reused.discard()


@pytest.fixture
def new_page(browser, reused_page, request):
    """Factory: ``new_page()`` returns a page in a browser context of its own.

    Each context has its own cookies, so two pages can be two signed-in users. The first
    page of a test is the reused one (``ReusedPage``): not signed in, with nothing left of
    the test before.
    """
    pages = []

    def make():
        page = reused_page.take() if not pages else open_page(browser)
        pages.append(page)
        return page

    yield make

    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for number, page in enumerate(pages, start=1):
        if page.is_closed():
            continue
        if failed:
            _screenshot(page.context, request.node.nodeid, number)
        if failed or page is not reused_page.page:
            page.context.close()


def _record_csp_violation(page, message):
    if message.type == "error" and "Content Security Policy" in message.text:
        page.csp_violations.append(message.text)


def _record_missing_file(page, response):
    if response.status >= 400 and response.request.resource_type in (
        "stylesheet",
        "script",
        "image",
        "font",
    ):
        page.page_errors.append(f"{response.status} for {response.url}")


def _screenshot(context, nodeid, number):
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid)
    for index, page in enumerate(context.pages, start=1):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}-{number}-{index}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the failure
            print(f"Could not save a screenshot for {nodeid}: {error}")


@pytest.fixture
def page(new_page):
    """A page not signed in, with nothing left of the test before (``ReusedPage``)."""
    return new_page()


def login(page, live_server, user, password=PASSWORD, next_path=None):
    """Sign ``user`` in through the sign-in form; the page ends where sign-in leads.

    That is the dashboard, or ``next_path`` (e.g. "/ccgs/thanet/") when given.
    """
    url = f"{live_server.url}/accounts/login/"
    if next_path:
        url += f"?next={next_path}"
    page.goto(url)
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/accounts/login/" in page.url:
        problem = page.locator(".nhsuk-error-summary, h1").first.inner_text()
        raise AssertionError(f"Could not sign in as {user.get_username()}: {problem}")
    return page


def signed_in(page, live_server, user, next_path="/"):
    """Give ``page`` a signed-in session for ``user`` and open ``next_path``.

    For tests about something other than signing in (test_sign_in.py drives the form):
    the session is made on the server as the sign-in view makes it, and its cookie is
    handed to the browser, saving a form round trip in every test.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}{next_path}")
    return page


def follow(page, target):
    """Click ``target`` (a link or a submit button) and wait until the next page has loaded.

    A click waits only until the navigation commits, when the new document may still be
    empty; a test that then reads the page with ``all_inner_texts`` (which does not retry,
    unlike ``expect``) saw nothing, now and then.
    """
    with page.expect_navigation():
        target.click()
    return page


def save_screenshot(page, name):
    """Keep a full-page screenshot as ``test-artifacts/screens/<name>-<width>.png``: CI keeps
    the folder, so a reviewer sees each page at each width without running anything."""
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(name="login")
def login_fixture():
    """The ``login`` helper as a fixture, for tests that prefer not to import it."""
    return login


@pytest.fixture(name="assert_accessible")
def assert_accessible_fixture():
    """The ``assert_accessible`` helper as a fixture."""
    return assert_accessible
