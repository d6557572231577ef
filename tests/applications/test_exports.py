"""The applications as CSV and Excel: the review queue's download (with the scores) and the
API list's `?format=csv|xlsx`, each behind the same rules and filters as its page or list."""

from __future__ import annotations

import csv
import io
import tracemalloc
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from applications.models import Application, Municipality, State

from ..conftest import application_in_state, client_for, make_complete_draft, make_pool, page_client_for, review

DA = {"HTTP_ACCEPT_LANGUAGE": "da"}


def danish_client(user: Any) -> Client:
    browser = page_client_for(user)
    browser.defaults.update(DA)
    return browser


def read_csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def read_xlsx(response: Any) -> list[tuple[Any, ...]]:
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(cell for cell in row) for row in sheet.iter_rows()]


@pytest.fixture
def round_(pool: Any, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any) -> dict[str, Application]:
    slagelse = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    review(slagelse, reviewer)  # Mål 4 × 3, Organisering 3 × 1: 3,75
    gribskov = make_complete_draft(pool, gribskov_applicant, code="270", amount="250000.50")
    from applications import services

    services.submit(gribskov.pk, gribskov_applicant)
    draft = make_complete_draft(pool, slagelse_applicant)
    return {
        "slagelse": Application.objects.get(pk=slagelse.pk),
        "gribskov": Application.objects.get(pk=gribskov.pk),
        "draft": draft,
    }


