import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_ci_runs_against_postgresql():
    # CI must fail, not quietly fall back to SQLite, when PostgreSQL is not configured.
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql", "CI must set DATABASE_URL to PostgreSQL"
    else:
        assert connection.vendor in {"postgresql", "sqlite"}


@override_settings(MIGRATION_MODULES={})  # the SQLite test database is built without them
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_response_carries_a_content_security_policy(client, staff):
    client.force_login(staff)
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


def test_production_settings_pass_the_deployment_checks():
    import subprocess
    import sys

    from django.conf import settings

    production = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
        "ALLOWED_HOSTS": "tracker.example.nhs.uk",
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "DJANGO_SETTINGS_MODULE": "kmcommission.settings.base",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_there_is_no_password_reset_that_sends_nothing(client):
    assert client.get("/accounts/password_reset/").status_code in (302, 404)


def test_a_session_ends_after_eight_idle_hours_and_is_renewed_while_used(client, staff):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client.force_login(staff)
    session = client.session
    session["touched"] = 0  # last renewed long ago
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date

    client.get("/")

    after = Session.objects.get(session_key=session.session_key).expire_date
    assert after > before
