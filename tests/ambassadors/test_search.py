"""Searching the best-practice catalogue (the 15 Rambøll entries) in Danish.

Every test runs twice: on the configured database (SQLite's fallback by default, PostgreSQL in
CI's third part), and marked `postgres` on PostgreSQL's Danish full-text search, which fails
under CI and skips locally without it.
"""

from __future__ import annotations

from typing import Any

import pytest

from ambassadors import services
from ambassadors.demo import load_catalogue
from ambassadors.models import BestPractice, PracticeState, Theme
from ambassadors.search import Hit, search

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["configured", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalogue(request: pytest.FixtureRequest, reviewer: Any) -> Any:
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    load_catalogue(reviewer)
    return BestPractice.objects.filter(state=PracticeState.PUBLISHED)


def _places(hits: list[Hit]) -> list[str]:
    return [hit.practice.municipality.code for hit in hits]


def test_company_cooperation_comes_first_for_virksomhed(catalogue: Any) -> None:
    hits = search(catalogue, "virksomhed")
    # Holbæk's "Virksomhedssamarbejdet" and Vesthimmerland's "Virksomhedsintegrationscentre".
    assert set(_places(hits)[:2]) == {"316", "820"}
    assert len(hits) > 2  # others mention companies too, further down
    assert all(hit.practice.theme == Theme.COMPANY_COOPERATION for hit in hits[:2])
    assert [hit.rank for hit in hits] == sorted((hit.rank for hit in hits), reverse=True)


def test_danish_stemming_finds_the_singular_from_the_plural(catalogue: Any, reviewer: Any) -> None:
    singular = services.propose_practice(
        reviewer,
        {
            "municipality": "330",
            "theme": Theme.OTHER,
            "title": "Én virksomhed ad gangen",
            "summary": "Ambassadøren følger én virksomhed tæt.",
        },
    )
    services.publish_practice(singular.pk, reviewer)

    hits = search(catalogue.all(), "virksomheder")
    assert singular in [hit.practice for hit in hits]
    assert {"316", "820"} <= set(_places(hits))


def test_the_match_is_highlighted(catalogue: Any) -> None:
    (hit,) = search(catalogue, "empowerment")
    assert hit.practice.municipality.code == "810"
    assert hit.title == "<mark>Empowerment</mark>"
    assert "<mark>empowerment</mark>" in hit.snippet


def test_markup_in_a_title_is_shown_as_text(catalogue: Any, reviewer: Any) -> None:
    practice = services.propose_practice(
        reviewer,
        {
            "municipality": "330",
            "theme": Theme.EMPOWERMENT,
            "title": '<script>alert("x")</script> Empowerment i <b>praksis</b>',
            "summary": "Empowerment i ambassadørens samtaler med virksomhederne.",
        },
    )
    services.publish_practice(practice.pk, reviewer)

    hit = next(hit for hit in search(catalogue.all(), "empowerment") if hit.practice == practice)
    assert "<script>" not in hit.title and "<b>" not in hit.title
    assert "&lt;script&gt;" in hit.title and "&lt;b&gt;praksis&lt;/b&gt;" in hit.title
    assert "<mark>Empowerment</mark>" in hit.title


def test_filters_by_theme_and_municipality_narrow_the_results(catalogue: Any) -> None:
    everything = search(catalogue, "virksomhed")
    company_cooperation = search(catalogue.filter(theme=Theme.COMPANY_COOPERATION), "virksomhed")
    holbaek = search(catalogue.filter(theme=Theme.COMPANY_COOPERATION, municipality__code="316"), "virksomhed")

    assert len(everything) > len(company_cooperation) > len(holbaek)
    assert set(_places(company_cooperation)) == {"316", "820"}
    assert [hit.practice.title for hit in holbaek] == ["Virksomhedssamarbejdet"]
    assert search(catalogue.filter(theme=Theme.IGU, municipality__code="316"), "virksomhed") == []


def test_an_empty_query_lists_the_whole_catalogue(catalogue: Any) -> None:
    assert len(search(catalogue, "")) == len(search(catalogue, "   ")) == 15
    assert all("<mark>" not in hit.title for hit in search(catalogue, ""))
