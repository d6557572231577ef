"""Committee briefings and portfolio reports asked for from the pages and the API."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader

from applications.models import Grant
from documents.models import Document, DocumentStatus
from monitoring import services
from monitoring.quarters import Quarter

from ..conftest import client_for, page_client_for
from .conftest import goals_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reported(granted_project: Grant, slagelse_applicant: Any) -> Quarter:
    """Slagelse's first quarter, handed in."""
    quarter = Quarter.of(granted_project.start_date)
    women, attendance = goals_of(granted_project)
    report = services.create_report(
        granted_project.pk,
        slagelse_applicant,
        {
            "year": quarter.year,
            "quarter": quarter.quarter,
            "narrative": "Fire kvinder er i job.",
            "enrolled": 25,
            "spent_to_date": Decimal("99000"),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 58, "denominator": 100},
            ],
        },
    )
    services.submit_report(report.pk, slagelse_applicant)
    return quarter


def test_a_committee_member_downloads_the_briefing_from_the_browser(
    granted_project: Grant, reported: Quarter, committee: Any
) -> None:
    browser = page_client_for(committee)
    project = browser.get(f"/projects/{granted_project.pk}/").content.decode()
    assert f'action="/projects/{granted_project.pk}/briefing/"' in project

    asked = browser.post(
        f"/projects/{granted_project.pk}/briefing/", {"year": reported.year, "quarter": reported.quarter}
    )
    document = Document.objects.get(kind="committee_briefing")
    assert asked.status_code == 302 and asked.url == f"/documents/{document.pk}/"
    assert "download" in browser.get(asked.url).content.decode()

    pdf = browser.get(f"/documents/{document.pk}/download/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    assert "Slagelse" in text and granted_project.application.journal_number in text


def test_the_api_answers_202_and_names_a_quarter_without_report(
    granted_project: Grant, reported: Quarter, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    api = client_for(slagelse_applicant)
    url = f"/api/v1/grants/{granted_project.pk}/committee-report/"
    accepted = api.post(url, {"year": reported.year, "quarter": reported.quarter}, format="json")
    assert accepted.status_code == 202
    assert accepted.json()["status"] in (DocumentStatus.PENDING, DocumentStatus.DONE)
    later = reported.next()
    refused = api.post(url, {"year": later.year, "quarter": later.quarter}, format="json")
    assert refused.status_code == 400 and "quarter" in refused.json()
    assert api.post(url, {"year": "x"}, format="json").status_code == 400
    assert (
        client_for(gribskov_applicant)
        .post(url, {"year": reported.year, "quarter": reported.quarter}, format="json")
        .status_code
        == 404
    )
    body = api.get(f"/api/v1/documents/{accepted.json()['id']}/").json()
    assert body["status"] == DocumentStatus.DONE and body["download_url"]


def test_the_portfolio_is_siris(
    granted_project: Grant, reported: Quarter, reviewer: Any, slagelse_applicant: Any
) -> None:
    url = f"/api/v1/pools/{granted_project.application.pool_id}/portfolio-report/"
    assert client_for(slagelse_applicant).post(url).status_code == 403
    response = client_for(reviewer).post(url)
    assert response.status_code == 202
    document = Document.objects.get(pk=response.json()["id"])
    assert document.status == DocumentStatus.DONE
    page = page_client_for(reviewer).post(f"/pools/{granted_project.application.pool_id}/portfolio/")
    assert page.status_code == 302 and page.url.startswith("/documents/")
