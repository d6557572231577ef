"""The best-practice catalogue through the API: searched in Danish with highlights, and filtered.

Every test runs twice: on the configured database, and marked `postgres` on PostgreSQL's Danish
full-text search (fails under CI and skips locally without it)."""

from __future__ import annotations

from typing import Any

import pytest

from ambassadors import services
from ambassadors.demo import load_catalogue

from .network import API, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["configured", pytest.param("postgres", marks=pytest.mark.postgres)])
def catalogue(request: pytest.FixtureRequest, reviewer: Any) -> None:
    if request.param == "postgres":
        request.getfixturevalue("postgres")
    load_catalogue(reviewer)


def test_search_returns_the_match_first_with_highlights(
    catalogue: None, slagelse_applicant: Any, reviewer: Any
) -> None:
    hidden = services.propose_practice(
        reviewer, {"municipality": "330", "theme": "other", "title": "Virksomhed <b>skjult</b>", "summary": "Kladde."}
    )
    client = client_for(slagelse_applicant)
    response = client.get(f"{API}/best-practices/", {"search": "virksomhed"})
    assert response.status_code == 200
    rows = response.json()["results"]
    # Holbæk's "Virksomhedssamarbejdet" and Vesthimmerland's "Virksomhedsintegrationscentre".
    assert {row["municipality"] for row in rows[:2]} == {"316", "820"}
    assert all("<mark>" in row["title_highlighted"] + row["snippet"] for row in rows)
    assert [row["rank"] for row in rows] == sorted((row["rank"] for row in rows), reverse=True)
    assert hidden.pk not in {row["id"] for row in rows}  # a proposal is not in the catalogue yet
    # SIRI sees the proposal, its markup escaped around the mark.
    rows = client_for(reviewer).get(f"{API}/best-practices/", {"search": "virksomhed"}).json()["results"]
    found = next(row for row in rows if row["id"] == hidden.pk)
    assert "&lt;b&gt;" in found["title_highlighted"]
    assert "<b>" not in found["title_highlighted"]

    (empowerment,) = client.get(f"{API}/best-practices/", {"search": "empowerment"}).json()["results"]
    assert empowerment["municipality"] == "810"
    assert empowerment["title_highlighted"] == "<mark>Empowerment</mark>"
    assert "<mark>empowerment</mark>" in empowerment["snippet"]

    plain = client.get(f"{API}/best-practices/").json()
    assert plain["count"] == 15
    assert "rank" not in plain["results"][0]
    assert client.get(f"{API}/best-practices/", {"search": "xyzzy"}).json()["count"] == 0


def test_catalogue_filters(catalogue: None, slagelse_applicant: Any) -> None:
    client = client_for(slagelse_applicant)
    rows = client.get(f"{API}/best-practices/", {"theme": "company_cooperation"}).json()["results"]
    assert rows
    assert {row["theme"] for row in rows} == {"company_cooperation"}
    rows = client.get(f"{API}/best-practices/", {"municipality": "316"}).json()["results"]
    assert {row["municipality_name"] for row in rows} == {"Holbæk"}
    searched = client.get(f"{API}/best-practices/", {"municipality": "316", "search": "virksomhed"}).json()
    assert {row["municipality"] for row in searched["results"]} == {"316"}
    assert client.get(f"{API}/best-practices/", {"theme": "astrology"}).status_code == 400
