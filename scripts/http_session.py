"""A signed-in user over plain HTTP, for the scripts that drive a running server
(`make soak`, `make benchmark`): the session and CSRF cookies, and the sign-in form."""

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    location: str
    text: str  # the first 4 MB at most: enough to find a form or a message
    size: int  # bytes in the whole body
    elapsed: float  # seconds to the whole body
    first_byte: float  # seconds to its first byte


class Session:
    """One user's cookies against 127.0.0.1:``port``; ``sign_in`` uses the sign-in form."""

    def __init__(self, port, timeout=120):
        self.port = port
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, *, signed_in=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {}
        if signed_in:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.monotonic() - started
        size, chunks = len(first), [first]
        while chunk := response.read(65536):
            size += len(chunk)
            if size <= 4_000_000:
                chunks.append(chunk)
        elapsed = time.monotonic() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";")[0]
        connection.close()
        text = b"".join(chunks).decode(errors="replace")
        location = response.getheader("Location") or ""
        return Answer(response.status, location, text, size, elapsed, first_byte)

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def sign_in(self, username, password, attempts=50):
        """Sign in through the form, waiting for a server that is still starting."""
        for attempt in range(attempts):
            try:
                page = self.get("/accounts/login/")
                break
            except OSError:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2)
        form = {"username": username, "password": password, "csrfmiddlewaretoken": csrf(page.text)}
        answer = self.request("POST", "/accounts/login/", form)
        if answer.status != 302:
            raise SystemExit(
                f"could not sign in as {username} on port {self.port}: {answer.status}"
            )
        return self


def csrf(text):
    """The CSRF token of the form in ``text`` ("" if none)."""
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    return match[1] if match else ""
