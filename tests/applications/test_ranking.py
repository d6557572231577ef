"""A pool's round ranked by weighted score against the money left: the order and the running total
worked out by hand, the page and the API, who may see them, and the queries at two sizes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, Pool, State
from applications.ranking import pool_round

from ..conftest import application_in_state, client_for, make_complete_draft, make_pool, page_client_for

# The pool of make_pool: Mål weighs 3, Organisering 1.
REASONS = {"Mål": "Begrundelse for målene.", "Organisering": "Begrundelse for organiseringen."}


def submitted(pool: Pool, applicant: Any, amount: str) -> Application:
    application = make_complete_draft(pool, applicant, amount=amount)
    services.submit(application.pk, applicant)
    return Application.objects.get(pk=application.pk)


def assess(
    application: Application, reviewer: Any, mål: int, organisering: int, recommendation: str = "reject"
) -> None:
    data: dict[str, Any] = {
        "scores": {"Mål": mål, "Organisering": organisering},
        "reasons": REASONS,
        "recommendation": recommendation,
    }
    if recommendation == "grant":
        data["amount"] = application.requested_total
    services.save_review(application.pk, reviewer, data)


@pytest.fixture
def round_pool(slagelse_applicant: Any, reviewer: Any, second_reviewer: Any, pool_admin: Any) -> dict[str, Any]:
    """3.000.000 kr., of which 900.000 are granted already: 2.100.000 kr. left. By hand:

    | app | asks      | scores (Mål×3, Org×1)         | weighted score        | running total |
    | A   | 1.000.000 | 5, 3                          | (15+3)/4 = 4,50       | 1.000.000     |
    | B   | 1.100.000 | 4, 4 and 3, 5 (two reviews)   | (12+4+9+5)/8 = 3,75   | 2.100.000 fits exactly |
    | C   |   800.000 | 2, 2                          | 2,00                  | 2.900.000 does not fit |
    | F   |   300.000 | 1, 5 (submitted after C)      | (3+5)/4 = 2,00, tie   | 3.200.000     |
    | D   |   600.000 | not assessed                  | –                     | 3.800.000     |
    | E   |   400.000 | only a conflict of interest   | –                     | 4.200.000     |
    """
    pool = make_pool(total_budget=Decimal("3000000.00"))
    application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)  # 900.000 kr.
    apps = {}
    for name, amount in (("C", "800000"), ("F", "300000"), ("A", "1000000"), ("B", "1100000")):
        apps[name] = submitted(pool, slagelse_applicant, amount)
    apps["D"] = submitted(pool, slagelse_applicant, "600000")
    apps["E"] = submitted(pool, slagelse_applicant, "400000")
    assess(apps["A"], reviewer, 5, 3, "grant")
    assess(apps["B"], reviewer, 4, 4, "grant")
    assess(apps["B"], second_reviewer, 3, 5, "grant")
    assess(apps["C"], reviewer, 2, 2)
    assess(apps["F"], reviewer, 1, 5, "revise")
    services.save_review(apps["E"].pk, second_reviewer, {"conflict_of_interest": True})
    return {"pool": pool, **apps}


EXPECTED = [
    # name, score, running total, fits
    ("A", Decimal("4.50"), Decimal("1000000"), True),
    ("B", Decimal("3.75"), Decimal("2100000"), True),
    ("C", Decimal("2.00"), Decimal("2900000"), False),
    ("F", Decimal("2.00"), Decimal("3200000"), False),
    ("D", None, Decimal("3800000"), False),
    ("E", None, Decimal("4200000"), False),
]


def test_the_round_is_ranked_by_weighted_score_with_a_running_total(round_pool: dict[str, Any]) -> None:
    ranked = pool_round(round_pool["pool"])
    assert ranked.remaining_budget == Decimal("2100000.00")
    got = [(row.pk, row.rank, row.score, row.running_total, row.fits) for row in ranked.rows]
    want = [
        (round_pool[name].pk, rank, score, total, fits)
        for rank, (name, score, total, fits) in enumerate(EXPECTED, start=1)
    ]
    assert got == want
    assert [row.pk for row in ranked.fitting] == [round_pool["A"].pk, round_pool["B"].pk]
    assert ranked.fitting_total == Decimal("2100000")
    by_pk = {row.pk: row for row in ranked.rows}
    b = by_pk[round_pool["B"].pk]
    assert (b.reviews_counting, b.recommend_grant, b.recommended_amount) == (2, 2, Decimal("1100000.00"))
    e = by_pk[round_pool["E"].pk]
    assert e.reviews_counting == 0  # a declared conflict does not count


@pytest.mark.postgres
def test_the_ranking_is_the_same_on_postgresql(postgres: None, round_pool: dict[str, Any]) -> None:
    test_the_round_is_ranked_by_weighted_score_with_a_running_total(round_pool)


def test_the_api_lists_the_ranked_round(round_pool: dict[str, Any], reviewer: Any) -> None:
    pool = round_pool["pool"]
    response = client_for(reviewer).get(f"/api/v1/pools/{pool.pk}/ranking/")
    assert response.status_code == 200
    body = response.json()
    assert (body["total_budget"], body["granted_total"], body["remaining_budget"]) == (
        "3000000.00",
        "900000.00",
        "2100000.00",
    )
    rows = body["applications"]
    assert [row["id"] for row in rows] == [round_pool[name].pk for name, *_rest in EXPECTED]
    assert [row["weighted_score"] for row in rows] == ["4.50", "3.75", "2.00", "2.00", None, None]
    assert [row["running_total"] for row in rows] == [
        "1000000.00",
        "2100000.00",
        "2900000.00",
        "3200000.00",
        "3800000.00",
        "4200000.00",
    ]
    assert [row["fits"] for row in rows] == [True, True, False, False, False, False]
    assert rows[0]["journal_number"] == round_pool["A"].journal_number
    assert rows[1]["recommend_grant"] == 2 and rows[2]["recommend_reject"] == 1 and rows[3]["recommend_revise"] == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("pool_admin", 200),
        ("slagelse_applicant", 403),
        ("gribskov_applicant", 403),
        ("ambassador", 403),
        ("committee", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_see_the_ranking_in_the_api(personas: dict[str, Any], pool: Pool, persona: str, status: int) -> None:
    assert client_for(personas[persona]).get(f"/api/v1/pools/{pool.pk}/ranking/").status_code == status


def test_an_unknown_pool_has_no_ranking(reviewer: Any) -> None:
    assert client_for(reviewer).get("/api/v1/pools/999999/ranking/").status_code == 404
    assert page_client_for(reviewer).get(reverse("applications:ranking", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("reviewer", 200),
        ("pool_admin", 200),
        ("slagelse_applicant", 403),
        ("gribskov_applicant", 403),
        ("ambassador", 403),
        ("committee", 403),
        ("anonymous", 302),
    ],
)
def test_who_may_open_the_ranking_page(personas: dict[str, Any], pool: Pool, persona: str, status: int) -> None:
    response = page_client_for(personas[persona]).get(reverse("applications:ranking", args=[pool.pk]))
    assert response.status_code == status


def test_the_page_shows_the_round_in_rank_order_and_what_fits(round_pool: dict[str, Any], reviewer: Any) -> None:
    browser = page_client_for(reviewer)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "da"
    page = browser.get(reverse("applications:ranking", args=[round_pool["pool"].pk])).content.decode()
    positions = [page.index(round_pool[name].journal_number) for name, *_rest in EXPECTED]
    assert positions == sorted(positions)
    assert "2.100.000 kr." in page  # left in the pool, and B's running total
    assert "4,50" in page and "3,75" in page
    assert page.count("Inden for rammen") == 2


def _grow(pool: Pool, applicant: Any, reviewer: Any, count: int) -> None:
    for number in range(count):
        application = submitted(pool, applicant, str(100000 + number))
        assess(application, reviewer, 1 + number % 5, 3)


@pytest.mark.parametrize("size", [3, 12])
def test_the_ranking_takes_the_same_queries_at_any_size(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    _grow(pool, slagelse_applicant, reviewer, size)
    browser = page_client_for(reviewer)
    api = client_for(reviewer)
    with django_assert_max_num_queries(12):
        page = browser.get(reverse("applications:ranking", args=[pool.pk]))
    assert page.status_code == 200
    with django_assert_max_num_queries(8):
        response = api.get(f"/api/v1/pools/{pool.pk}/ranking/")
    assert len(response.json()["applications"]) == size
