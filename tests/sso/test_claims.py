"""The rules that turn a login's claims into a person, for the cases the provider round trip
(test_round_trip.py) does not walk: SIRI's own CVR, a changed CVR, a missing one, nested claims."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from applications.models import Municipality
from sso.models import SsoIdentity
from sso.services import Refused, sign_in
from tests.conftest import page_client_for

SIRI_CVR = "34051178"
SLAGELSE_CVR = "29188505"


@pytest.fixture(autouse=True)
def _claims(settings: Any, db: None) -> None:
    settings.OIDC_CVR_CLAIM = "nemlogin.cvr"
    settings.OIDC_ROLE_CLAIM = "roles"
    settings.OIDC_SIRI_CVR = SIRI_CVR
    Municipality.objects.filter(code="330").update(cvr=SLAGELSE_CVR)


def test_sirs_own_cvr_makes_siri_staff_with_a_siri_role_and_no_municipality() -> None:
    user = sign_in({"sub": "s1", "email": "sara@siri.example", "nemlogin.cvr": SIRI_CVR, "roles": ["pool_admin"]})

    assert (user.profile.role, user.is_staff, user.profile.municipalities.count()) == ("pool_admin", True, 0)
    assert SsoIdentity.objects.get(user=user).municipality is None


def test_sirs_cvr_never_makes_an_applicant() -> None:
    user = sign_in({"sub": "s2", "email": "x@siri.example", "nemlogin.cvr": SIRI_CVR, "roles": "applicant"})

    assert not hasattr(user, "profile")


def test_a_nested_cvr_claim_and_a_cvr_written_with_spaces_are_read() -> None:
    user = sign_in({"sub": "n1", "email": "n@slagelse.example", "nemlogin": {"cvr": "29 18 85 05"}})

    assert SsoIdentity.objects.get(user=user).municipality.code == "330"


def test_a_login_without_cvr_is_refused() -> None:
    with pytest.raises(Refused, match="CVR"):
        sign_in({"sub": "c1", "email": "c@example.test"})
    assert not get_user_model().objects.filter(email="c@example.test").exists()


def test_a_known_subject_coming_back_for_another_organisation_is_refused() -> None:
    sign_in({"sub": "m1", "email": "m@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR})

    with pytest.raises(Refused):
        sign_in({"sub": "m1", "email": "m@slagelse.example", "nemlogin.cvr": SIRI_CVR})


def test_an_account_of_another_municipality_is_not_taken_over(gribskov_applicant: Any) -> None:
    user = sign_in({"sub": "g1", "email": gribskov_applicant.email, "nemlogin.cvr": SLAGELSE_CVR})

    assert user != gribskov_applicant and not hasattr(user, "profile")
    assert not SsoIdentity.objects.filter(user=gribskov_applicant).exists()


def test_a_closed_account_is_refused_with_its_reason() -> None:
    user = sign_in({"sub": "k1", "email": "k@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR})
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    # The login page shows the reason in the person's language; here Danish, the site's.
    with translation.override("da"), pytest.raises(Refused, match="lukket"):
        sign_in({"sub": "k1", "email": "k@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR})


def test_siri_finds_the_people_waiting_for_a_role_in_the_admin(reviewer: Any, slagelse_applicant: Any) -> None:
    sign_in({"sub": "w1", "email": "venter@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR})
    sign_in({"sub": "w2", "email": "klar@slagelse.example", "nemlogin.cvr": SLAGELSE_CVR, "roles": "applicant"})

    waiting = page_client_for(reviewer).get("/admin/sso/ssoidentity/?has_role=no").content.decode()

    assert "venter@slagelse.example" in waiting and "klar@slagelse.example" not in waiting
    assert page_client_for(slagelse_applicant).get("/admin/sso/ssoidentity/").status_code == 302
