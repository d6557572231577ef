"""A search answers one page at a time (issue 16): the database ranks, counts and cuts the page,
and only the page's hits are highlighted. The queries of a page of hits are the same whether
30 or 120 entries match, on the page and in the API, on SQLite's fallback and on PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import BestPractice, PracticeState, Theme
from ambassadors.search import refresh_vectors, search
from ambassadors.views.catalogue import PAGE_SIZE
from applications.models import Municipality

from ..conftest import client_for, page_client_for

pytestmark = pytest.mark.django_db

# A page of hits, whatever their number: the session and user, the count, the page, its
# highlights (a query of their own on PostgreSQL), the entries' municipalities and contacts; the
# API the same without the page frame, and with the entries' attachments.
PAGE_QUERIES = 11
API_QUERIES = 7


@pytest.fixture(params=["configured", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    return request.param


def _entries(count: int) -> None:
    """`count` published entries that all match "virksomhed", most often in the later ones."""
    municipalities = list(Municipality.objects.order_by("code")[:10])
    BestPractice.objects.bulk_create(
        BestPractice(
            municipality=municipalities[number % len(municipalities)],
            theme=Theme.COMPANY_COOPERATION,
            title=f"Virksomhedssamarbejde nr. {number}",
            summary=" ".join(["Ambassadøren besøger en virksomhed."] * (1 + number % 7)),
            tags=["virksomheder"],
            state=PracticeState.PUBLISHED,
            published_at=timezone.now(),
        )
        for number in range(count)
    )
    refresh_vectors(BestPractice.objects.all())


def _queries(call: Any) -> int:
    """How many queries `call` makes; and every one that builds entries or highlights them reads
    one page of them: cut by LIMIT or by the page's ids. (SQLite's fallback matches over the
    texts of every candidate in one narrow query, pk, title, summary and tags, and builds none.)"""
    with CaptureQueriesContext(connection) as captured:
        call()
    for query in captured.captured_queries:
        sql = query["sql"]
        selected = sql.split(" FROM ", 1)[0]
        builds = '"ambassadors_bestpractice"."municipality_id"' in selected
        if (builds and '"ambassadors_bestpractice"."summary"' in selected) or "ts_headline" in selected.lower():
            ids = re.search(r'"ambassadors_bestpractice"\."id" IN \(([^)]*)\)', sql)
            assert f"LIMIT {PAGE_SIZE}" in sql or (ids and ids.group(1).count(",") < PAGE_SIZE), sql
    return len(captured.captured_queries)


@pytest.mark.parametrize("size", [30, 120])
def test_a_page_of_hits_is_ranked_and_cut_in_the_database(database: str, size: int) -> None:
    _entries(size)
    hits = search(BestPractice.objects.published().select_related("municipality"), "virksomhed")

    assert len(hits) == size
    first, second = hits[0:PAGE_SIZE], hits[PAGE_SIZE : 2 * PAGE_SIZE]
    assert (len(first), len(second)) == (PAGE_SIZE, min(PAGE_SIZE, size - PAGE_SIZE))
    assert all("<mark>" in str(hit.snippet) for hit in first + second)
    # Best first across the whole result, not within a page: page two ranks below page one.
    assert min(hit.rank for hit in first) >= max(hit.rank for hit in second)
    assert [hit.practice.pk for hit in hits[0:5]] == [hit.practice.pk for hit in first[:5]]
    assert hits[PAGE_SIZE].practice == second[0].practice


def _page_and_api_queries(size: int, reviewer: Any, assert_max: Any) -> tuple[int, int]:
    _entries(size)
    page_client = page_client_for(reviewer)
    api = client_for(reviewer)
    url = reverse("ambassadors:catalogue")
    page_client.get(url, {"q": "virksomhed"})  # the session and caches, once
    api.get("/api/v1/best-practices/", {"search": "virksomhed"})

    def page() -> None:
        # The results as htmx swaps them in (the full page adds SIRI's list of proposals).
        response = page_client.get(
            url, {"q": "virksomhed", "page": 1}, headers={"HX-Request": "true", "HX-Target": "catalogue-results"}
        )
        assert response.status_code == 200
        assert response.content.count(b"<mark>") >= PAGE_SIZE

    def listing() -> None:
        response = api.get("/api/v1/best-practices/", {"search": "virksomhed", "page_size": PAGE_SIZE})
        assert response.status_code == 200
        assert response.json()["count"] == size
        assert all("<mark>" in row["snippet"] for row in response.json()["results"])

    with assert_max(PAGE_QUERIES):
        on_page = _queries(page)
    with assert_max(API_QUERIES):
        in_api = _queries(listing)
    return on_page, in_api


def test_the_queries_of_a_page_do_not_grow_with_the_hits(
    database: str, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    small = _page_and_api_queries(30, reviewer, django_assert_max_num_queries)
    BestPractice.objects.all().delete()
    large = _page_and_api_queries(120, reviewer, django_assert_max_num_queries)
    assert small == large
