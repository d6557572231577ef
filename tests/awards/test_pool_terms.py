"""The terms of a pool's grants (contract: pools add legal_basis, finance_act_account,
standard_conditions, acceptance_days, retention_percent, variance_explain_percent,
repayment_minimum): set by a pool admin on the pool form and through the API, checked the same
way, and applied to the grants made afterwards."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Pool
from awards import services

from ..conftest import client_for, page_client_for
from ..monitoring.conftest import make_grant
from .conftest import future_period

pytestmark = pytest.mark.django_db


def test_a_new_pool_has_the_states_usual_terms(pool: Pool, pool_admin: Any) -> None:
    body = client_for(pool_admin).get(f"/api/v1/pools/{pool.pk}/").json()
    assert (body["acceptance_days"], body["retention_percent"], body["variance_explain_percent"]) == (
        14,
        "10.00",
        "10.00",
    )
    assert (
        body["repayment_minimum"] == "500.00"
        and body["finance_act_account"] == ""
        and body["standard_conditions"] == ""
    )


def test_the_pool_admin_sets_the_terms_through_the_api_every_problem_named(pool: Pool, pool_admin: Any) -> None:
    client = client_for(pool_admin)
    bad = client.patch(
        f"/api/v1/pools/{pool.pk}/",
        {"retention_percent": "150", "acceptance_days": 0, "audit_registered_above": "600000"},
        format="json",
    )
    assert bad.status_code == 400
    assert {"retention_percent", "acceptance_days"} <= set(bad.json())
    bad = client.patch(f"/api/v1/pools/{pool.pk}/", {"audit_registered_above": "600000"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"audit_performance_above"}

    good = client.patch(
        f"/api/v1/pools/{pool.pk}/",
        {"finance_act_account": "§ 17.46.04.10", "acceptance_days": 21, "retention_percent": "5"},
        format="json",
    )
    assert good.status_code == 200, good.content
    pool.refresh_from_db()
    assert (pool.finance_act_account, pool.acceptance_days, pool.retention_percent) == ("§ 17.46.04.10", 21, Decimal(5))
    assert (
        client_for(pool_admin).patch(f"/api/v1/pools/{pool.pk}/", {"acceptance_days": 7}, format="json").status_code
        == 200
    )


def test_a_grant_keeps_the_terms_it_was_given(slagelse_applicant: Any, reviewer: Any) -> None:
    grant = make_grant(slagelse_applicant, reviewer, *future_period(), accepted=False)
    pool = grant.application.pool
    Pool.objects.filter(pk=pool.pk).update(retention_percent=Decimal(20), acceptance_days=30)
    terms = services.terms_of(grant)
    assert terms.retention_percent == Decimal(10)  # as the letter said
    assert terms.accept_by == timezone.localdate(grant.granted_at) + datetime.timedelta(days=14)


def test_the_pool_page_edits_the_terms(pool: Pool, pool_admin: Any) -> None:
    client = page_client_for(pool_admin)
    page = client.get(f"/pools/{pool.pk}/")
    assert page.status_code == 200 and 'name="finance_act_account"' in page.content.decode()
