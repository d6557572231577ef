"""The tools an entry mentions, as PDF (issue 18): SIRI and the ambassador who proposed the entry
upload them; whoever may read the entry downloads them through a view that asks the entry's
permission, never from MEDIA_URL; another municipality's ambassador gets a 404 for a proposal
and a 403 for uploading to a published entry; anonymous gets nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ambassadors import services
from ambassadors.models import Ambassador, BestPractice, PracticeAttachment, Theme
from tests.pdf_samples import JS, raw_pdf, reportlab_pdf

from ..conftest import client_for, page_client_for

pytestmark = pytest.mark.django_db

TOOL = reportlab_pdf(1)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def proposal(slagelse_ambassador: Ambassador) -> BestPractice:
    return services.propose_practice(
        slagelse_ambassador.user,
        {"municipality": "330", "theme": Theme.COMPANY_COOPERATION, "title": "10 gode råd", "summary": "Råd."},
    )


def _upload(user: Any, practice: BestPractice, content: bytes = TOOL, name: str = "10-gode-raad.pdf") -> Any:
    return page_client_for(user).post(
        reverse("ambassadors:practice_attach", args=[practice.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf"), "description": "Notatet"},
    )


def _download(user: Any, attachment: PracticeAttachment) -> Any:
    return page_client_for(user).get(
        reverse("ambassadors:practice_attachment", args=[attachment.practice_id, attachment.pk])
    )


def test_the_proposer_uploads_a_tool_and_readers_download_it(
    slagelse_ambassador: Ambassador, proposal: BestPractice, reviewer: Any, gribskov_applicant: Any
) -> None:
    user = slagelse_ambassador.user
    page = page_client_for(user).get(reverse("ambassadors:practice", args=[proposal.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page  # the proposer is offered the upload
    response = _upload(user, proposal)
    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    assert (attachment.name, attachment.description, attachment.uploaded_by) == ("10-gode-raad.pdf", "Notatet", user)
    # Stored under a random name, linked only through the download view.
    assert attachment.file.name.startswith(f"catalogue/{proposal.pk}/") and "gode" not in attachment.file.name
    url = reverse("ambassadors:practice_attachment", args=[proposal.pk, attachment.pk])
    page = page_client_for(user).get(reverse("ambassadors:practice", args=[proposal.pk])).content.decode()
    assert f'href="{url}"' in page and "/media/" not in page

    for reader in (user, reviewer):
        downloaded = _download(reader, attachment)
        assert downloaded.status_code == 200
        assert downloaded["Content-Type"] == "application/pdf"
        assert b"".join(downloaded.streaming_content) == TOOL
    # A proposal is not for others yet: not there for them.
    assert _download(gribskov_applicant, attachment).status_code == 404
    services.publish_practice(proposal.pk, reviewer)
    # Published, the catalogue is everyone's who logs in, its tools too.
    assert _download(gribskov_applicant, attachment).status_code == 200
    data = client_for(gribskov_applicant).get(f"/api/v1/best-practices/{proposal.pk}/").json()
    assert [(a["name"], a["size"], a["description"]) for a in data["attachments"]] == [
        ("10-gode-raad.pdf", len(TOOL), "Notatet")
    ]
    assert data["attachments"][0]["url"].endswith(url)


def test_anonymous_gets_neither_the_file_nor_the_upload(proposal: BestPractice, reviewer: Any) -> None:
    services.publish_practice(proposal.pk, reviewer)
    attachment = services.add_practice_attachment(proposal.pk, reviewer, SimpleUploadedFile("raad.pdf", TOOL))
    response = _download(None, attachment)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert _upload(None, proposal).status_code == 302
    api = client_for(None).post(
        f"/api/v1/best-practices/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile("a.pdf", TOOL)},
        format="multipart",
    )
    assert api.status_code in (401, 403)
    assert PracticeAttachment.objects.count() == 1


def test_another_municipalitys_ambassador_may_not_upload(
    proposal: BestPractice, gribskov_ambassador: Ambassador, slagelse_applicant: Any, reviewer: Any
) -> None:
    other = gribskov_ambassador.user
    # A proposal of Slagelse's ambassador is not there for Gribskov's: 404, page and API.
    assert _upload(other, proposal).status_code == 404
    api_url = f"/api/v1/best-practices/{proposal.pk}/attachments/"
    assert (
        client_for(other).post(api_url, {"file": SimpleUploadedFile("a.pdf", TOOL)}, format="multipart").status_code
        == 404
    )
    services.publish_practice(proposal.pk, reviewer)
    # Published, they read it but may not add to it; nor may an applicant.
    for user in (other, slagelse_applicant):
        assert _upload(user, proposal).status_code == 403
        assert (
            client_for(user).post(api_url, {"file": SimpleUploadedFile("a.pdf", TOOL)}, format="multipart").status_code
            == 403
        )
        page = page_client_for(user).get(reverse("ambassadors:practice", args=[proposal.pk])).content.decode()
        assert 'enctype="multipart/form-data"' not in page
    assert not PracticeAttachment.objects.exists()


def test_siri_attaches_through_the_api(proposal: BestPractice, reviewer: Any) -> None:
    response = client_for(reviewer).post(
        f"/api/v1/best-practices/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile("4R-modellen.pdf", TOOL), "description": "Dialogværktøjet"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "4R-modellen.pdf"
    assert PracticeAttachment.objects.get().uploaded_by == reviewer


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"0" * 64, "billede.png"),  # not a PDF
        (raw_pdf(catalog=b"/OpenAction " + JS), "aktiv.pdf"),  # a PDF with JavaScript
        (TOOL, "borger 010190-1234.pdf"),  # a CPR number in the name shown
    ],
)
def test_only_a_plain_pdf_is_taken(
    slagelse_ambassador: Ambassador, proposal: BestPractice, reviewer: Any, content: bytes, name: str
) -> None:
    response = _upload(slagelse_ambassador.user, proposal, content, name)
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"]
    api = client_for(reviewer).post(
        f"/api/v1/best-practices/{proposal.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert api.status_code == 400 and "file" in api.json()
    assert not PracticeAttachment.objects.exists()
