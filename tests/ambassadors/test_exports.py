"""The ambassador reports as CSV and Excel on the API list: the rows the list shows, no other
municipality's, Danish headers and counts as numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from ambassadors.models import Theme

from ..conftest import client_for
from ..conftest import page_client_for as page_client

API = "/api/v1/ambassador-reports/"
DA = {"HTTP_ACCEPT_LANGUAGE": "da"}


def read_csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("persona", "municipalities", "count"),
    [
        ("reviewer", {"Slagelse", "Gribskov"}, 2),  # SIRI: handed in, never a draft
        ("ambassador", {"Slagelse"}, 2),  # their own draft too
        ("gribskov_applicant", {"Gribskov"}, 1),
    ],
)
def test_the_export_holds_what_the_list_shows(
    network: dict[str, Any],
    personas: dict[str, Any],
    persona: str,
    municipalities: set[str],
    count: int,
) -> None:
    client = client_for(personas[persona])
    listed = client.get(API).json()["count"]
    header, *rows = read_csv(client.get(API, {"format": "csv"}, **DA))
    assert header[:6] == ["Ambassadør", "Kommune", "År", "Kvartal", "Status", "Indsendt"]
    assert header[6] == "Virksomhedskontakter"
    assert len(rows) == listed == count
    assert {row[1] for row in rows} == municipalities
    assert {row[6] for row in rows} == {"4"}


def test_the_excel_export_has_counts_as_numbers(
    network: dict[str, Any],
    reviewer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    with django_assert_max_num_queries(6):
        response = client_for(reviewer).get(API, {"format": "xlsx", "state": "submitted"}, **DA)
        content = b"".join(response.streaming_content)
    _header, *rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows())
    assert len(rows) == 2
    assert all(row[6].value == 4 and row[6].number_format == "#,##0" for row in rows)


# The catalogue ---------------------------------------------------------------------------------


def test_the_catalogue_page_exports_what_it_lists(network: dict[str, Any], reviewer: Any) -> None:
    browser = page_client(reviewer)
    browser.defaults.update(DA)
    page = browser.get("/best-practices/", {"theme": Theme.COMPANY_COOPERATION}).content.decode()
    assert "Hent som CSV" in page and 'href="/best-practices/?theme=company_cooperation&amp;format=csv"' in page
    header, *rows = read_csv(browser.get("/best-practices/", {"format": "csv"}))
    assert header[:4] == ["Titel", "Kommune", "Tema", "Status"]
    # Published entries only, as the page: SIRI sees the proposal in its own section, not here.
    assert [row[0] for row in rows] == ["Virksomhedsnetværk"]
    assert read_csv(browser.get("/best-practices/", {"format": "csv", "q": "ingenting"}))[1:] == []
    assert len(read_csv(browser.get("/best-practices/", {"format": "csv", "q": "virksomhedsnetværk"}))) == 2


@pytest.mark.parametrize(("persona", "titles"), [("reviewer", 2), ("ambassador", 2), ("gribskov_applicant", 1)])
def test_the_catalogue_api_export_holds_what_the_list_holds(
    network: dict[str, Any],
    personas: dict[str, Any],
    persona: str,
    titles: int,
) -> None:
    client = client_for(personas[persona])
    listed = [entry["title"] for entry in client.get("/api/v1/best-practices/").json()["results"]]
    rows = read_csv(client.get("/api/v1/best-practices/", {"format": "csv"}))[1:]
    assert [row[0] for row in rows] == listed and len(rows) == titles
