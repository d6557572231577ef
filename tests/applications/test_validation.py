"""What the API says about wrong or incomplete input: 400 naming the field, every problem at once,
nothing saved, and never a 500."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import (
    Application,
    BudgetLine,
    Goal,
    Grant,
    JournalCounter,
    PoliticalApproval,
    Pool,
    Review,
    State,
    TargetGroup,
    TransitionLog,
)

from ..conftest import DECLARATION, application_in_state, client_for, make_complete_draft, make_pool, review

API = "/api/v1"


def _url(application: Application, rest: str = "") -> str:
    return f"{API}/applications/{application.pk}/{rest}"


@pytest.fixture
def draft(pool: Pool, slagelse_applicant: Any) -> Application:
    return make_complete_draft(pool, slagelse_applicant)


@pytest.fixture
def applicant(slagelse_applicant: Any) -> Any:
    return client_for(slagelse_applicant)


# CVR -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cvr", "expected"),
    [("29188505", 200), ("29188506", 400), ("2918850", 400), ("291885050", 400), ("abcdefgh", 400)],
)
def test_cvr_needs_eight_digits_and_a_valid_check_digit(
    draft: Application, applicant: Any, cvr: str, expected: int
) -> None:
    response = applicant.patch(_url(draft), {"cvr": cvr}, format="json")

    assert response.status_code == expected, response.content
    draft.refresh_from_db()
    if expected == 400:
        assert list(response.json()) == ["cvr"]
    assert draft.cvr == (cvr if expected == 200 else "29188505")


def test_invalid_cvr_on_create_is_named(pool: Pool, applicant: Any) -> None:
    response = applicant.post(f"{API}/applications/", {"pool": pool.pk, "title": "X", "cvr": "29188506"}, format="json")
    assert response.status_code == 400
    assert "cvr" in response.json()
    assert not Application.objects.exists()


# Dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"start_date": "2028-06-01", "end_date": "2028-01-01"},
        {"end_date": "2020-01-01"},  # before the start already on the application
    ],
)
def test_a_project_cannot_end_before_it_starts(draft: Application, applicant: Any, body: dict[str, str]) -> None:
    before = (draft.start_date, draft.end_date)
    response = applicant.patch(_url(draft), body, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()
    draft.refresh_from_db()
    assert (draft.start_date, draft.end_date) == before


@pytest.mark.parametrize("value", ["31.12.2027", "2027-02-30", "tomorrow", 20270101])
def test_malformed_dates_are_400(draft: Application, applicant: Any, value: Any) -> None:
    response = applicant.patch(_url(draft), {"start_date": value}, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()


# Amounts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2030, "category": "activities", "amount": "-1"}, "amount"),
        ({"year": 2030, "category": "activities", "amount": "abc"}, "amount"),
        ({"year": 2030, "category": "activities", "amount": "1" * 20}, "amount"),
        ({"year": 2030, "category": "activities", "amount": "100", "fte": "-0.5"}, "fte"),
        ({"year": 1999, "category": "activities", "amount": "100"}, "year"),
        ({"year": 2030, "category": "travel", "amount": "100"}, "category"),
    ],
)
def test_invalid_budget_lines_are_refused(draft: Application, applicant: Any, body: dict[str, Any], field: str) -> None:
    response = applicant.post(_url(draft, "budget-lines/"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert draft.budget_lines.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Fremmøde", "kind": "percentage", "target_value": "150"}, "target_value"),
        ({"title": "Fremmøde", "kind": "percentage", "target_value": "70", "baseline": "101"}, "baseline"),
        ({"title": "Kvinder i job", "kind": "count", "target_value": "-3"}, "target_value"),
        ({"title": "Kvinder i job", "kind": "people", "target_value": "3"}, "kind"),
        ({"title": "Kvinder i job", "kind": "count", "target_value": "3", "target_group": 999999}, "target_group"),
    ],
)
def test_invalid_goals_are_refused(draft: Application, applicant: Any, body: dict[str, Any], field: str) -> None:
    response = applicant.post(_url(draft, "goals/"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert draft.goals.count() == 1


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"kind": "percentage", "target_value": "70", "cumulative": True},
            {
                "cumulative": [
                    "A percentage or an average is held at a point in time and is never added up: it cannot be "
                    "cumulative."
                ]
            },
        ),
        (
            {"kind": "average", "target_value": "4", "cumulative": True},
            {
                "cumulative": [
                    "A percentage or an average is held at a point in time and is never added up: it cannot be "
                    "cumulative."
                ]
            },
        ),
        (
            {"kind": "count", "target_value": "35", "cumulative": True, "ramp_quarters": 2},
            {
                "ramp_quarters": [
                    "Only a level goal ramps up; a cumulative goal already rises from its baseline over the whole "
                    "period."
                ]
            },
        ),
        (
            {"kind": "count", "target_value": "35", "cohort_months": 12},
            {
                "cohort_months": [
                    "Only a share (a percentage held at a point in time) is measured on a cohort, e.g. 40 % "
                    "self-supporting 12 months after enrolment."
                ]
            },
        ),
    ],
)
def test_kinds_of_goal_that_make_no_sense_are_refused_with_a_reason(
    draft: Application, applicant: Any, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    response = applicant.post(_url(draft, "goals/"), {"title": "Mål", **body}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    assert response.json() == errors
    assert draft.goals.count() == 1


def test_every_problem_of_a_goals_kind_is_named_at_once(draft: Application, applicant: Any) -> None:
    body = {"title": "Mål", "kind": "average", "target_value": "4", "cumulative": True}
    response = applicant.post(_url(draft, "goals/"), body | {"ramp_quarters": 1, "cohort_months": 6}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"cumulative", "ramp_quarters", "cohort_months"}
    # Turning a level into a cumulative count: the percentage it was cannot add up either.
    goal = draft.goals.get()
    level = applicant.patch(_url(draft, f"goals/{goal.pk}/"), {"cumulative": False, "kind": "percentage"})
    assert level.status_code == 200, level.content
    back = applicant.patch(_url(draft, f"goals/{goal.pk}/"), {"cumulative": True}, format="json")
    assert back.status_code == 400 and set(back.json()) == {"cumulative"}
    assert Goal.objects.get(pk=goal.pk).cumulative is False


@pytest.mark.parametrize(
    ("body", "cumulative", "ramp", "cohort"),
    [
        ({"kind": "count", "target_value": "15"}, True, 0, None),  # a count adds up unless told otherwise
        ({"kind": "percentage", "target_value": "70"}, False, 0, None),  # a share is a level
        ({"kind": "average", "target_value": "4.5"}, False, 0, None),
        ({"kind": "count", "target_value": "20", "cumulative": False}, False, 0, None),  # people at a time
        ({"kind": "percentage", "target_value": "70", "ramp_quarters": 2}, False, 2, None),
        ({"kind": "percentage", "target_value": "40", "cumulative": False, "cohort_months": 12}, False, 0, 12),
    ],
)
def test_sensible_kinds_of_goal_are_saved(
    draft: Application, applicant: Any, body: dict[str, Any], cumulative: bool, ramp: int, cohort: int | None
) -> None:
    response = applicant.post(_url(draft, "goals/"), {"title": "Mål", **body}, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["cumulative"], response.json()["ramp_quarters"], response.json()["cohort_months"]) == (
        cumulative,
        ramp,
        cohort,
    )


def test_changing_a_goal_into_a_percentage_above_100_is_refused(draft: Application, applicant: Any) -> None:
    goal = draft.goals.get()
    body = {"kind": "percentage", "target_value": "150"}
    response = applicant.patch(_url(draft, f"goals/{goal.pk}/"), body, format="json")
    assert response.status_code == 400
    assert "target_value" in response.json()
    assert Goal.objects.get(pk=goal.pk).kind == "count"


def test_a_goal_cannot_point_at_another_applications_target_group(
    pool: Pool, draft: Application, applicant: Any, gribskov_applicant: Any
) -> None:
    theirs = make_complete_draft(pool, gribskov_applicant, code="270").target_groups.first()
    body = {"title": "Unge i job", "kind": "count", "target_value": "15", "target_group": theirs.pk}
    response = applicant.post(_url(draft, "goals/"), body, format="json")
    assert response.status_code == 400
    assert "target_group" in response.json()
    assert draft.goals.count() == 1


def test_a_second_budget_line_for_the_same_year_and_category_is_400(draft: Application, applicant: Any) -> None:
    line = draft.budget_lines.get()
    duplicate = {"year": line.year, "category": line.category, "amount": "5"}
    response = applicant.post(_url(draft, "budget-lines/"), duplicate, format="json")
    assert response.status_code == 400
    assert "category" in response.json()

    other = BudgetLine.objects.create(application=draft, year=line.year, category="audit", amount=Decimal(10))
    response = applicant.patch(_url(draft, f"budget-lines/{other.pk}/"), {"category": line.category}, format="json")
    assert response.status_code == 400
    assert BudgetLine.objects.get(pk=other.pk).category == "audit"


# Grants --------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["1000000.01", "abc", "", "0", "-5", "1e400", None])
def test_grant_amount_must_be_a_positive_sum_within_what_was_requested(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, amount: Any
) -> None:
    application = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(application, reviewer)

    response = client_for(reviewer).post(_url(application, "grant/"), {"amount": amount}, format="json")

    assert response.status_code == 400, response.content
    assert "amount" in response.json()
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED
    assert not Grant.objects.exists()


def test_grant_cannot_exceed_what_is_left_in_the_pool(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool(total_budget=Decimal("1500000"), max_grant=Decimal("1500000"))
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)  # 900.000 kr. granted
    second = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(second, reviewer)
    siri = client_for(reviewer)

    too_much = siri.post(_url(second, "grant/"), {"amount": "1000000"}, format="json")
    assert too_much.status_code == 400
    assert "amount" in too_much.json()
    assert siri.get(f"{API}/pools/{pool.pk}/").json()["remaining_budget"] == "600000.00"

    exactly_the_rest = siri.post(_url(second, "grant/"), {"amount": 600000}, format="json")
    assert exactly_the_rest.status_code == 200
    assert siri.get(f"{API}/pools/{pool.pk}/").json()["remaining_budget"] == "0.00"


# Reviews -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scores",
    [
        {"Mål": 0, "Organisering": 3},
        {"Mål": 6, "Organisering": 3},
        {"Mål": 4},
        {"Mål": 4, "Organisering": 3, "Pris": 2},
        {"Mål": 3.5, "Organisering": 3},
        {"Mål": "4", "Organisering": 3},
        {"Mål": True, "Organisering": 3},
    ],
)
def test_every_criterion_is_scored_1_to_5(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, scores: dict[str, Any]
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    body = {"scores": scores, "recommendation": "grant"}
    response = client_for(reviewer).post(_url(application, "reviews/"), body, format="json")
    assert response.status_code == 400, response.content
    assert "scores" in response.json()
    assert not Review.objects.exists()


@pytest.mark.parametrize("body", [{"scores": {"Mål": 4, "Organisering": 3}}, {"scores": "4", "recommendation": "x"}])
def test_a_review_needs_a_recommendation_and_a_dict_of_scores(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, body: dict[str, Any]
) -> None:
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    response = client_for(reviewer).post(_url(application, "reviews/"), body, format="json")
    assert response.status_code == 400
    assert not Review.objects.exists()


# Submitting ----------------------------------------------------------------------------------


def test_an_incomplete_submit_names_every_problem_at_once_and_changes_nothing(pool: Pool, applicant: Any) -> None:
    created = applicant.post(f"{API}/applications/", {"pool": pool.pk, "title": "Kun en titel"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]

    response = applicant.post(f"{API}/applications/{pk}/submit/")

    assert response.status_code == 400
    problems = response.json()
    expected = {
        "purpose", "target_group_description", "current_effort", "approach", "objectives", "methods",
        "political_anchoring", "management", "cross_sector_ownership", "continuation", "committee_briefing",
        "anchoring", "declared_by_name", "declared_by_title", "declaration", "grant_responsible_name",
        "grant_responsible_title",
        "grant_responsible_email", "measures", "start_date", "end_date", "target_groups", "goals",
        "budget_lines",
    }  # fmt: skip
    assert expected <= set(problems), expected - set(problems)
    assert "title" not in problems
    assert all(isinstance(m, list) and m and all(isinstance(x, str) for x in m) for m in problems.values())
    application = Application.objects.get(pk=pk)
    assert (application.state, application.journal_number, application.submitted_at) == (State.DRAFT, None, None)
    assert not TransitionLog.objects.filter(application=application).exists()
    assert not JournalCounter.objects.filter(last__gt=0).exists()


def test_journal_numbers_count_up_within_the_year(pool: Pool, slagelse_applicant: Any, applicant: Any) -> None:
    year = timezone.localdate().year
    first, second = make_complete_draft(pool, slagelse_applicant), make_complete_draft(pool, slagelse_applicant)

    numbers = [
        applicant.post(_url(a, "submit/"), DECLARATION, format="json").json()["journal_number"] for a in (first, second)
    ]

    assert numbers == [f"{year}-0001", f"{year}-0002"]


def test_submit_outside_the_pool_window_is_400_naming_the_pool(slagelse_applicant: Any, applicant: Any) -> None:
    today = timezone.localdate()
    pool = make_pool(opens_on=today + timedelta(days=10), closes_on=today + timedelta(days=40))
    application = make_complete_draft(pool, slagelse_applicant)
    response = applicant.post(_url(application, "submit/"), DECLARATION, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["pool"]
    application.refresh_from_db()
    assert application.state == State.DRAFT


# Political approvals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"municipality": "330", "status": "approved"}, {"decided_on", "body"}),
        ({"municipality": "330", "status": "approved", "decided_on": "2099-01-01", "body": "Byrådet"}, {"decided_on"}),
        ({"municipality": "330", "status": "approved", "decided_on": "2025-02-30", "body": "B"}, {"decided_on"}),
        ({"municipality": "999", "status": "pending"}, {"municipality"}),
        ({"municipality": "330", "status": "maybe"}, {"status"}),
    ],
)
def test_invalid_political_approvals_are_refused(
    draft: Application, applicant: Any, body: dict[str, Any], fields: set[str]
) -> None:
    response = applicant.post(_url(draft, "political-approvals/"), body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert not PoliticalApproval.objects.exists()


# Malformed requests --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ['{"title": ', "[]", "null", '"title"', "\x00"])
def test_malformed_json_is_400(draft: Application, applicant: Any, raw: str) -> None:
    for method in (applicant.patch, applicant.post):
        url = _url(draft) if method == applicant.patch else f"{API}/applications/"
        response = method(url, raw, content_type="application/json")
        assert response.status_code == 400, (method, response.content)
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "query",
    ["state=bogus", "municipality=999", "municipality=abc", "pool=abc", "state=draft&state=nope"],
)
def test_unknown_filter_values_are_400(slagelse_applicant: Any, applicant: Any, query: str) -> None:
    response = applicant.get(f"{API}/applications/?{query}")
    assert response.status_code == 400, response.content


def test_a_pool_id_beyond_any_integer_is_not_a_500(slagelse_applicant: Any, applicant: Any) -> None:
    response = applicant.get(f"{API}/applications/?pool=99999999999999999999")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 200:
        assert response.json()["count"] == 0


def test_unknown_region_filter_on_municipalities_is_400(applicant: Any) -> None:
    assert applicant.get(f"{API}/municipalities/?region=atlantis").status_code == 400
    assert applicant.get(f"{API}/municipalities/?region=sjaelland").json()["count"] == 17


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pool": 999999, "title": "X"}, "pool"),
        ({"pool": "abc", "title": "X"}, "pool"),
        ({"title": "X"}, "pool"),
        ({"pool": "{pool}", "title": ""}, "title"),
        ({"pool": "{pool}", "title": "X", "lead_municipality": "270"}, "lead_municipality"),
        ({"pool": "{pool}", "title": "X", "partner_municipalities": ["330"]}, "partner_municipalities"),
        ({"pool": "{pool}", "title": "X", "partner_municipalities": ["999"]}, "partner_municipalities"),
        ({"pool": "{pool}", "title": "X", "measures": ["juggling"]}, "measures"),
        ({"pool": "{pool}", "title": "X", "grant_responsible_email": "ikke-en-mail"}, "grant_responsible_email"),
    ],
)
def test_invalid_applications_are_not_created(pool: Pool, applicant: Any, body: dict[str, Any], field: str) -> None:
    if body.get("pool") == "{pool}":
        body = {**body, "pool": pool.pk}
    response = applicant.post(f"{API}/applications/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Application.objects.exists()


def test_an_application_cannot_be_created_in_a_closed_pool(applicant: Any) -> None:
    today = timezone.localdate()
    closed = make_pool(opens_on=today - timedelta(days=40), closes_on=today - timedelta(days=1))
    response = applicant.post(f"{API}/applications/", {"pool": closed.pk, "title": "For sent"}, format="json")
    assert response.status_code == 400
    assert "pool" in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"size": -1, "name": "unge"}, "size"),
        ({"size": 10**20, "name": "unge"}, "size"),
        ({"size": 10, "name": ""}, "name"),
        ({"size": "mange", "name": "unge"}, "size"),
    ],
)
def test_invalid_target_groups_are_refused(
    draft: Application, applicant: Any, body: dict[str, Any], field: str
) -> None:
    response = applicant.post(_url(draft, "target-groups/"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert TargetGroup.objects.filter(application=draft).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"closes_on": "2020-01-01"}, "closes_on"),
        ({"max_grant": "20000000"}, "max_grant"),
        ({"total_budget": "-1"}, "total_budget"),
        ({"criteria": [{"name": "Mål", "weight": "1"}, {"name": "Mål", "weight": "2"}]}, "criteria"),
        ({"criteria": [{"name": "Mål", "weight": "0"}]}, "criteria"),
        ({"criteria": "Mål"}, "criteria"),
    ],
)
def test_invalid_pool_changes_are_refused(pool: Pool, pool_admin: Any, body: dict[str, Any], field: str) -> None:
    response = client_for(pool_admin).patch(f"{API}/pools/{pool.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    fresh = Pool.objects.get(pk=pool.pk)
    assert (fresh.total_budget, fresh.closes_on, fresh.max_grant) == (pool.total_budget, pool.closes_on, pool.max_grant)
    assert list(fresh.criteria.values_list("name", "weight")) == [("Mål", 3), ("Organisering", 1)]
