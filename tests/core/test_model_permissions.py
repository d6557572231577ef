"""Django's own permissions (given in the admin, to a person or a group) count for Django's own
apps, read in one query; in the apps the rules govern, the rules alone decide."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

pytestmark = pytest.mark.django_db


def test_a_persons_and_their_groups_permissions_count_in_one_query(django_assert_num_queries) -> None:
    person = User.objects.create_user("holder")
    own = Permission.objects.get(codename="view_logentry")
    through_group = Permission.objects.get(codename="change_group")
    group = Group.objects.create(name="support")
    group.permissions.add(through_group)
    person.groups.add(group)
    person.user_permissions.add(own)
    person = User.objects.get(pk=person.pk)
    with django_assert_num_queries(1):
        assert person.has_perm("admin.view_logentry")
        assert person.has_perm("auth.change_group")
        assert not person.has_perm("auth.delete_group")
    inactive = User.objects.create_user("gone", is_active=False)
    inactive.user_permissions.add(own)
    assert not User.objects.get(pk=inactive.pk).has_perm("admin.view_logentry")


def test_a_superuser_holds_every_permission() -> None:
    admin = User.objects.create_superuser("root", "root@example.dk", "x")
    assert User.objects.get(pk=admin.pk).get_all_permissions() >= {"auth.delete_group", "admin.view_logentry"}


def test_a_permission_ticked_in_the_admin_does_not_overrule_a_rule(
    gribskov_applicant, reviewer, django_assert_num_queries
) -> None:
    """Django's table holds a permission named as the rule that lets applicants (alone) start an
    application: given to a reviewer, or to an applicant's group, it changes nothing, and a rule
    that says no does not send the page to the table."""
    add_application = Permission.objects.get(content_type__app_label="applications", codename="add_application")
    reviewer.user_permissions.add(add_application)
    reviewer = User.objects.select_related("profile").get(pk=reviewer.pk)  # the role, as a request has it
    with django_assert_num_queries(0):
        assert not reviewer.has_perm("applications.add_application")
    group = Group.objects.create(name="everything")
    group.permissions.add(Permission.objects.get(content_type__app_label="applications", codename="delete_application"))
    gribskov_applicant.groups.add(group)
    applicant = User.objects.get(pk=gribskov_applicant.pk)
    assert applicant.has_perm("applications.add_application")  # the rule's yes
    assert not applicant.has_perm("applications.delete_application")
