"""The documents' API and pages: who may see the progress and download the PDF."""

from __future__ import annotations

from typing import Any

import pytest

from applications.models import State
from documents.models import Document, DocumentStatus

from ..conftest import application_in_state, client_for, page_client_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receipt(pool: Any, slagelse_applicant: Any, reviewer: Any) -> Document:
    """The receipt made when Slagelse's application was submitted (a letter of the system)."""
    application = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    return Document.objects.get(kind="receipt", subject_id=application.pk)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("slagelse_applicant", True),
        ("committee", True),
        ("reviewer", True),
        ("gribskov_applicant", False),
        ("ambassador", False),
    ],
)
def test_who_may_follow_and_download_a_document(
    receipt: Document, personas: dict[str, Any], persona: str, allowed: bool
) -> None:
    user = personas[persona]
    api = client_for(user).get(f"/api/v1/documents/{receipt.pk}/")
    page = page_client_for(user).get(f"/documents/{receipt.pk}/")
    download = page_client_for(user).get(f"/documents/{receipt.pk}/download/")
    if allowed:
        assert api.status_code == 200
        assert api.json()["status"] == DocumentStatus.DONE and api.json()["progress"] == 100
        assert api.json()["download_url"].endswith(f"/documents/{receipt.pk}/download/")
        assert page.status_code == 200
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
    else:
        assert (api.status_code, page.status_code, download.status_code) == (404, 404, 404)


def test_anonymous_gets_nothing(receipt: Document) -> None:
    assert client_for(None).get(f"/api/v1/documents/{receipt.pk}/").status_code in (401, 403)
    assert page_client_for(None).get(f"/documents/{receipt.pk}/download/").status_code == 302  # to the login


def test_a_pending_document_shows_progress_that_refreshes_itself(receipt: Document, slagelse_applicant: Any) -> None:
    Document.objects.filter(pk=receipt.pk).update(status=DocumentStatus.RUNNING, progress=40)
    page = page_client_for(slagelse_applicant).get(f"/documents/{receipt.pk}/").content.decode()
    assert 'value="40"' in page and 'hx-trigger="every 1s"' in page
    assert page_client_for(slagelse_applicant).get(f"/documents/{receipt.pk}/download/").status_code == 404
    body = client_for(slagelse_applicant).get(f"/api/v1/documents/{receipt.pk}/").json()
    assert (body["status"], body["progress"], body["download_url"]) == ("running", 40, None)


def test_unknown_ids_are_404_not_500(slagelse_applicant: Any) -> None:
    assert client_for(slagelse_applicant).get("/api/v1/documents/99999/").status_code == 404
    assert client_for(slagelse_applicant).get("/api/v1/documents/abc/").status_code == 404


def test_a_former_reviewer_loses_the_documents_they_asked_for(pool: Any, reviewer: Any) -> None:
    """A document is readable by whoever may see its subject now: asking for it once is not
    a key that outlives the role (here SIRI's portfolio report of a pool)."""
    from documents.services import request_document

    document = request_document(reviewer, "portfolio_report", pool)
    assert client_for(reviewer).get(f"/api/v1/documents/{document.pk}/").status_code == 200

    reviewer.profile.role = "applicant"  # moved to a municipality's job
    reviewer.profile.save()
    reviewer.refresh_from_db()
    for client, url in (
        (client_for(reviewer), f"/api/v1/documents/{document.pk}/"),
        (page_client_for(reviewer), f"/documents/{document.pk}/"),
        (page_client_for(reviewer), f"/documents/{document.pk}/download/"),
    ):
        assert client.get(url).status_code == 404, url


def test_the_download_url_answers_the_pdf_to_a_token_client(receipt: Document, slagelse_applicant: Any) -> None:
    from rest_framework.test import APIClient

    from core.tokens import issue

    _token, key = issue(slagelse_applicant)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    receipt.refresh_from_db()
    assert receipt.status == DocumentStatus.DONE
    url = api.get(f"/api/v1/documents/{receipt.pk}/").json()["download_url"]
    pdf = api.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    stranger = APIClient()
    assert stranger.get(url).status_code in (401, 403)
