"""The checks other browser tests rely on must be able to fail."""

import pytest

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><title>Broken</title></head>
<body><main><h1>Broken</h1>
<form><input type="text" name="unlabelled"></form>
<script>document.title = "inline ran";</script>
</main></body></html>"""


def serve_broken_page(page, live_server):
    # Served at the live server's origin with the app's own CSP header.
    url = f"{live_server.url}/broken-for-axe/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'"},
            body=BROKEN_PAGE,
        ),
    )
    page.goto(url)


def test_axe_reports_an_unlabelled_field(page, live_server):
    serve_broken_page(page, live_server)

    with pytest.raises(AssertionError, match=r"label \(critical\)") as failure:
        assert_accessible(page)

    assert "input" in str(failure.value)


def test_inline_script_is_refused_and_reported(page, live_server):
    serve_broken_page(page, live_server)

    assert page.title() == "Broken"
    with pytest.raises(AssertionError, match="Content Security Policy"):
        assert_accessible(page, disable_rules=["label"])


def test_a_stylesheet_that_fails_to_load_is_reported(page, live_server):
    url = f"{live_server.url}/missing-stylesheet/"
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            body=(
                '<!DOCTYPE html><html lang="en-GB"><head><title>Missing</title>'
                '<link rel="stylesheet" href="/static/css/not-there.css"></head>'
                "<body><main><h1>Missing</h1></main></body></html>"
            ),
        ),
    )
    page.goto(url)

    with pytest.raises(AssertionError, match=r"[45]\d\d for .*/static/css/not-there.css"):
        assert_accessible(page)
