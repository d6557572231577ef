"""The demo shows issue 18's review: Slagelse's ambassador application assigned to the reviewer,
assessed with reasons and a recommended amount, and ranked in its pool's round."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Assignment, Pool
from applications.ranking import pool_round

from ..conftest import page_client_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_assigned_assessed_and_ranked_round() -> None:
    call_command("load_demo", stdout=StringIO())
    application = Application.objects.get(pool__name__startswith="Pulje til beskæftigelsesambassadører")
    assert Assignment.objects.get(application=application).reviewer.username == "reviewer"
    review = application.reviews.get()
    assert review.recommendation == "grant" and review.amount == application.requested_total
    assert all(row.reason for row in review.assessments.all())
    pool = Pool.objects.get(pk=application.pool_id)
    rows = pool_round(pool).rows
    assert [(row.pk, row.rank, row.score, row.fits) for row in rows] == [(application.pk, 1, Decimal(4), True)]
    reviewer = review.reviewer
    page = page_client_for(reviewer).get(reverse("applications:ranking", args=[pool.pk]))
    assert application.journal_number in page.content.decode()
