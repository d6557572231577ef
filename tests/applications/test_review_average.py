"""An application keeps the average of its counting reviews (`Application.review_average`), which
the review queue sorts by: written whenever a review is saved or deleted, by the service or not."""

from __future__ import annotations

from typing import Any

import pytest

from applications import services
from applications.models import Application, Review

from ..conftest import REASONS, make_complete_draft
from .averages import wrong_averages

pytestmark = pytest.mark.django_db


def _review(application: Application, who: Any, goals: int | None) -> None:
    """A review scoring the goals `goals`, or a declared conflict of interest (None)."""
    data = {"scores": {"Mål": goals, "Organisering": 3}, "reasons": REASONS, "recommendation": "reject"}
    services.save_review(application.pk, who, data if goals is not None else {"conflict_of_interest": True})


def _average(application: Application) -> int | None:
    return Application.objects.values_list("review_average", flat=True).get(pk=application.pk)


def test_the_stored_average_follows_the_reviews(
    pool: Any, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    application = make_complete_draft(pool, slagelse_applicant)
    services.submit(application.pk, slagelse_applicant)
    assert _average(application) is None  # nothing to average

    _review(application, reviewer, 5)
    _review(application, second_reviewer, 2)
    totals = list(Review.objects.filter(application=application).values_list("total", flat=True))
    assert _average(application) == round(sum(totals) / len(totals) * 100)
    assert not wrong_averages()

    _review(application, second_reviewer, None)  # a conflict of interest does not count
    assert _average(application) == round(Review.objects.get(reviewer=reviewer).total * 100)
    Review.objects.filter(reviewer=reviewer).get().delete()  # outside the services too
    assert _average(application) is None
    assert not wrong_averages()
