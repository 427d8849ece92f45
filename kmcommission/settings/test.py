"""Test settings: fast hashing, in-memory static storage, the same database choice."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The manifest storage needs collectstatic; tests render templates without it.
# A copy, so that base.STORAGES stays the site's own (a test collects with it).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
# Tests never run collectstatic: let WhiteNoise find files through the finders.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not in memory, so that each thread (the live server,
    # the race tests' racing requests) opens its own connection, as on PostgreSQL.
    # One file per process: pytest-xdist workers and concurrent runs never share one.
    # The file is deleted when the run ends; losing it in a crash costs nothing.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"kmcommission-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous = OFF;"  # noqa: F405
# Tests sign in with force_login; the two-factor tests switch it on for themselves.
TWO_FACTOR_REQUIRED = False
