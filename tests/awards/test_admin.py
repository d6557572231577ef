"""SIRI reads the grant administration in the admin: every list searches and filters, and only SIRI gets in."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client

from applications.models import Grant
from awards import services
from awards.models import ChangeKind

pytestmark = pytest.mark.django_db

# model → (search, one list filter, a text its row shows)
CHANGELISTS: dict[str, tuple[str, str, str]] = {
    "grantterms": ("{journal}", "audit_level__exact=performance", "{journal}"),
    "payment": ("{journal}", "state__exact=planned", "{journal}"),
    "changerequest": ("{journal}", "kind__exact=budget", "{journal}"),
    "grantversion": ("{journal}", "", "{journal}"),
    "awardlog": ("{journal}", "transition__exact=accept", "{journal}"),
}
# The end of a grant's, on an ended grant with its accounts approved and a repayment claimed.
END_CHANGELISTS: dict[str, tuple[str, str, str]] = {
    "finalreport": ("{journal}", "state__exact=submitted", "{journal}"),
    "finalaccounts": ("{journal}", "auditor_kind__exact=registered", "{journal}"),
    "repayment": ("{journal}", "state__exact=open", "{journal}"),
}


def _browser(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_table_names_every_model_in_the_admin() -> None:
    registered = {model._meta.model_name for model in admin.site._registry if model._meta.app_label == "awards"}
    assert registered == set(CHANGELISTS) | set(END_CHANGELISTS)


@pytest.mark.parametrize("persona", ["reviewer", "pool_admin"])
@pytest.mark.parametrize("model", sorted(CHANGELISTS))
def test_siri_searches_and_filters_every_changelist(
    model: str, persona: str, request: pytest.FixtureRequest, running: Grant, slagelse_applicant: Any
) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": 400000} for y in years]
    services.file_change(
        running.pk, slagelse_applicant, {"kind": ChangeKind.BUDGET, "reason": "Mere.", "budget_lines": lines}
    )
    journal = running.application.journal_number
    search, list_filter, shown = (value.replace("{journal}", journal) for value in CHANGELISTS[model])
    query = f"q={search}" + (f"&{list_filter}" if list_filter else "")

    response = _browser(request.getfixturevalue(persona)).get(f"/admin/awards/{model}/?{query}")

    assert response.status_code == 200, response.get("Location")
    assert shown in response.content.decode()


def test_a_municipality_does_not_get_into_the_admin(running: Grant, slagelse_applicant: Any) -> None:
    response = _browser(slagelse_applicant).get("/admin/awards/payment/")
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("model", sorted(END_CHANGELISTS))
def test_siri_reads_the_end_of_a_grant_in_the_admin(
    model: str, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    from awards.services import closing

    from .closing_helpers import accounts_data, ended_grant, report_data

    grant = ended_grant(slagelse_applicant, reviewer, pool_admin)
    report = closing.save_final_report(grant.pk, slagelse_applicant, report_data(grant))
    closing.submit_final_report(report.pk, slagelse_applicant)
    accounts = closing.save_final_accounts(grant.pk, slagelse_applicant, accounts_data(grant, Decimal("0.5")))
    closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    closing.approve_final_accounts(accounts.pk, reviewer)
    journal = grant.application.journal_number
    search, list_filter, shown = (value.replace("{journal}", journal) for value in END_CHANGELISTS[model])
    response = _browser(reviewer).get(f"/admin/awards/{model}/?q={search}&{list_filter}")
    assert response.status_code == 200
    assert shown in response.content.decode()
    assert _browser(slagelse_applicant).get(f"/admin/awards/{model}/").status_code in (302, 403)
