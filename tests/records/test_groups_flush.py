import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_groups_survive_a_flush_as_browser_tests_do_between_tests():
    call_command("flush", interactive=False, verbosity=0)

    staff = Group.objects.get(name="stp_staff")
    assert staff.permissions.filter(codename="add_decision").exists()
