"""Lists cost a constant number of queries, whatever their length."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import services
from applications.models import Municipality

from ..conftest import client_for, make_complete_draft, make_pool


def _create(count: int, pool: Any, applicant: Any, partner: Any) -> None:
    for _ in range(count):
        application = make_complete_draft(pool, applicant)
        application.partner_municipalities.add(partner)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_application_list_queries_do_not_grow_with_the_list(
    slagelse_applicant: Any, django_assert_max_num_queries: Any
) -> None:
    pool = make_pool()
    partner = Municipality.objects.get(code="270")
    client = client_for(slagelse_applicant)
    url = "/api/v1/applications/?page_size=500"

    _create(5, pool, slagelse_applicant, partner)
    with django_assert_max_num_queries(8):
        five = client.get(url)
    few = _queries(client, url)
    _create(195, pool, slagelse_applicant, partner)
    many = _queries(client, url)

    assert five.json()["count"] == 5
    assert client.get(url).json()["count"] == 200
    assert few == many, f"5 applications took {few} queries, 200 took {many}"


@pytest.mark.django_db
def test_reviewer_queue_queries_do_not_grow_with_the_list(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool()
    partner = Municipality.objects.get(code="270")
    client = client_for(reviewer)
    url = "/api/v1/applications/?state=submitted&page_size=500"

    def submit_more(count: int) -> None:
        for _ in range(count):
            application = make_complete_draft(pool, slagelse_applicant)
            application.partner_municipalities.add(partner)
            services.submit(application.pk, slagelse_applicant)

    submit_more(5)
    few = _queries(client, url)
    submit_more(45)
    many = _queries(client, url)
    assert client.get(url).json()["count"] == 50
    assert few == many


@pytest.mark.django_db
def test_pool_list_queries_do_not_grow(pool_admin: Any) -> None:
    client = client_for(pool_admin)
    make_pool()
    few = _queries(client, "/api/v1/pools/")
    for _ in range(20):
        make_pool()
    assert _queries(client, "/api/v1/pools/") == few


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["detail", "submit"])
def test_the_application_page_reads_each_part_once(client: Any, slagelse_applicant: Any, page: str) -> None:
    """The answers, the approval cards and the budget table with its sums show the same partner
    municipalities and budget lines: each is read once, and the page's queries do not grow with
    the number of partners or lines."""
    pool = make_pool()
    application = make_complete_draft(pool, slagelse_applicant)
    client.force_login(slagelse_applicant)
    url = f"/applications/{application.pk}/" + ("submit/" if page == "submit" else "")
    client.get(url)  # the session's first save is not the page's

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    statements = [query["sql"] for query in captured]
    assert len(statements) == len(set(statements)), "a statement ran twice"

    application.partner_municipalities.add(*Municipality.objects.exclude(code="330")[:3])
    line = application.budget_lines.first()
    for year in (2028, 2029):
        line.pk, line.year = None, year
        line.save()
    assert _queries(client, url) == len(statements)
