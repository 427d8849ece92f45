import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_address_gets_the_nhs_page_not_found(client, scrutineer):
    client.force_login(scrutineer)

    response = client.get("/ccgs/no-such-ccg/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "nhsuk-header" in response.content.decode()


def test_a_crash_gets_a_page_that_says_nothing_was_saved(scrutineer, monkeypatch):
    from scrutiny import views

    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(views, "membership_as_at", crash)
    client = Client(raise_request_exception=False)
    client.force_login(scrutineer)

    response = client.get("/")

    assert response.status_code == 500
    assert "Nothing you were changing has been saved" in response.content.decode()


def test_a_dropped_database_connection_is_a_clean_503_that_says_nothing_was_saved(
    scrutineer, monkeypatch
):
    from django.db import OperationalError

    from scrutiny import views

    def drop(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(views, "membership_as_at", drop)
    client = Client(raise_request_exception=False)
    client.force_login(scrutineer)

    response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Nothing you were changing has been saved" in response.content.decode()
