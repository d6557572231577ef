"""The review that carries a decision (issue 18) and the grant amount's limits (issue 15, item 5):
reviewers assigned by the pool admin, the recommendation with its amount and a second reviewer
above the pool's threshold, a rejection that needs an assessment, and a grant never above what was
applied for, the pool's maximum or what is left in it, refused on the form before the confirmation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application, Assignment, Grant, Pool, Review, State
from core.errors import DomainError
from core.models import ChangeLogEntry

from ..conftest import REASONS, application_in_state, client_for, make_pool, page_client_for, review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """The services' messages in English, as the assertions quote them (pages ask for it too)."""
    with translation.override("en"):
        yield


SCORES = {"Mål": 4, "Organisering": 3}


def browser(user: Any, language: str = "en") -> Any:
    client = page_client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def recommend(application: Application, user: Any, amount: str) -> None:
    data = {"scores": SCORES, "reasons": REASONS, "recommendation": "grant", "amount": Decimal(amount)}
    services.save_review(application.pk, user, data)


@pytest.fixture
def approved(pool: Pool, slagelse_applicant: Any, reviewer: Any) -> Application:
    """Politically approved, asking for 1.000.000 kr., not yet reviewed."""
    return application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)


# Assignment and workload ---------------------------------------------------------------------


def test_the_pool_admin_assigns_reviewers_up_to_what_the_pool_asks_for(
    approved: Application, pool_admin: Any, reviewer: Any, second_reviewer: Any
) -> None:
    Pool.objects.filter(pk=approved.pool_id).update(reviewers_per_application=1)
    services.assign(approved.pk, pool_admin, reviewer)
    with pytest.raises(DomainError) as again:
        services.assign(approved.pk, pool_admin, reviewer)
    assert "assigned to this application already" in str(again.value.errors["reviewer"][0])
    with pytest.raises(DomainError) as full:
        services.assign(approved.pk, pool_admin, second_reviewer)
    assert "asks for 1 reviewer(s)" in str(full.value.errors["reviewer"][0])
    assert list(Assignment.objects.values_list("reviewer__username", flat=True)) == ["reviewer"]
    entry = ChangeLogEntry.objects.of(approved).get()
    assert (entry.by, entry.after["assigned"]) == (pool_admin, True)


def test_a_reviewer_with_a_declared_conflict_is_never_assigned(
    approved: Application, pool_admin: Any, reviewer: Any, second_reviewer: Any
) -> None:
    services.assign(approved.pk, pool_admin, second_reviewer)
    services.save_review(approved.pk, second_reviewer, {"conflict_of_interest": True})
    assert not Assignment.objects.exists()  # declaring the conflict ended the assignment
    with pytest.raises(DomainError) as refused:
        services.assign(approved.pk, pool_admin, second_reviewer)
    assert "declared a conflict of interest" in str(refused.value.errors["reviewer"][0])
    page = page_client_for(pool_admin).get(reverse("applications:assign", args=[approved.pk]))
    options = [str(choice[1]) for choice in page.context["form"].fields["reviewer"].choices]
    assert not any("reviewer2" in option for option in options)
    assert any("reviewer" in option for option in options)


@pytest.mark.parametrize(("persona", "status"), [("pool_admin", 201), ("reviewer", 403), ("gribskov_applicant", 404)])
def test_only_the_pool_admin_assigns_in_the_api(
    approved: Application, personas: dict[str, Any], second_reviewer: Any, persona: str, status: int
) -> None:
    url = f"/api/v1/applications/{approved.pk}/assignments/"
    response = client_for(personas[persona]).post(url, {"reviewer": "reviewer2"}, format="json")
    assert response.status_code == status
    assert Assignment.objects.filter(reviewer=second_reviewer).exists() is (status == 201)


def test_an_unknown_reviewer_is_a_400_naming_the_field(approved: Application, pool_admin: Any) -> None:
    url = f"/api/v1/applications/{approved.pk}/assignments/"
    response = client_for(pool_admin).post(url, {"reviewer": "slagelse"}, format="json")
    assert response.status_code == 400 and "reviewer" in response.json()


def test_the_page_assigns_and_unassigns_and_a_reviewer_may_not(
    approved: Application, pool_admin: Any, reviewer: Any
) -> None:
    url = reverse("applications:assign", args=[approved.pk])
    assert page_client_for(reviewer).post(url, {"reviewer": reviewer.pk}).status_code == 403
    assert page_client_for(pool_admin).post(url, {"reviewer": reviewer.pk}).status_code == 302
    assignment = Assignment.objects.get()
    remove = reverse("applications:unassign", args=[approved.pk, assignment.pk])
    assert page_client_for(reviewer).post(remove).status_code == 403
    assert page_client_for(pool_admin).post(remove).status_code == 302
    assert not Assignment.objects.exists()


def test_the_queue_shows_mine_unassigned_and_each_reviewers_load(
    pool: Pool, slagelse_applicant: Any, pool_admin: Any, reviewer: Any, second_reviewer: Any
) -> None:
    mine = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    other = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    services.assign(mine.pk, pool_admin, reviewer)
    client = page_client_for(reviewer)
    queue = reverse("applications:queue")
    shown = [row.application.pk for row in client.get(queue, {"assigned": "mine"}).context["rows"]]
    assert shown == [mine.pk]
    shown = [row.application.pk for row in client.get(queue, {"assigned": "unassigned"}).context["rows"]]
    assert shown == [other.pk]
    load = {person.username: person.load for person in client.get(queue).context["workload"]}
    assert (load["reviewer"], load["reviewer2"]) == (1, 0)
    api = client_for(reviewer).get("/api/v1/reviewers/").json()
    assert {row["username"]: row["load"] for row in api}["reviewer"] == 1


