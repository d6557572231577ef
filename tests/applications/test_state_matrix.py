"""Every state × every transition through the API: allowed → the new state, not allowed → 409."""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import Application, State, TransitionLog

from ..conftest import DECLARATION, application_in_state, approve, client_for, review

# transition → (url, who, body, {source state: target state})
TRANSITIONS: dict[str, tuple[str, str, dict[str, Any], dict[str, str]]] = {
    "submit": ("submit", "applicant", DECLARATION, {State.DRAFT: State.SUBMITTED}),
    "grant": ("grant", "reviewer", {"amount": "500000"}, {State.POLITICALLY_APPROVED: State.GRANTED}),
    "reject": (
        "reject",
        "reviewer",
        {"reason": "Mangler konkrete mål."},
        {State.SUBMITTED: State.REJECTED, State.POLITICALLY_APPROVED: State.REJECTED},
    ),
    "return_for_revision": (
        "return-for-revision",
        "reviewer",
        {"reason": "Uddyb budgettet."},
        {State.SUBMITTED: State.DRAFT},
    ),
    "withdraw": (
        "withdraw",
        "applicant",
        {},
        {State.DRAFT: State.WITHDRAWN, State.SUBMITTED: State.WITHDRAWN, State.POLITICALLY_APPROVED: State.WITHDRAWN},
    ),
}

CASES = [(state, name) for state in State.values for name in TRANSITIONS]


@pytest.mark.parametrize(("state", "transition"), CASES)
def test_state_matrix(state: str, transition: str, pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(state, pool, slagelse_applicant, reviewer)
    if state == State.POLITICALLY_APPROVED and transition == "grant":
        review(application, reviewer)
    if state in (State.SUBMITTED, State.POLITICALLY_APPROVED) and transition == "reject":
        review(application, reviewer, "reject")  # a rejection needs an assessment
    url, who, body, allowed = TRANSITIONS[transition]
    user = slagelse_applicant if who == "applicant" else reviewer
    if state == State.DRAFT and who == "reviewer":
        # A reviewer cannot see a draft that was never submitted: it is simply not there.
        response = client_for(user).post(f"/api/v1/applications/{application.pk}/{url}/", body, format="json")
        assert response.status_code == 404
        return
    before = TransitionLog.objects.filter(application=application).count()

    response = client_for(user).post(f"/api/v1/applications/{application.pk}/{url}/", body, format="json")

    application.refresh_from_db()
    if state in allowed:
        assert response.status_code == 200, response.content
        assert response.json()["state"] == allowed[state] == application.state
        entry = TransitionLog.objects.filter(application=application).order_by("at", "id").last()
        assert (entry.transition, entry.source, entry.target, entry.by) == (transition, state, allowed[state], user)
    else:
        assert response.status_code == 409, response.content
        assert "detail" in response.json()
        assert application.state == state
        assert TransitionLog.objects.filter(application=application).count() == before


def test_submit_goes_straight_to_politically_approved_when_approvals_are_on_record(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = application_in_state(State.DRAFT, pool, slagelse_applicant, reviewer)
    approve(application, slagelse_applicant)

    response = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{application.pk}/submit/", DECLARATION, format="json"
    )

    assert response.status_code == 200
    assert response.json()["state"] == State.POLITICALLY_APPROVED
    history = client_for(slagelse_applicant).get(f"/api/v1/applications/{application.pk}/history/").json()
    assert [(h["transition"], h["source"], h["target"]) for h in history] == [
        ("submit", "draft", "submitted"),
        ("approve_politically", "submitted", "politically_approved"),
    ]


def test_last_political_approval_moves_a_submitted_application_on(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    response = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{application.pk}/political-approvals/",
        {"municipality": "330", "status": "approved", "decided_on": "2026-01-15", "body": "Byrådet"},
        format="json",
    )
    assert response.status_code == 201, response.content
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED


def test_pool_without_political_approval_needs_none(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    pool.requires_political_approval = False
    pool.save()
    application = application_in_state(State.DRAFT, pool, slagelse_applicant, reviewer)
    response = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{application.pk}/submit/", DECLARATION, format="json"
    )
    assert response.json()["state"] == State.POLITICALLY_APPROVED


def test_returned_application_keeps_its_journal_number_and_can_be_resubmitted(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    number = application.journal_number
    client_for(reviewer).post(
        f"/api/v1/applications/{application.pk}/return-for-revision/", {"reason": "Uddyb målene."}, format="json"
    )
    patched = client_for(slagelse_applicant).patch(
        f"/api/v1/applications/{application.pk}/", {"objectives": "35 kvinder og 15 unge."}, format="json"
    )
    assert patched.status_code == 200
    again = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{application.pk}/submit/", DECLARATION, format="json"
    )
    assert again.json()["journal_number"] == number
    # The reason the reviewer gave is what the applicant reads in the history.
    history = client_for(slagelse_applicant).get(f"/api/v1/applications/{application.pk}/history/").json()
    assert history[1]["reason"] == "Uddyb målene."


def test_grant_needs_a_review(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    response = client_for(reviewer).post(f"/api/v1/applications/{application.pk}/grant/", {"amount": "1"})
    assert response.status_code == 409
    assert Application.objects.get(pk=application.pk).state == State.POLITICALLY_APPROVED


def test_transition_log_cannot_be_edited(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    entry = TransitionLog.objects.get(application=application)
    entry.reason = "rewritten"
    with pytest.raises(Exception, match="cannot be edited"):
        entry.save()
    with pytest.raises(Exception, match="cannot be edited"):
        entry.delete()
