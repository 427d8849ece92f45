"""Accounts: people are deactivated, never deleted; admins cannot hand out superuser; every
change to an account or group is in an audit history."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_person_is_refused_with_what_to_do_instead(kent_medway):
    person = UserFactory(username="leaver")

    with (
        pytest.raises(ProtectedError, match="Deactivate the account instead"),
        transaction.atomic(),
    ):
        person.delete()
    assert get_user_model().objects.filter(username="leaver").exists()


def test_an_admin_cannot_make_anyone_a_superuser(client, admin):
    client.force_login(admin)
    victim = UserFactory(username="victim")

    response = client.post(
        f"/admin/auth/user/{victim.pk}/change/",
        {"username": "victim", "is_superuser": "on", "is_staff": "on", "is_active": "on"},
    )

    assert response.status_code == 403
    victim.refresh_from_db()
    assert not victim.is_superuser
    assert not admin.has_perm("auth.change_user")


def test_a_change_to_an_account_is_kept_with_who_made_it(kent_medway):
    person = UserFactory(username="someone")
    person.is_active = False
    person._history_user = UserFactory(username="superuser", is_superuser=True)
    person.save()

    latest = person.history.order_by("-history_id").first()
    assert latest.is_active is False
    assert latest.history_user.username == "superuser"
