"""Creating and updating people with a role, shared by `manage.py adduser` and the demo data."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import SIRI_ROLES, Role

from .models import Municipality, Profile


@transaction.atomic
def set_person(
    username: str,
    role: str,
    municipality_codes: Sequence[str] = (),
    email: str | None = None,
    password: str | None = None,
    name: str | None = None,
) -> tuple[AbstractUser, bool]:
    """Create the person, or update role, municipalities, e-mail, password and name if they
    exist. The pages show people by `name` ("Mette Sørensen": the last word is the surname)."""
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [
            _("Unknown role %(role)s; choose one of %(roles)s.") % {"role": role, "roles": ", ".join(Role.values)}
        ]
    codes = list(dict.fromkeys(municipality_codes))
    found = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        errors["municipality"] = [_("Unknown municipality codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    elif role in SIRI_ROLES and codes:
        errors["municipality"] = [_("SIRI staff do not belong to a municipality.")]
    elif role in Role.values and role not in SIRI_ROLES and not codes:
        errors["municipality"] = [_("A %(role)s belongs to at least one municipality.") % {"role": role}]
    if errors:
        raise DomainError.invalid(errors)

    user, created = get_user_model().objects.get_or_create(username=username)
    if email is not None:
        user.email = email
    if name is not None:
        first, _space, last = name.strip().rpartition(" ")
        user.first_name, user.last_name = (first, last) if first else (last, "")
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    # SIRI works in the Django admin as its back office; what it may do there is still decided
    # by the rules.
    user.is_staff = role in SIRI_ROLES
    user.save()
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"role": role})
    profile.municipalities.set(found[c] for c in codes)
    return user, created
