"""A login by single sign-on turned into a Puljeflow user: matched or created on the first login,
the municipality taken from the organisation's CVR, the role from a claim or left for SIRI.

Refusals say why in words the person can act on; nobody is created for a refused login.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.dk import cvr as stdnum_cvr

from applications.accounts import set_person
from applications.models import Municipality
from core.roles import SIRI_ROLES, Role, profile_of

from .models import SsoIdentity


class Refused(Exception):
    """The provider vouched for the person, but Puljeflow does not let them in."""


def claim(claims: Mapping[str, Any], name: str) -> Any:
    """The claim `name`, as a key of its own ("nemlogin.cvr") or, failing that, as a path into
    nested claims ({"nemlogin": {"cvr": ...}}): providers write it either way."""
    if not name:
        return None
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def cvr_municipalities() -> dict[str, str]:
    """OIDC_CVR_MUNICIPALITIES: "CVR=code,CVR=code" for the municipalities whose CVR is not on
    the municipality itself (the admin's Municipalities is the other place SIRI enters it)."""
    pairs = (item.split("=", 1) for item in settings.OIDC_CVR_MUNICIPALITIES.split(",") if "=" in item)
    return {stdnum_cvr.compact(cvr): code.strip() for cvr, code in pairs}


def organisation_of(cvr: str) -> Municipality | None:
    """The municipality of the CVR, or None for SIRI itself; Refused for anyone else."""
    if settings.OIDC_SIRI_CVR and cvr == stdnum_cvr.compact(settings.OIDC_SIRI_CVR):
        return None
    municipality = Municipality.objects.filter(cvr=cvr).first()
    if municipality is None and (code := cvr_municipalities().get(cvr)):
        municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Refused(
            _(
                "Your login is for the organisation with CVR number %(cvr)s, which is not a municipality "
                "Puljeflow knows. Log in with MitID Erhverv for your municipality, or ask SIRI to add "
                "your municipality's CVR number."
            )
            % {"cvr": cvr}
        )
    return municipality


def role_from(claims: Mapping[str, Any], municipality: Municipality | None) -> str | None:
    """The role named by OIDC_ROLE_CLAIM, if it is one a person of that organisation can have:
    a municipality's login never makes a SIRI reviewer, SIRI's never an applicant."""
    value = claim(claims, settings.OIDC_ROLE_CLAIM)
    values = value if isinstance(value, list | tuple) else [value]
    for role in values:
        if role in Role.values and (role in SIRI_ROLES) == (municipality is None):
            return str(role)
    return None


def _matching_local_account(email: str, municipality: Municipality | None) -> Any:
    """An existing account this first login takes over: the one with the e-mail address, only if
    it already belongs to the same organisation (so a login from another municipality cannot take
    over an account) and is no superuser."""
    if not email:
        return None
    candidates = list(
        get_user_model()
        .objects.filter(email__iexact=email, is_superuser=False, sso_identity__isnull=True)
        .select_related("profile")
    )
    if len(candidates) != 1:
        return None
    profile = profile_of(candidates[0])
    if profile is None:
        return None
    if municipality is None:
        return candidates[0] if profile.role in SIRI_ROLES else None
    return candidates[0] if profile.municipalities.filter(pk=municipality.pk).exists() else None


def _username_for(email: str, subject: str) -> str:
    model = get_user_model()
    if email and len(email) <= 150 and not model.objects.filter(username__iexact=email).exists():
        return email.lower()
    return f"sso-{subject}"[:150]


def _name(claims: Mapping[str, Any]) -> str:
    given, family = claims.get("given_name") or "", claims.get("family_name") or ""
    return (f"{given} {family}".strip() or str(claims.get("name") or "")).strip()


@transaction.atomic
def sign_in(claims: Mapping[str, Any]) -> Any:
    """The user for a login the provider vouched for, created or matched on the first login."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise Refused(_("The login service sent no identity. Try again."))
    cvr = stdnum_cvr.compact(str(claim(claims, settings.OIDC_CVR_CLAIM) or ""))
    if not cvr:
        raise Refused(
            _("Your login names no organisation (CVR number). Log in with MitID Erhverv for your municipality.")
        )
    municipality = organisation_of(cvr)
    email = str(claims.get("email") or "").strip()

    identity = SsoIdentity.objects.select_related("user").filter(subject=subject).first()
    if identity is not None:
        if identity.cvr != cvr:
            # MitID Erhverv issues one identity per organisation; a changed CVR is not ours to follow.
            raise Refused(_("Your login is now for another organisation than your account. Ask SIRI."))
        user = identity.user
        identity.save(update_fields=["last_login"])
    else:
        user = _matching_local_account(email, municipality)
        if user is None:
            user = get_user_model().objects.create_user(_username_for(email, subject), email=email)
            first, _space, last = _name(claims).rpartition(" ")
            user.first_name, user.last_name = (first, last) if first else (last, "")
            user.set_unusable_password()
            user.save()
        identity = SsoIdentity.objects.create(user=user, subject=subject, cvr=cvr, municipality=municipality)

    if not user.is_active:
        raise Refused(_("This account is closed. Ask SIRI or your municipality's administrator."))
    # A person without a role gets the one the claim names; a role once given is SIRI's to change.
    if profile_of(user) is None and (role := role_from(claims, municipality)):
        set_person(user.username, role, [municipality.code] if municipality else [])
        user.refresh_from_db()
    return user