def test_the_queue_exports_its_rows_with_scores_and_danish_headers(reviewer: Any, round_: Any) -> None:
    response = danish_client(reviewer).get("/review/", {"format": "csv", "sort": "journal"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ansoegninger.csv"'
    header, *rows = read_csv(response)
    assert header == [
        "Journalnummer",
        "Projekttitel",
        "Pulje",
        "Ansøgende kommune",
        "Status",
        "Indsendt",
        "Ansøgt beløb (kr.)",
        "Vurderinger",
        "Gennemsnitlig score (1–5)",
        "Tildelte sagsbehandlere",
    ]
    # As the queue on its first visit: what awaits review, never the draft.
    by_number = {row[0]: row for row in rows}
    assert set(by_number) == {round_["slagelse"].journal_number, round_["gribskov"].journal_number}
    slagelse = by_number[round_["slagelse"].journal_number]
    assert slagelse[3] == "Slagelse"
    assert slagelse[5] == timezone.localdate(round_["slagelse"].submitted_at).isoformat()
    assert slagelse[6:9] == ["1000000,00", "1", "3,75"]
    assert by_number[round_["gribskov"].journal_number][6:9] == ["250000,50", "0", ""]


def test_the_queue_export_applies_the_page_filters(reviewer: Any, round_: Any) -> None:
    gribskov = Municipality.objects.get(code="270")
    response = danish_client(reviewer).get("/review/", {"format": "csv", "filtered": "1", "municipality": "270"})
    rows = read_csv(response)[1:]
    assert [row[0] for row in rows] == [round_["gribskov"].journal_number]
    assert rows[0][3] == gribskov.name
    # No state ticked: every state, but a draft is the municipality's own, never SIRI's.
    everything = read_csv(danish_client(reviewer).get("/review/", {"format": "csv", "filtered": "1"}))[1:]
    assert len(everything) == 2


def test_the_queue_export_in_excel_has_numbers_and_dates(reviewer: Any, round_: Any) -> None:
    response = danish_client(reviewer).get("/review/", {"format": "xlsx", "municipality": "330"})
    assert response.status_code == 200
    header, row = read_xlsx(response)
    assert header[6].value == "Ansøgt beløb (kr.)"
    assert row[0].value == round_["slagelse"].journal_number
    assert row[5].value.date() == timezone.localdate(round_["slagelse"].submitted_at)
    assert row[5].number_format == "dd.mm.yyyy"
    assert row[6].value == 1000000 and row[6].number_format == '#,##0.00 "kr."'
    assert row[7].value == 1
    assert row[8].value == pytest.approx(3.75) and row[8].number_format == "#,##0.00"


@pytest.mark.parametrize("persona", ["slagelse_applicant", "gribskov_applicant", "ambassador", "committee"])
def test_who_may_not_open_the_queue_gets_no_export_either(personas: dict[str, Any], persona: str) -> None:
    browser = page_client_for(personas[persona])
    page, export = browser.get("/review/"), browser.get("/review/", {"format": "csv"})
    assert export.status_code == page.status_code == 403


def test_the_queue_links_to_its_export_with_its_filters(reviewer: Any, round_: Any) -> None:
    page = danish_client(reviewer).get("/review/", {"filtered": "1", "municipality": "330", "page": "1"})
    html = page.content.decode()
    assert "Hent som CSV" in html and "Hent som Excel" in html
    assert 'href="/review/?filtered=1&amp;municipality=330&amp;format=csv"' in html


def test_the_queue_export_takes_a_fixed_number_of_queries(
    reviewer: Any, pool: Any, slagelse_applicant: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(12):
        application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
        review(application, reviewer)
    browser = page_client_for(reviewer)
    with django_assert_max_num_queries(14):
        rows = read_csv(browser.get("/review/", {"format": "csv"}))
    assert len(rows) == 13


# The API ---------------------------------------------------------------------------------------


def test_the_api_list_exports_only_what_the_user_may_see(gribskov_applicant: Any, round_: Any) -> None:
    response = client_for(gribskov_applicant).get("/api/v1/applications/", {"format": "csv"}, **DA)
    assert response.status_code == 200
    header, *rows = read_csv(response)
    assert [row[0] for row in rows] == [round_["gribskov"].journal_number]
    # The reviews are SIRI's: no score columns for a municipality.
    assert header[-1] == "Ansøgt beløb (kr.)" and "Vurderinger" not in header


def test_the_api_export_has_the_scores_for_reviewers_and_the_list_filters(reviewer: Any, round_: Any) -> None:
    api = client_for(reviewer)
    rows = read_csv(api.get("/api/v1/applications/", {"format": "csv", "state": "submitted", "municipality": "330"}))
    assert len(rows) == 2 and rows[0][-3:-1] == ["Vurderinger", "Gennemsnitlig score (1–5)"]
    assert rows[1][0] == round_["slagelse"].journal_number and rows[1][-2] == "3,75"
    xlsx = read_xlsx(api.get("/api/v1/applications/", {"format": "xlsx"}))
    assert len(xlsx) == 3
    assert sorted(row[6].value for row in xlsx[1:]) == [pytest.approx(250000.5), 1000000]


def test_json_stays_the_default_and_errors_stay_json(reviewer: Any, round_: Any) -> None:
    api = client_for(reviewer)
    listing = api.get("/api/v1/applications/")
    assert listing.status_code == 200 and listing["Content-Type"] == "application/json"
    assert listing.json()["count"] == 2
    bad = api.get("/api/v1/applications/", {"format": "csv", "state": "nonsense"})
    assert bad.status_code == 400 and "state" in bad.json()
    # On one application the format is not an export.
    assert api.get(f"/api/v1/applications/{round_['slagelse'].pk}/", {"format": "csv"}).status_code == 404


def test_the_api_export_needs_a_login(round_: Any) -> None:
    assert client_for(None).get("/api/v1/applications/", {"format": "csv"}).status_code == 401


# Flat memory -----------------------------------------------------------------------------------


def many(n: int, pool: Any, creator: Any, start: int = 0) -> None:
    slagelse = Municipality.objects.get(code="330")
    Application.objects.bulk_create(
        Application(
            pool=pool,
            lead_municipality=slagelse,
            created_by=creator,
            title=f"Projekt {i}",
            state=State.SUBMITTED,
            journal_number=f"2099-{i:05d}",
            submitted_at=timezone.now(),
        )
        for i in range(start, start + n)
    )


def export_peak(browser: Client, fmt: str) -> int:
    tracemalloc.start()
    try:
        for _chunk in browser.get("/review/", {"format": fmt}).streaming_content:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_3000_applications_export_in_the_memory_of_300(reviewer: Any, slagelse_applicant: Any, fmt: str) -> None:
    pool, browser = make_pool(max_grant=Decimal("3000000.00")), page_client_for(reviewer)
    many(300, pool, slagelse_applicant)
    export_peak(browser, fmt)  # first-use caches out of the way
    small = export_peak(browser, fmt)
    many(2700, pool, slagelse_applicant, start=300)
    large = export_peak(browser, fmt)
    print(f"{fmt}: peak {small} B for 300 rows, {large} B for 3000")  # shown with -s
    assert large < 2 * small, (small, large)


def test_my_applications_export_my_municipalitys_and_no_scores(
    gribskov_applicant: Any, slagelse_applicant: Any, round_: Any
) -> None:
    browser = danish_client(slagelse_applicant)
    page = browser.get("/applications/").content.decode()
    assert 'href="/applications/?format=xlsx"' in page
    header, *rows = read_csv(browser.get("/applications/", {"format": "csv"}))
    assert "Vurderinger" not in header
    # Slagelse's submitted application and its draft; never Gribskov's.
    assert len(rows) == 2 and {row[3] for row in rows} == {"Slagelse"}
    gribskov = read_csv(danish_client(gribskov_applicant).get("/applications/", {"format": "csv"}))[1:]
    assert [row[0] for row in gribskov] == [round_["gribskov"].journal_number]