# The recommendation, and a second reviewer above the pool's threshold -------------------------


def test_a_grant_follows_a_recommendation_to_grant(approved: Application, reviewer: Any) -> None:
    review(approved, reviewer, "reject")
    with pytest.raises(DomainError) as refused:
        services.grant(approved.pk, reviewer, Decimal(500000))
    assert refused.value.kind == DomainError.CONFLICT and "recommending a grant" in str(refused.value.message)


def test_a_grant_above_what_the_reviews_recommend_is_refused(approved: Application, reviewer: Any) -> None:
    recommend(approved, reviewer, "600000")
    with pytest.raises(DomainError) as refused:
        services.grant(approved.pk, reviewer, Decimal(700000))
    assert "600.000 kr. recommended" in str(refused.value.errors["amount"][0])
    services.grant(approved.pk, reviewer, Decimal(600000))
    assert Grant.objects.get().amount == Decimal("600000.00")


def test_above_the_threshold_a_second_reviewer_must_concur(
    approved: Application, reviewer: Any, second_reviewer: Any
) -> None:
    Pool.objects.filter(pk=approved.pool_id).update(concurrence_above=Decimal(500000))
    recommend(approved, reviewer, "800000")
    services.save_review(approved.pk, second_reviewer, {"conflict_of_interest": True})  # does not count
    with pytest.raises(DomainError) as alone:
        services.grant(approved.pk, reviewer, Decimal(800000))
    assert alone.value.kind == DomainError.CONFLICT and "second reviewer" in str(alone.value.message)
    page = browser(reviewer)
    form = page.post(reverse("applications:decide", args=[approved.pk, "grant"]), {"amount": "800.000"})
    assert "second reviewer" in form.content.decode() and not Grant.objects.exists()

    services.grant(approved.pk, reviewer, Decimal(500000))  # at the threshold one is enough
    assert Grant.objects.get().amount == Decimal("500000.00")


def test_a_second_reviewer_concurring_lets_the_grant_through(
    approved: Application, reviewer: Any, second_reviewer: Any
) -> None:
    Pool.objects.filter(pk=approved.pool_id).update(concurrence_above=Decimal(500000))
    recommend(approved, reviewer, "800000")
    recommend(approved, second_reviewer, "700000")  # concurs, but only up to 700.000 kr.
    with pytest.raises(DomainError):
        services.grant(approved.pk, reviewer, Decimal(800000))
    services.grant(approved.pk, reviewer, Decimal(700000))
    assert Grant.objects.get().amount == Decimal("700000.00")


def test_a_recommendation_to_grant_needs_an_amount_within_the_request(approved: Application, reviewer: Any) -> None:
    url = f"/api/v1/applications/{approved.pk}/reviews/"
    body = {"scores": SCORES, "reasons": REASONS, "recommendation": "grant"}
    api = client_for(reviewer)
    assert "amount" in api.post(url, body, format="json").json()
    response = api.post(url, {**body, "amount": "1000000.01"}, format="json")
    assert response.status_code == 400 and "1.000.000 kr." in str(response.json()["amount"])
    assert not Review.objects.exists()
    assert api.post(url, {**body, "amount": "900000"}, format="json").status_code == 201


def test_every_criterion_needs_its_reason(approved: Application, reviewer: Any) -> None:
    url = f"/api/v1/applications/{approved.pk}/reviews/"
    body = {"scores": SCORES, "reasons": {"Mål": "Konkret."}, "recommendation": "reject"}
    response = client_for(reviewer).post(url, body, format="json")
    assert response.status_code == 400 and "Organisering" in str(response.json()["reasons"])


# A rejection needs an assessment --------------------------------------------------------------


def test_a_rejection_needs_an_assessment(pool: Pool, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    api = client_for(reviewer)
    url = f"/api/v1/applications/{application.pk}/reject/"
    response = api.post(url, {"reason": "Uklare mål."}, format="json")
    assert response.status_code == 409
    page = browser(reviewer).get(reverse("applications:decide", args=[application.pk, "reject"]))
    assert "needs an assessment" in page.content.decode()
    review(application, reviewer, "reject")
    assert api.post(url, {"reason": "Uklare mål."}, format="json").status_code == 200
    assert Application.objects.get(pk=application.pk).state == State.REJECTED


# The grant amount's limits (issue 15, item 5) --------------------------------------------------


def test_an_amount_above_the_request_is_refused_on_the_form_before_the_confirmation(
    approved: Application, reviewer: Any
) -> None:
    review(approved, reviewer)  # recommends the 1.000.000 kr. applied for
    url = reverse("applications:decide", args=[approved.pk, "grant"])
    response = browser(reviewer, "da").post(url, {"amount": "1.200.000"})
    errors = " ".join(str(e) for e in response.context["form"].errors["amount"])
    assert "1.000.000 kr." in errors
    assert 'name="confirm"' not in response.content.decode()  # not the confirmation step
    assert not Grant.objects.exists()


def test_an_amount_above_the_pools_maximum_or_whats_left_is_refused(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool(total_budget=Decimal(1400000))
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)  # holds 900.000 kr.
    second = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(second, reviewer)
    Pool.objects.filter(pk=pool.pk).update(max_grant=Decimal(400000))
    with pytest.raises(DomainError) as refused:
        services.grant(second.pk, reviewer, Decimal(600000))
    messages = " ".join(str(m) for m in refused.value.errors["amount"])
    assert "exceed 400.000 kr., the pool's maximum grant" in messages and "Only 500.000 kr. is left" in messages
    response = client_for(reviewer).post(f"/api/v1/applications/{second.pk}/grant/", {"amount": "600000"})
    assert response.status_code == 400 and len(response.json()["amount"]) == 2
    assert Grant.objects.count() == 1
