"""SIRI's back office: the Django admin for reviewers and pool admins (staff through `adduser`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from applications import services
from applications.models import Application, State, TargetGroup

from ..conftest import application_in_state, make_complete_draft, review

pytestmark = pytest.mark.django_db

# model → (search, one list filter or "" when the model has none, a text its row shows)
CHANGELISTS: dict[str, tuple[str, str, str]] = {
    "pool": ("beskæftigelses", "requires_political_approval__exact=1", "Pulje til beskæftigelsesambassadører"),
    "municipality": ("Slagelse", "region__exact=sjaelland", "Slagelse"),
    "profile": ("slagelse", "role__exact=applicant", "slagelse"),
    "application": ("{journal}", "state__exact=granted", "Beskæftigelsesambassadør"),
    "review": ("{journal}", "recommendation__exact=grant", "{journal}"),
    "assessment": ("{journal}", "", "Organisering"),
    "assignment": ("{journal}", "application__pool__id__exact={pool}", "{journal}"),
    "grant": ("{journal}", "state__exact=awaiting_acceptance", "{journal}"),
    "transitionlog": ("{journal}", "transition__exact=grant", "{journal}"),
    "politicalapproval": ("{journal}", "status__exact=approved", "Byrådet"),
    "targetgroup": ("kvinder", "", "aktivitetsparate kvinder"),
    "goal": ("Kvinder", "kind__exact=count", "Kvinder i beskæftigelse"),
    "budgetline": ("{journal}", "category__exact=salaries", "{journal}"),
}


def _registered() -> set[str]:
    return {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "applications"}


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def granted(pool: Any, slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Application:
    """Granted after its pool admin assigned the reviewer who recommended it."""
    application = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    services.assign(application.pk, pool_admin, reviewer)
    review(application, reviewer)
    services.grant(application.pk, reviewer, Decimal("900000"))
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def gribskov_draft(pool: Any, gribskov_applicant: Any) -> Application:
    application = make_complete_draft(pool, gribskov_applicant, code="270")
    application.title = "Hemmeligt udkast fra Gribskov"
    application.save()
    TargetGroup.objects.create(application=application, name="hemmelig målgruppe", size=3)
    return application


def test_the_table_names_every_model_in_the_admin() -> None:
    assert _registered() == set(CHANGELISTS)


@pytest.mark.parametrize("persona", ["reviewer", "pool_admin"])
@pytest.mark.parametrize("model", sorted(CHANGELISTS))
def test_siri_searches_and_filters_every_changelist(
    model: str, persona: str, request: pytest.FixtureRequest, granted: Application
) -> None:
    user = request.getfixturevalue(persona)
    assert user.is_staff
    search, list_filter, shown = (
        value.replace("{journal}", granted.journal_number).replace("{pool}", str(granted.pool_id))
        for value in CHANGELISTS[model]
    )
    query = f"q={search}" + (f"&{list_filter}" if list_filter else "")

    response = _browser(user).get(f"/admin/applications/{model}/?{query}")

    # An unknown filter would redirect with ?e=1; a 200 means search and filter were applied.
    assert response.status_code == 200, response.get("Location")
    assert shown in response.content.decode()


@pytest.mark.parametrize("persona", ["reviewer", "pool_admin"])
def test_siri_opens_an_application_in_the_admin_read_only(
    persona: str, request: pytest.FixtureRequest, granted: Application
) -> None:
    browser = _browser(request.getfixturevalue(persona))
    url = f"/admin/applications/application/{granted.pk}/change/"

    response = browser.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert granted.journal_number in page
    assert "aktivitetsparate kvinder" in page  # its target groups are shown inline
    assert 'name="_save"' not in page
    assert browser.post(url, {"title": "Omskrevet af SIRI"}).status_code == 403
    assert Application.objects.get(pk=granted.pk).title == "Beskæftigelsesambassadør"


def test_the_admin_index_shows_siri_the_applications_module(reviewer: Any) -> None:
    response = _browser(reviewer).get("/admin/")
    assert response.status_code == 200
    assert "/admin/applications/application/" in response.content.decode()


def test_the_admin_changelist_shows_a_reviewer_only_submitted_applications(
    reviewer: Any, granted: Application, gribskov_draft: Application
) -> None:
    response = _browser(reviewer).get("/admin/applications/application/")
    assert response.status_code == 200
    page = response.content.decode()
    assert granted.journal_number in page
    assert "Hemmeligt udkast fra Gribskov" not in page


def test_the_admin_never_shows_a_reviewer_a_draft_or_its_parts(
    reviewer: Any, granted: Application, gribskov_draft: Application
) -> None:
    browser = _browser(reviewer)
    parts = browser.get("/admin/applications/targetgroup/").content.decode()
    assert "aktivitetsparate kvinder" in parts
    assert "hemmelig målgruppe" not in parts
    for model in ("goal", "budgetline", "politicalapproval", "transitionlog"):
        page = browser.get(f"/admin/applications/{model}/").content.decode()
        assert "Hemmeligt udkast fra Gribskov" not in page, model
    # Opening the draft directly does not show it either: refused, or "does not exist" and back to the index.
    response = browser.get(f"/admin/applications/application/{gribskov_draft.pk}/change/")
    assert response.status_code in (302, 403)
    assert "Hemmeligt udkast fra Gribskov" not in response.content.decode()
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize("persona", ["slagelse_applicant", "committee", "ambassador"])
@pytest.mark.parametrize("path", ["/admin/", "/admin/applications/application/", "/admin/applications/pool/"])
def test_people_outside_siri_are_sent_to_the_login(persona: str, path: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert not user.is_staff

    response = _browser(user).get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
