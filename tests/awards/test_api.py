"""The grant administration through the API, as an outside client reads the contract: the grant's
added fields, acceptance, payments, change requests, every problem named, and the schema."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant, Pool
from awards import services
from awards.models import GrantTerms, PaymentState

from ..conftest import client_for
from .conftest import ACCEPTANCE

pytestmark = pytest.mark.django_db

API = "/api/v1"
TODAY = timezone.localdate()


def test_a_grant_shows_its_acceptance_audit_level_and_money(awaiting: Grant, committee: Any) -> None:
    body = client_for(committee).get(f"{API}/grants/{awaiting.pk}/").json()
    assert body["state"] == "awaiting_acceptance"
    assert body["accept_by"] == services.terms_of(awaiting).accept_by.isoformat()
    assert (body["accepted_at"], body["accepted_by_name"]) == (None, "")
    assert body["audit_level"] == "performance"
    assert (body["paid_total"], body["repaid_total"]) == ("0.00", "0.00")


def test_the_municipality_accepts_through_the_api(awaiting: Grant, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    response = client.post(f"{API}/grants/{awaiting.pk}/accept/", ACCEPTANCE, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "active" and body["accepted_by_name"] == "Helle Sofie Larsen"
    assert body["accepted_at"] is not None
    payments = client.get(f"{API}/grants/{awaiting.pk}/payments/").json()
    assert [p["state"] for p in payments] == ["planned"] * 8 + ["retained"]
    assert set(payments[0]) == {
        "id",
        "grant",
        "kind",
        "year",
        "quarter",
        "due_on",
        "amount",
        "state",
        "held_reason",
        "paid_on",
        "cvr",
    }
    assert sum(Decimal(p["amount"]) for p in payments) == Decimal("800000")

    again = client.post(f"{API}/grants/{awaiting.pk}/accept/", ACCEPTANCE, format="json")
    assert again.status_code == 409 and "detail" in again.json()


def test_acceptance_names_every_missing_part(awaiting: Grant, slagelse_applicant: Any) -> None:
    response = client_for(slagelse_applicant).post(f"{API}/grants/{awaiting.pk}/accept/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"accepted_by_name", "accepted_by_title", "declaration"}


def test_acceptance_after_the_deadline_is_a_400_naming_it(awaiting: Grant, slagelse_applicant: Any) -> None:
    yesterday = TODAY - datetime.timedelta(days=1)
    GrantTerms.objects.filter(grant=awaiting).update(accept_by=yesterday)
    response = client_for(slagelse_applicant).post(f"{API}/grants/{awaiting.pk}/accept/", ACCEPTANCE, format="json")
    assert response.status_code == 400
    assert f"{yesterday:%d.%m.%Y}" in response.json()["non_field_errors"][0]


def test_paying_a_held_payment_is_a_409_naming_why(late_project: Grant, pool_admin: Any) -> None:
    payment = late_project.payments.filter(state=PaymentState.HELD).first()
    response = client_for(pool_admin).post(
        f"{API}/payments/{payment.pk}/pay/", {"paid_on": TODAY.isoformat()}, format="json"
    )
    assert response.status_code == 409
    assert payment.held_reason in response.json()["detail"]


def test_the_pool_admin_pays_and_the_grant_shows_it(running: Grant, pool_admin: Any) -> None:
    client = client_for(pool_admin)
    payment = running.payments.filter(kind="instalment").order_by("due_on").first()
    missing = client.post(f"{API}/payments/{payment.pk}/pay/", {}, format="json")
    assert missing.status_code == 400 and set(missing.json()) == {"paid_on"}
    response = client.post(f"{API}/payments/{payment.pk}/pay/", {"paid_on": TODAY.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "paid"
    assert client.get(f"{API}/grants/{running.pk}/").json()["paid_total"] == str(payment.amount)
    due = client.get(
        f"{API}/payments/", {"due_after": payment.due_on.isoformat(), "due_before": payment.due_on.isoformat()}
    )
    assert [row["id"] for row in due.json()["results"]] == [payment.pk]


def test_a_revoked_grants_plan_lists_what_was_paid_and_not_the_cancelled(
    running: Grant, pool_admin: Any, reviewer: Any
) -> None:
    """The contract's payment states are planned, held, paid and retained: a payment cancelled by
    the revocation is no longer part of the plan and is not listed; paid_total ignores it."""
    first = running.payments.filter(kind="instalment").order_by("due_on").first()
    services.pay(first.pk, pool_admin, TODAY)
    services.revoke(running.pk, reviewer, "Projektet er opgivet.")

    client = client_for(pool_admin)
    plan = client.get(f"{API}/grants/{running.pk}/payments/").json()
    assert [(p["id"], p["state"]) for p in plan] == [(first.pk, "paid")]
    listed = client.get(f"{API}/payments/", {"grant": running.pk}).json()
    assert [p["id"] for p in listed["results"]] == [first.pk]
    assert client.get(f"{API}/grants/{running.pk}/").json()["paid_total"] == str(first.amount)
    cancelled = running.payments.filter(state=PaymentState.CANCELLED).first()
    refused = client.post(f"{API}/payments/{cancelled.pk}/pay/", {"paid_on": TODAY.isoformat()}, format="json")
    assert refused.status_code == 409


def test_a_change_request_through_the_api(running: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    body = {
        "kind": "budget",
        "reason": "Flere borgere end ventet.",
        "budget_lines": [{"year": year, "category": "salaries", "amount": "450000"} for year in years],
    }
    response = client_for(slagelse_applicant).post(f"{API}/grants/{running.pk}/change-requests/", body, format="json")
    assert response.status_code == 201, response.content
    change = response.json()
    assert (change["state"], change["version"], change["budget_lines"][0]["amount"]) == ("submitted", None, "450000.00")

    queue = client_for(reviewer).get(f"{API}/change-requests/", {"state": "submitted"}).json()
    assert [row["id"] for row in queue["results"]] == [change["id"]]
    approved = client_for(reviewer).post(f"{API}/change-requests/{change['id']}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["version"] == 2
    grant = client_for(slagelse_applicant).get(f"{API}/grants/{running.pk}/").json()
    assert grant["amount"] == "900000.00"
    versions = client_for(slagelse_applicant).get(f"{API}/grants/{running.pk}/versions/").json()
    assert [v["amount"] for v in versions] == ["800000.00", "900000.00"]


def test_a_change_request_names_every_problem(running: Grant, slagelse_applicant: Any) -> None:
    Pool.objects.filter(pk=running.application.pool_id).update(total_budget=Decimal("850000"))
    body = {
        "kind": "budget",
        "reason": "",
        "budget_lines": [
            {"year": 1999, "category": "salaries", "amount": "100"},
            {"year": running.start_date.year, "category": "travel", "amount": "x"},
        ],
    }
    response = client_for(slagelse_applicant).post(f"{API}/grants/{running.pk}/change-requests/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"budget_lines"}  # the format first: the rows that are not rows
    assert any("Row 1" in m or "Række 1" in m for m in errors["budget_lines"])
    assert any("Row 2" in m or "Række 2" in m for m in errors["budget_lines"])

    years = range(running.start_date.year, running.end_date.year + 1)
    body["budget_lines"] = [{"year": year, "category": "salaries", "amount": 500000} for year in years]
    response = client_for(slagelse_applicant).post(f"{API}/grants/{running.pk}/change-requests/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"reason", "budget_lines"}
    assert "50.000 kr." in " ".join(response.json()["budget_lines"])


def test_no_change_request_after_the_end_date(running: Grant, slagelse_applicant: Any) -> None:
    Grant.objects.filter(pk=running.pk).update(
        start_date=TODAY - datetime.timedelta(days=400), end_date=TODAY - datetime.timedelta(days=1)
    )
    body = {"kind": "period", "reason": "Forsinket.", "end_date": (TODAY + datetime.timedelta(days=90)).isoformat()}
    response = client_for(slagelse_applicant).post(f"{API}/grants/{running.pk}/change-requests/", body, format="json")
    assert response.status_code == 409
    assert f"{TODAY - datetime.timedelta(days=1):%d.%m.%Y}" in response.json()["detail"]


def test_refusing_without_a_reason_is_a_400(running: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    Pool.objects.filter(pk=running.application.pool_id).update(project_end_latest=None)
    later = running.end_date.replace(year=running.end_date.year + 1)
    change = services.file_change(
        running.pk, slagelse_applicant, {"kind": "period", "reason": "Forsinket.", "end_date": later}
    )
    response = client_for(reviewer).post(f"{API}/change-requests/{change.pk}/refuse/", {}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"reason"}


def test_the_schema_publishes_the_grant_administration(reviewer: Any) -> None:
    schema = client_for(reviewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/grants/{id}/accept/",
        "/api/v1/grants/{id}/revoke/",
        "/api/v1/grants/{id}/payments/",
        "/api/v1/grants/{id}/versions/",
        "/api/v1/payments/",
        "/api/v1/payments/{id}/pay/",
        "/api/v1/grants/{grant_pk}/change-requests/",
        "/api/v1/change-requests/{id}/approve/",
        "/api/v1/change-requests/{id}/refuse/",
    ):
        assert path in schema["paths"], path
    grant = schema["components"]["schemas"]["Grant"]["properties"]
    assert {"accept_by", "accepted_at", "accepted_by_name", "audit_level", "paid_total", "repaid_total"} <= set(grant)
    assert "409" in schema["paths"]["/api/v1/payments/{id}/pay/"]["post"]["responses"]
    pool = schema["components"]["schemas"]["Pool"]["properties"]
    assert {
        "legal_basis",
        "finance_act_account",
        "standard_conditions",
        "acceptance_days",
        "retention_percent",
        "variance_explain_percent",
        "repayment_minimum",
    } <= set(pool)
