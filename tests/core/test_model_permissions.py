"""Django's own permissions (given in the admin, to a person or a group) still count beside the
rules, read in one query."""

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
