"""Subscription keys are secrets in a URL: logs keep only their first characters.

A key in the access log would let anyone who reads the logs (a hosting provider, a
log pipeline) follow a user's calendar and feed. Both the access log (gunicorn) and
Django's own request and server logs pass through ``redact``.
"""

import logging
import re

from gunicorn.glogging import Logger

KEPT = 6
_KEY_IN_PATH = re.compile(r"(/subscribe/)([^/?#\s]+)")


def redact(text):
    """``text`` with each subscription key cut to its first characters and an ellipsis."""
    return _KEY_IN_PATH.sub(lambda m: f"{m.group(1)}{m.group(2)[:KEPT]}…", str(text))


class RedactingAccessLogger(Logger):
    """gunicorn's logger, with keys redacted from the request line and the path."""

    def access(self, resp, req, environ, request_time):
        environ = dict(environ)
        for name in ("RAW_URI", "PATH_INFO", "HTTP_REFERER"):
            if name in environ:
                environ[name] = redact(environ[name])
        super().access(resp, req, environ, request_time)


class RedactSubscriptionKeys(logging.Filter):
    """For Django's loggers ("Not Found: /subscribe/<key>/feed/", the runserver log)."""

    def filter(self, record):
        record.msg = redact(record.getMessage())
        record.args = ()
        return True
