"""Two-factor sign-in for the people who change the record (TWO_FACTOR_REQUIRED)."""

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kent_medway")]


def code_for(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_staff_set_up_an_authenticator_then_confirm_a_code_before_any_page(client, staff):
    client.force_login(staff)

    response = client.get("/ccgs/thanet/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/?next=")

    setup = client.get(response.url)
    assert "Add this key to your app" in setup.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post("/accounts/two-factor/", {"code": "000000", "next": "/ccgs/thanet/"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()  # a wrong code makes the next try wait a second (django-otp)
    right = client.post(
        "/accounts/two-factor/", {"code": code_for(device), "next": "/ccgs/thanet/"}
    )
    assert right.status_code == 302
    assert right.url == "/ccgs/thanet/"
    assert client.get("/ccgs/thanet/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_scrutiny_officers_read_without_a_second_factor(client, scrutineer):
    client.force_login(scrutineer)

    assert client.get("/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_sign_in_page_says_when_two_factor_is_off(client):
    assert (
        "Two-factor sign-in is switched off here" in client.get("/accounts/login/").content.decode()
    )


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_the_sign_in_page_says_nothing_of_it_when_it_is_on(client):
    assert "switched off" not in client.get("/accounts/login/").content.decode()
