"""Subscription keys never reach a log whole: the access log and Django's logs keep a prefix."""

import datetime
import io
import logging

import pytest
from gunicorn.config import Config

from kmcommission.log_redaction import RedactingAccessLogger
from scrutiny.subscriptions import subscription_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(scrutineer):
    return subscription_key(scrutineer)


def test_the_gunicorn_access_log_keeps_only_the_start_of_a_key(key, caplog):
    config = Config()
    config.set("accesslog", "-")
    logger = RedactingAccessLogger(config)
    logger.access_log = logging.getLogger("test.access")
    path = f"/subscribe/{key}/calendar.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }

    class Response:
        status = "200 OK"
        status_code = 200
        sent = 10
        headers = []

    class Request:
        headers = []

    with caplog.at_level(logging.INFO, logger="test.access"):
        logger.access(Response(), Request(), environ, datetime.timedelta(seconds=0.01))

    (line,) = caplog.messages
    assert key not in line
    assert f"/subscribe/{key[:6]}…/calendar.ics" in line


def test_a_wrong_key_is_logged_by_django_only_as_a_prefix(client, key):
    handler = logging.getLogger("django.request").handlers[0]
    written = io.StringIO()
    old_stream = handler.setStream(written)
    try:
        wrong = key[:-4] + "XXXX"
        response = client.get(f"/subscribe/{wrong}/feed/")
    finally:
        handler.setStream(old_stream)

    assert response.status_code == 404
    assert "Not Found: /subscribe/" in written.getvalue()
    assert wrong not in written.getvalue()
