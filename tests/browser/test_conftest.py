"""The browser fixtures skip without Chromium on a laptop, and fail in CI; the page one
test leaves is reset before the next test has it."""

from pathlib import Path

import pytest

from .conftest import DEFAULT_VIEWPORT, ReusedPage, _need

MISSING = Path("/nonexistent/chromium")


def test_missing_chromium_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI must never skip browser tests"):
        _need(MISSING, "Chromium", "install it with `sudo apt-get install chromium`")


def test_missing_chromium_skips_with_the_reason_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /nonexistent/chromium"):
        _need(MISSING, "Chromium", "install it with `sudo apt-get install chromium`")


@pytest.mark.browser
def test_a_reused_page_keeps_nothing_from_the_test_before(browser, live_server):
    reused = ReusedPage(browser)
    page = reused.take()
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.add_cookies([{"name": "sessionid", "value": "x", "url": live_server.url}])
    page.context.grant_permissions(["clipboard-read"])
    page.set_viewport_size({"width": 375, "height": 800})
    page.emulate_media(media="print")
    page.route("**/*", lambda route: route.abort())
    page.page_errors.append("JavaScript: left over")

    again = reused.take()

    assert again is page  # the same renderer: no new process to start
    assert again.url == "about:blank"
    assert again.context.cookies() == []
    assert again.viewport_size == DEFAULT_VIEWPORT
    assert again.page_errors == [] and again.csp_violations == []
    response = again.goto(f"{live_server.url}/accounts/login/")  # not aborted by the route
    assert response.status == 200
    assert again.evaluate("matchMedia('print').matches") is False
    assert (
        again.evaluate("navigator.permissions.query({name: 'clipboard-read'}).then(p => p.state)")
        == "prompt"
    )
    reused.discard()


@pytest.mark.browser
def test_a_closed_page_is_replaced(browser):
    reused = ReusedPage(browser)
    first = reused.take()
    first.context.close()

    second = reused.take()

    assert second is not first and not second.is_closed()
    reused.discard()
