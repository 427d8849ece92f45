"""The browser fixtures skip without Chromium on a laptop, and fail in CI."""

from pathlib import Path

import pytest

from .conftest import _need

MISSING = Path("/nonexistent/chromium")


def test_missing_chromium_fails_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI must never skip browser tests"):
        _need(MISSING, "Chromium", "install it with `sudo apt-get install chromium`")


def test_missing_chromium_skips_with_the_reason_elsewhere(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="Chromium not found at /nonexistent/chromium"):
        _need(MISSING, "Chromium", "install it with `sudo apt-get install chromium`")
