import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_data_migration_creates_the_three_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"stp_staff", "scrutiny", "admins"}


def test_stp_staff_record_decisions_and_add_sources_but_change_no_roles(staff):
    assert staff.has_perm("decisions.add_decision")
    assert staff.has_perm("records.add_source")
    assert staff.has_perm("decisions.view_membership")
    assert not staff.has_perm("roles.change_assignment")
    assert not staff.has_perm("decisions.change_membership")


def test_scrutiny_reads_everything_and_writes_nothing(scrutineer):
    assert scrutineer.has_perm("decisions.view_membership")
    assert scrutineer.has_perm("decisions.view_decision")
    assert scrutineer.has_perm("roles.view_assignment")
    perms = scrutineer.get_all_permissions()
    assert perms and all(".view_" in perm for perm in perms)


def test_admins_may_edit_people_posts_and_assignments(admin):
    assert admin.is_staff
    assert admin.has_perm("roles.change_assignment")
    assert admin.has_perm("roles.add_person")
    assert admin.has_perm("roles.change_post")
