"""The end's state and permission matrices: which transition each state allows (409 otherwise,
the state named), who may run it (403 for a visible grant, 404 for another municipality's), and
a closed grant read-only everywhere but its follow-ups."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from applications.models import Grant, GrantState
from awards.services import closing
from core.errors import DomainError
from monitoring import economics
from monitoring import services as monitoring_services

from .closing_helpers import accounts_data, ended_grant, report_data, submitted_accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended(slagelse_applicant: Any, reviewer: Any, pool_admin: Any) -> Grant:
    return ended_grant(slagelse_applicant, reviewer, pool_admin)


REPORT_STEPS = ["draft", "submitted", "accepted", "returned"]


def _report_in(state: str, grant: Grant, applicant: Any, reviewer: Any) -> Any:
    report = closing.save_final_report(grant.pk, applicant, report_data(grant))
    if state in ("submitted", "accepted", "returned"):
        closing.submit_final_report(report.pk, applicant)
    if state == "accepted":
        closing.accept_final_report(report.pk, reviewer)
    if state == "returned":
        closing.return_final_report(report.pk, reviewer, "Uddyb forankringen.")
    report.refresh_from_db()
    assert report.state == state
    return report


@pytest.mark.parametrize("state", REPORT_STEPS)
@pytest.mark.parametrize(
    ("action", "allowed_from"),
    [("submit", {"draft", "returned"}), ("accept", {"submitted"}), ("return", {"submitted"})],
)
def test_the_final_report_s_state_matrix(
    state: str, action: str, allowed_from: set[str], ended: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    report = _report_in(state, ended, slagelse_applicant, reviewer)
    run = {
        "submit": lambda: closing.submit_final_report(report.pk, slagelse_applicant),
        "accept": lambda: closing.accept_final_report(report.pk, reviewer),
        "return": lambda: closing.return_final_report(report.pk, reviewer, "Mere om erfaringerne."),
    }[action]
    if state in allowed_from:
        run()
        return
    with pytest.raises(DomainError) as raised:
        run()
    assert raised.value.kind == DomainError.CONFLICT
    report.refresh_from_db()
    assert report.state == state
    assert report.get_state_display().lower() in str(raised.value.message).lower()


@pytest.mark.parametrize(
    ("persona", "write", "decide", "close", "pay"),
    [
        ("slagelse_applicant", True, False, False, False),
        ("gribskov_applicant", False, False, False, False),
        ("reviewer", False, True, True, False),
        ("pool_admin", False, True, True, True),
        ("committee", False, False, False, False),
    ],
)
def test_who_may_do_what_at_the_end(
    persona: str,
    write: bool,
    decide: bool,
    close: bool,
    pay: bool,
    ended: Grant,
    request: pytest.FixtureRequest,
) -> None:
    person = request.getfixturevalue(persona)
    assert person.has_perm("awards.change_finalaccounts", ended) is write
    assert person.has_perm("awards.change_finalreport", ended) is write
    assert person.has_perm("awards.close_award", ended) is close
    accounts = submitted_accounts(ended, request.getfixturevalue("slagelse_applicant"))
    assert person.has_perm("awards.decide_finalaccounts", accounts) is decide
    assert person.has_perm("awards.pay_repayment", ended) is pay
    if not write:
        with pytest.raises(PermissionDenied):
            closing.save_final_report(ended.pk, person, {"lessons": "x"})
    if not decide:
        with pytest.raises(PermissionDenied):
            closing.approve_final_accounts(accounts.pk, person)


@pytest.mark.parametrize("state", [GrantState.ACTIVE, GrantState.CLOSED])
def test_close_is_allowed_only_from_accounts_submitted(
    state: str, ended: Grant, slagelse_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    if state == GrantState.CLOSED:
        report = _report_in("accepted", ended, slagelse_applicant, reviewer)
        assert report
        accounts = submitted_accounts(ended, slagelse_applicant)
        closing.approve_final_accounts(accounts.pk, reviewer)
        closing.close(ended.pk, reviewer)
    with pytest.raises(DomainError) as raised:
        closing.close(ended.pk, reviewer)
    assert raised.value.kind == DomainError.CONFLICT
    ended.refresh_from_db()
    assert ended.state == state


def test_a_closed_grant_is_read_only(ended: Grant, slagelse_applicant: Any, reviewer: Any) -> None:
    _report_in("accepted", ended, slagelse_applicant, reviewer)
    accounts = closing.save_final_accounts(ended.pk, slagelse_applicant, accounts_data(ended))
    closing.submit_final_accounts(accounts.pk, slagelse_applicant)
    closing.approve_final_accounts(accounts.pk, reviewer)
    closing.close(ended.pk, reviewer)
    attempts = [
        lambda: closing.save_final_report(ended.pk, slagelse_applicant, {"lessons": "Mere."}),
        lambda: closing.save_final_accounts(ended.pk, slagelse_applicant, {"auditor_name": "Andet firma"}),
        lambda: economics.save_economics(ended.pk, slagelse_applicant, {"effect_percent": 50}),
        lambda: monitoring_services.create_report(
            ended.pk, slagelse_applicant, {"year": ended.end_date.year, "quarter": 4, "narrative": "x"}
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError) as raised:
            attempt()
        assert raised.value.kind == DomainError.CONFLICT
