"""Who a person is to Puljeflow: the roles, the `rules` predicates on them, and the
municipalities a person acts for. Every app's rules build on these.

A person's role and municipalities live on their profile (``user.profile``, the applications
app's `Profile`); the kernel only reads those attributes, so it imports no domain app.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Applicant (municipality)")
    REVIEWER = "reviewer", _("Reviewer (SIRI)")
    POOL_ADMIN = "pool_admin", _("Pool administrator (SIRI)")
    AMBASSADOR = "ambassador", _("Employment ambassador")
    COMMITTEE = "committee", _("Committee member")


SIRI_ROLES = frozenset({Role.REVIEWER, Role.POOL_ADMIN})


def profile_of(user: Any) -> Any:
    """The user's profile, or None for an anonymous user or one without a role."""
    return getattr(user, "profile", None) if user.is_authenticated else None


def role_of(user: Any) -> str | None:
    profile = profile_of(user)
    return profile.role if profile is not None else None


def municipality_ids(user: Any) -> frozenset[int]:
    """The user's municipalities, cached on the user object for the request."""
    cached = getattr(user, "_puljeflow_municipality_ids", None)
    if cached is None:
        profile = profile_of(user)
        cached = frozenset(profile.municipalities.values_list("pk", flat=True)) if profile else frozenset()
        user._puljeflow_municipality_ids = cached
    return cached


def display_name(user: Any) -> str:
    """How a person is shown: their full name; lacking one (an account made without a name),
    their e-mail address, which still says who it is. The username is only the last resort."""
    if user is None:
        return ""
    return user.get_full_name() or getattr(user, "email", "") or user.get_username()


# A person's fields `display_name_of` needs, for a query that reads them as values.
NAME_FIELDS = ("first_name", "last_name", "email", "username")


def display_name_of(first_name: str, last_name: str, email: str, username: str) -> str:
    """`display_name` of a person read as values (`NAME_FIELDS`), as Django's user writes a full
    name: a long list builds no user for it."""
    return f"{first_name} {last_name}".strip() or email or username


def sees_everything(user: Any) -> bool:
    """A superuser passes every rule (django's ModelBackend), so every query shows them all."""
    return bool(user.is_active and user.is_superuser)


def _role_is(*roles: str) -> rules.Predicate:
    @rules.predicate(name=f"role_in_{'_'.join(roles)}")
    def check(user: Any) -> bool:
        return role_of(user) in roles

    return check


is_applicant = _role_is(Role.APPLICANT)
is_committee = _role_is(Role.COMMITTEE)
is_ambassador = _role_is(Role.AMBASSADOR)
is_pool_admin = _role_is(Role.POOL_ADMIN)
is_siri = _role_is(*SIRI_ROLES)
