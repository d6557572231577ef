"""The review's stored weighted total and the queue's average of them in the database: the
service stores what `Review.weighted_total` computes, the migration fills the reviews given
before, and the average rounds as `Decimal.quantize` does (half to even) on every database."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from applications import services
from applications.models import Application, Review
from applications.models.review import recount_averages

from ..conftest import REASONS, _person, make_complete_draft
from ..databases import migrate_to
from .test_views_review import client, queue_rows

BEFORE = [("applications", "0015_pool_closing_terms")]
AFTER = [("applications", "0016_review_total")]


@pytest.mark.django_db
def test_the_service_stores_the_weighted_total_and_none_for_a_conflict(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = make_complete_draft(pool, slagelse_applicant)
    services.submit(application.pk, slagelse_applicant)
    scores = {"Mål": 4, "Organisering": 1}  # weights 3 and 1: 13 / 4
    services.save_review(application.pk, reviewer, {"scores": scores, "reasons": REASONS, "recommendation": "reject"})
    review = Review.objects.get(application=application, reviewer=reviewer)
    assert review.total == Decimal("3.25") == review.weighted_total()
    services.save_review(application.pk, reviewer, {"conflict_of_interest": True})
    assert Review.objects.get(pk=review.pk).total is None


@pytest.mark.django_db
def test_the_average_rounds_half_to_even_and_ties_fall_as_before(
    pool: Any, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    """Totals whose mean lies on a half, or between: the queue shows and sorts by the mean as
    Python rounds it; tied applications come by id, turned round when descending; the unscored
    last by id either way."""
    third = _person("reviewer3", "reviewer")
    plans = {
        "A": ("3.33", "3.34"),  # 3.335 → 3.34
        "B": ("3.32", "3.33"),  # 3.325 → 3.32
        "C": ("3.34", "3.34"),  # a tie with A
        "D": ("1.00", "1.01"),  # 1.005 → 1.00
        "E": ("3.33", "3.34", "3.34"),  # 3.3367 → 3.34: another tie with A
        "F": ("2.00", "2.00", "2.01"),  # 2.0033 → 2.00
        "G": (),
        "H": (),
        # Ties only when the halves go to even: rounded half up, or not at all, I and J came first.
        "I": ("3.32",),
        "J": ("1.00",),
    }
    names: dict[str, str] = {}
    expected: dict[str, Decimal | None] = {}
    for name, totals in plans.items():
        application = make_complete_draft(pool, slagelse_applicant)
        services.submit(application.pk, slagelse_applicant)
        application = Application.objects.get(pk=application.pk)
        names[application.journal_number] = name
        for who, total in zip((reviewer, second_reviewer, third), totals, strict=False):
            data = {"scores": {"Mål": 3, "Organisering": 3}, "reasons": REASONS, "recommendation": "reject"}
            services.save_review(application.pk, who, data)
            # A total no pool of `make_pool` gives (its weights make quarters): the halves to round.
            Review.objects.filter(application=application, reviewer=who).update(total=Decimal(total))
        # `update` sends no signal: the application's stored average is written after, as a seed does.
        recount_averages(Application.objects.filter(pk=application.pk))
        mean = sum((Decimal(t) for t in totals), Decimal(0)) / len(totals) if totals else None
        expected[name] = mean.quantize(Decimal("0.01")) if mean is not None else None
    browser = client(reviewer)
    url = reverse("applications:queue")

    def order(sort: str) -> list[str]:
        return [names[row] for row in queue_rows(browser.get(url, {"sort": sort}))]

    shown = {names[row.application.journal_number]: row.average for row in browser.get(url).context["rows"]}
    assert shown == expected
    assert expected["A"] == expected["C"] == expected["E"] == Decimal("3.34") and expected["B"] == Decimal("3.32")
    assert order("score") == ["D", "J", "F", "B", "I", "A", "C", "E", "G", "H"]
    assert order("-score") == ["E", "C", "A", "I", "B", "F", "J", "D", "G", "H"]


# On SQLite only, as tests/monitoring/test_goal_migrations.py says why.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="migrates the shared test database back")
@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_totals_of_the_reviews_given_before() -> None:
    try:
        old = migrate_to(BEFORE)
        user_model = old.get_model("auth", "User")
        pool = old.get_model("applications", "Pool").objects.create(
            name="Gammel pulje",
            total_budget=Decimal(1000000),
            max_grant=Decimal(800000),
            opens_on=datetime.date(2026, 1, 1),
            closes_on=datetime.date(2026, 3, 1),
        )
        criterion = old.get_model("applications", "Criterion")
        criterion.objects.create(pool=pool, name="Mål", weight=Decimal(2), position=0)
        criterion.objects.create(pool=pool, name="Økonomi", weight=Decimal(1), position=1)
        application = old.get_model("applications", "Application").objects.create(
            pool=pool,
            lead_municipality=old.get_model("applications", "Municipality").objects.get(code="330"),
            title="Jobenheden",
            state="submitted",
        )
        review = old.get_model("applications", "Review").objects
        scored = review.create(
            application=application, reviewer=user_model.objects.create(username="a"), scores={"Mål": 5, "Økonomi": 2}
        )
        conflict = review.create(
            application=application, reviewer=user_model.objects.create(username="b"), conflict_of_interest=True
        )

        new = migrate_to(AFTER).get_model("applications", "Review")
        assert new.objects.get(pk=scored.pk).total == Decimal("4.00")  # (2×5 + 2) / 3
        assert new.objects.get(pk=conflict.pk).total is None
    finally:
        migrate_to()
