import os

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def test_ci_runs_against_postgresql():
    # CI must fail, not quietly fall back to SQLite, when PostgreSQL is not configured.
    if os.environ.get("CI"):
        assert connection.vendor == "postgresql", "CI must set DATABASE_URL to PostgreSQL"
    else:
        assert connection.vendor in {"postgresql", "sqlite"}


def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_response_carries_a_content_security_policy(client, staff):
    client.force_login(staff)
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
