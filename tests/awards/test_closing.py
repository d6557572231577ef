"""The end of a grant through its services: the final report, the final accounts with the audit
the amount requires, the settlement worked out by hand, the repayment and the closing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications.models import Grant, GrantState
from awards.models import (
    AccountsState,
    AuditLevel,
    FinalReportState,
    Payment,
    PaymentKind,
    PaymentState,
    Repayment,
    RepaymentState,
)
from awards.services import closing
from awards.services.terms import audit_level
from core.errors import DomainError
from monitoring.models import Notification

from ..conftest import make_pool
from .closing_helpers import accounts_data, ended_grant, report_data, submitted_accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Grant:
    return ended_grant(slagelse_applicant, reviewer, pool_admin)


# The audit level follows the amount ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "level"),
    [
        ("100000.00", AuditLevel.QUALIFIED),
        ("100000.01", AuditLevel.REGISTERED),
        ("100001", AuditLevel.REGISTERED),
        ("500000", AuditLevel.REGISTERED),
        ("500001", AuditLevel.PERFORMANCE),
    ],
)
def test_the_audit_level_follows_the_amount(amount: str, level: str) -> None:
    assert audit_level(make_pool(), Decimal(amount)) == level


@pytest.mark.parametrize(
    ("amount", "kind", "performance", "refused"),
    [
        ("100000", "qualified", False, False),
        ("100001", "qualified", False, True),
        ("100001", "registered", False, False),
        ("500000", "state_authorised", False, False),
        ("500001", "registered", False, True),
        ("500001", "registered", True, False),
        ("500001", "qualified", True, True),
    ],
)
def test_the_submit_check_refuses_an_auditor_below_the_level(
    amount: str, kind: str, performance: bool, refused: bool, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    grant = ended_grant(slagelse_applicant, reviewer, pool_admin, amount=amount)
    data = accounts_data(grant, auditor_kind=kind, performance_audit=performance)
    accounts = closing.save_final_accounts(grant.pk, slagelse_applicant, data)
    if not refused:
        closing.submit_final_accounts(accounts.pk, slagelse_applicant)
        accounts.refresh_from_db()
        assert accounts.state == AccountsState.SUBMITTED
        return
    with pytest.raises(DomainError) as raised:
        closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    message = " ".join(str(m) for m in raised.value.errors["auditor_kind"])
    assert ("100.000" if kind == "qualified" else "500.000") in message
    accounts.refresh_from_db()
    assert accounts.state == AccountsState.DRAFT


# The accounts against the budget --------------------------------------------------------------------


def test_submit_names_every_line_that_deviates_without_an_explanation(ended: Grant, slagelse_applicant: Any) -> None:
    budget = closing.budget_by_line(ended)
    (year, category), amount = next(iter(budget.items()))
    unbudgeted = next(c for c in ("other", "audit", "administration") if (year, c) not in budget)
    data = accounts_data(ended)
    del data["auditor_statement"]
    # Within the pool's 10 %: nothing to explain.
    data["lines"] = [{"year": year, "category": category, "spent": str(amount * Decimal("0.9")), "explanation": ""}]
    accounts = closing.save_final_accounts(ended.pk, slagelse_applicant, data)
    with pytest.raises(DomainError) as raised:
        closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    assert "lines" not in raised.value.errors
    assert raised.value.errors["auditor_statement"]
    # 1 kr. spent against the budget, and 2.500 kr. on a line without budget: both named.
    lines = [
        {"year": year, "category": category, "spent": "1.00", "explanation": ""},
        {"year": year, "category": unbudgeted, "spent": "2500", "explanation": " "},
    ]
    closing.save_final_accounts(ended.pk, slagelse_applicant, {"lines": lines})
    with pytest.raises(DomainError) as raised:
        closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    named = [str(message) for message in raised.value.errors["lines"]]
    assert len(named) == 2
    assert any("forbrugt 1 kr." in text for text in named)
    assert any("forbrugt 2.500 kr., budget 0 kr." in text for text in named)


def test_a_line_outside_the_budget_or_the_period_is_refused_and_nothing_is_lost(
    ended: Grant, slagelse_applicant: Any
) -> None:
    accounts = closing.save_final_accounts(ended.pk, slagelse_applicant, accounts_data(ended))
    before = list(accounts.lines.values_list("year", "category", "spent"))
    bad = [
        {"year": 1999, "category": "salaries", "spent": "1", "explanation": ""},
        {"year": ended.start_date.year, "category": "yachts", "spent": "1", "explanation": ""},
        {"year": ended.start_date.year, "category": "salaries", "spent": "-5", "explanation": ""},
        {"year": ended.start_date.year, "category": "audit", "spent": "5", "explanation": "Ring 010190-1234"},
    ]
    with pytest.raises(DomainError) as raised:
        closing.save_final_accounts(ended.pk, slagelse_applicant, {"lines": bad, "auditor_name": "x"})
    assert len(raised.value.errors["lines"]) == 4
    assert list(accounts.lines.values_list("year", "category", "spent")) == before


# The settlement, by hand ------------------------------------------------------------------------------


def _approve(grant: Grant, user: Any, reviewer: Any, spent: Decimal) -> Any:
    data = accounts_data(grant)
    year = grant.start_date.year
    data["lines"] = [{"year": year, "category": "salaries", "spent": str(spent), "explanation": "Afvigelse forklaret."}]
    accounts = closing.save_final_accounts(grant.pk, user, data)
    closing.submit_final_accounts(accounts.pk, user)
    return closing.approve_final_accounts(accounts.pk, reviewer)


def test_approved_accounts_claim_back_what_was_paid_and_not_spent(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    # 400.000 kr. granted, 10 % retained: 360.000 kr. paid in four instalments of 90.000 kr.
    assert closing.settlement(ended, Decimal(0)).paid == Decimal("360000.00")
    accounts = _approve(ended, slagelse_applicant, reviewer, Decimal("345000.50"))
    assert accounts.approved_spending == Decimal("345000.50")
    assert accounts.repayment_amount == Decimal("14999.50")  # 360.000,00 − 345.000,50
    repayment = Repayment.objects.get(grant=ended)
    assert (repayment.amount, repayment.state) == (Decimal("14999.50"), RepaymentState.OPEN)
    assert repayment.due_on == timezone.localdate() + datetime.timedelta(days=30)
    # The retained 40.000 kr. is not paid: spending did not justify it.
    retention = Payment.objects.get(grant=ended, kind=PaymentKind.RETENTION)
    assert retention.state == PaymentState.CANCELLED
    ended.refresh_from_db()
    assert ended.state == GrantState.ACCOUNTS_SUBMITTED


def test_approved_accounts_release_as_much_of_the_retention_as_spending_justifies(
    ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    accounts = _approve(ended, slagelse_applicant, reviewer, Decimal("385000"))
    assert accounts.repayment_amount == Decimal("0.00")
    assert not Repayment.objects.filter(grant=ended).exists()
    retention = Payment.objects.get(grant=ended, kind=PaymentKind.RETENTION)
    # 385.000 − 360.000 paid: 25.000 of the 40.000 retained, to be paid now.
    assert (retention.amount, retention.state) == (Decimal("25000.00"), PaymentState.PLANNED)


def test_spending_above_the_grant_is_approved_only_up_to_the_grant(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    accounts = _approve(ended, slagelse_applicant, reviewer, Decimal("450000"))
    assert accounts.approved_spending == Decimal("400000.00")
    retention = Payment.objects.get(grant=ended, kind=PaymentKind.RETENTION)
    assert retention.amount == Decimal("40000.00")


@pytest.mark.parametrize(
    ("spent", "claimed"),
    [
        ("359500.01", None),  # 499,99 owed: under the 500 kr. limit, nothing is claimed
        ("359500.00", "500.00"),  # exactly 500 kr.: claimed
        ("360000.00", None),  # nothing owed
    ],
)
def test_the_de_minimis_limit(
    spent: str, claimed: str | None, ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    accounts = _approve(ended, slagelse_applicant, reviewer, Decimal(spent))
    repayment = Repayment.objects.filter(grant=ended).first()
    if claimed is None:
        assert repayment is None
        assert accounts.repayment_amount == Decimal("0.00")
    else:
        assert repayment is not None and repayment.amount == Decimal(claimed)


# The whole end, and the checklist -------------------------------------------------------------------


def test_closing_names_every_open_item_then_closes(
    ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    accounts = submitted_accounts(ended, slagelse_applicant)
    with pytest.raises(DomainError) as raised:
        closing.close(ended.pk, reviewer)
    message = str(raised.value.message)
    assert "slutrapporten er ikke godkendt" in message and "regnskabet er ikke godkendt" in message
    assert "rapporter mangler" not in message  # every quarterly report is in

    report = closing.save_final_report(ended.pk, slagelse_applicant, report_data(ended))
    closing.submit_final_report(report.pk, slagelse_applicant)
    closing.accept_final_report(report.pk, reviewer)
    closing.approve_final_accounts(accounts.pk, reviewer)  # 90 % spent: 360.000 − 360.000
    with pytest.raises(PermissionDenied):
        closing.close(ended.pk, slagelse_applicant)
    closed = closing.close(ended.pk, reviewer, "Alt er på plads.")
    assert closed.state == GrantState.CLOSED
    assert closed.transitions.filter(transition="close", by=reviewer).exists()


def test_a_repayment_must_be_paid_before_closing(
    ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    report = closing.save_final_report(ended.pk, slagelse_applicant, report_data(ended))
    closing.submit_final_report(report.pk, slagelse_applicant)
    closing.accept_final_report(report.pk, reviewer)
    _approve(ended, slagelse_applicant, reviewer, Decimal("300000"))
    with pytest.raises(DomainError) as raised:
        closing.close(ended.pk, reviewer)
    assert "tilbagebetalingen er ikke modtaget" in str(raised.value.message)
    with pytest.raises(PermissionDenied):
        closing.pay_repayment(ended.pk, reviewer, timezone.localdate())
    paid = closing.pay_repayment(ended.pk, pool_admin, timezone.localdate())
    assert paid.state == RepaymentState.PAID
    closing.close(ended.pk, reviewer)
    ended.refresh_from_db()
    assert ended.state == GrantState.CLOSED
    assert closing.returned_to_pool(ended) == Decimal("100000.00")  # 400.000 − 360.000 + 60.000


def test_returned_accounts_reopen_the_grant_with_the_reason(
    ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    accounts = submitted_accounts(ended, slagelse_applicant)
    with pytest.raises(DomainError):
        closing.return_final_accounts(accounts.pk, reviewer, " ")
    closing.return_final_accounts(accounts.pk, reviewer, "Revisorerklæringen mangler underskrift.")
    accounts.refresh_from_db()
    ended.refresh_from_db()
    assert accounts.state == AccountsState.RETURNED
    assert ended.state == GrantState.ACTIVE
    assert accounts.decision_reason == "Revisorerklæringen mangler underskrift."
    closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    accounts.refresh_from_db()
    assert accounts.state == AccountsState.SUBMITTED


def test_the_final_report_needs_every_goal_and_the_texts(ended: Grant, slagelse_applicant: Any) -> None:
    report = closing.save_final_report(ended.pk, slagelse_applicant, {"what_worked": "Mentorer."})
    with pytest.raises(DomainError) as raised:
        closing.submit_final_report(report.pk, slagelse_applicant)
    assert set(raised.value.errors) == {"anchoring", "lessons", "results"}
    assert len(raised.value.errors["results"]) == ended.application.goals.count()
    report.refresh_from_db()
    assert report.state == FinalReportState.DRAFT and report.what_worked == "Mentorer."


def test_the_final_report_offers_the_reports_figures(ended: Grant) -> None:
    offered = closing.reported_results(ended)
    assert set(offered) == set(ended.application.goals.values_list("pk", flat=True))
    assert all(value is not None for value in offered.values())


# Reminders and notices ------------------------------------------------------------------------------


def test_the_end_is_reminded_before_on_the_day_and_weekly_while_late(
    ended: Grant, slagelse_applicant: Any, mailoutbox: list[Any]
) -> None:
    from awards.reminders import send_award_notices

    due = closing.due_on(ended)
    keys = Notification.objects.filter(key__startswith="end_")
    about = [lambda: [m for m in mailoutbox if m.subject in {n.subject for n in keys.all()}]]
    for day, expected in [
        (due - datetime.timedelta(days=20), 0),  # not yet
        (due - datetime.timedelta(days=10), 1),  # soon
        (due - datetime.timedelta(days=9), 1),  # the same reminder is not sent again
        (due, 2),  # the day
        (due + datetime.timedelta(days=7), 3),  # a week late
        (due + datetime.timedelta(days=8), 3),
    ]:
        send_award_notices(day)
        assert len(about[0]()) == expected, day
    submitted_accounts(ended, slagelse_applicant)
    send_award_notices(due + datetime.timedelta(days=14))
    assert len(about[0]()) == 3  # the accounts are in: no more reminders


def test_siri_s_decisions_on_the_end_are_told_to_the_municipality_once(
    ended: Grant, slagelse_applicant: Any, reviewer: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    accounts = submitted_accounts(ended, slagelse_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        closing.return_final_accounts(accounts.pk, reviewer, "Revisorerklæringen er ikke underskrevet.")
    told = [m for m in mailoutbox if "Revisorerklæringen er ikke underskrevet." in m.body]
    assert len(told) == 1 and slagelse_applicant.email in told[0].to
