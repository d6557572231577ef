"""The parts of SIRI's form the application lacked (issue 18): the grant-responsible person's
declaration at submit, the size of the whole target group, "Organisation og ledelse" in its five
fields, the pool's guidance per section, and images as attachments; through the page, the API and
the PDFs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from applications import services
from applications.models import Application, Attachment, Pool, State, TransitionLog

from ..conftest import DECLARATION, client_for, make_complete_draft, page_client_for
from .test_letters import letter, text_of

ORGANISATION = {
    "political_anchoring": "Projektet bliver politisk godkendt.",
    "management": "Arbejdsmarkedschef er projektejer.",
    "cross_sector_ownership": "Workshop på tværs af organisationen.",
    "continuation": "Implementeres i den daglige drift efter projektet.",
    "committee_briefing": "Orientering kvartalsvis til fagligt udvalg.",
}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(pool: Pool, slagelse_applicant: Any) -> Application:
    return make_complete_draft(pool, slagelse_applicant)


def submit_page(user: Any, application: Application, data: dict[str, Any]) -> Any:
    return page_client_for(user).post(f"/applications/{application.pk}/submit/", data)


# The declaration -----------------------------------------------------------------------------------


def test_the_submit_page_asks_the_grant_responsible_person_and_refuses_without_the_declaration(
    draft: Application, slagelse_applicant: Any
) -> None:
    page = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/submit/").content.decode()
    assert "fulde økonomiske og retlige ansvar" in page
    assert 'value="Tilskudsansvarlig"' in page  # filled in from the form's grant-responsible person

    response = submit_page(slagelse_applicant, draft, {"declared_by_name": "", "declared_by_title": "Leder"})

    assert response.status_code == 400
    text = response.content.decode()
    assert "Angiv navnet på den tilskudsansvarlige" in text
    assert "skal bekræfte erklæringen" in text
    draft.refresh_from_db()
    assert (draft.state, draft.journal_number, draft.declared_at) == (State.DRAFT, None, None)


def test_only_the_grant_responsible_person_the_application_names_can_declare(
    draft: Application, slagelse_applicant: Any
) -> None:
    response = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{draft.pk}/submit/",
        {**DECLARATION, "declared_by_name": "En Anden"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["declared_by_name"]
    assert "Tilskudsansvarlig" in response.json()["declared_by_name"][0]
    assert Application.objects.get(pk=draft.pk).state == State.DRAFT


def test_the_declaration_is_stored_logged_and_shown_on_the_receipt_and_the_pdf(
    draft: Application, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(slagelse_applicant).post(
            f"/api/v1/applications/{draft.pk}/submit/", DECLARATION, format="json"
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["declared_by_name"], body["declared_by_title"]) == ("Tilskudsansvarlig", "Leder")
    assert body["declared_at"]

    application = Application.objects.get(pk=draft.pk)
    assert application.declared_by == slagelse_applicant
    log = TransitionLog.objects.get(application=application, transition="submit")
    assert "Tilskudsansvarlig" in log.reason and "Leder" in log.reason

    receipt = text_of(letter("receipt", application))
    assert "Erklæring" in receipt and "Bekræftet af Tilskudsansvarlig, Leder" in receipt
    as_submitted = text_of(letter("application_pdf", application))
    assert "fulde økonomiske og retlige ansvar" in as_submitted and "Tilskudsansvarlig" in as_submitted

    detail = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/").content.decode()
    assert "Bekræftet af Tilskudsansvarlig, Leder" in detail


# The whole target group ----------------------------------------------------------------------------


def test_the_whole_target_group_is_at_least_its_largest_part(draft: Application, slagelse_applicant: Any) -> None:
    largest = max(draft.target_groups.values_list("size", flat=True))
    url = f"/api/v1/applications/{draft.pk}/"

    too_small = client_for(slagelse_applicant).patch(url, {"target_group_total": largest - 1}, format="json")

    assert too_small.status_code == 400
    assert list(too_small.json()) == ["target_group_total"]
    assert str(largest) in too_small.json()["target_group_total"][0]
    assert Application.objects.get(pk=draft.pk).target_group_total == 340  # unchanged

    assert client_for(slagelse_applicant).patch(url, {"target_group_total": largest}, format="json").status_code == 200


def test_the_application_pdf_prints_the_whole_target_group_not_the_sum_of_its_parts(
    draft: Application, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    parts = sum(draft.target_groups.values_list("size", flat=True))
    assert parts != 340
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft.pk, slagelse_applicant)

    text = text_of(letter("application_pdf", draft))

    assert "Den samlede målgruppe 340" in text


# Organisation og ledelse ---------------------------------------------------------------------------


def test_the_five_organisation_fields_are_written_by_the_api_needed_to_submit_and_printed(
    pool: Pool, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    draft = make_complete_draft(pool, slagelse_applicant)
    Application.objects.filter(pk=draft.pk).update(**dict.fromkeys(ORGANISATION, ""))
    client = client_for(slagelse_applicant)

    refused = client.post(f"/api/v1/applications/{draft.pk}/submit/", DECLARATION, format="json")
    assert refused.status_code == 400
    assert set(ORGANISATION) <= set(refused.json())

    patched = client.patch(f"/api/v1/applications/{draft.pk}/", ORGANISATION, format="json")
    assert patched.status_code == 200
    assert {name: patched.json()[name] for name in ORGANISATION} == ORGANISATION
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/applications/{draft.pk}/submit/", DECLARATION, format="json").status_code == 200

    text = text_of(letter("application_pdf", draft))
    for value in ORGANISATION.values():
        assert value in text
    assert "En tydelig politisk forankring" in text


def test_the_organisation_step_of_the_form_has_the_five_fields(draft: Application, slagelse_applicant: Any) -> None:
    page = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/edit/organisation/").content.decode()
    for name in ORGANISATION:
        assert f'name="{name}"' in page


# Guidance per pool ---------------------------------------------------------------------------------


def test_a_pool_admin_sets_the_guidance_and_a_section_that_does_not_exist_is_refused(
    pool: Pool, pool_admin: Any, slagelse_applicant: Any
) -> None:
    url = f"/api/v1/pools/{pool.pk}/"
    guidance = {"project": "Beskriv det gode match mellem flygtning og virksomhed."}

    wrong = client_for(pool_admin).patch(url, {"guidance": {"nowhere": "Tekst"}}, format="json")
    assert wrong.status_code == 400 and list(wrong.json()) == ["guidance"]
    assert "nowhere" in wrong.json()["guidance"][0]

    assert client_for(pool_admin).patch(url, {"guidance": guidance}, format="json").status_code == 200
    assert Pool.objects.get(pk=pool.pk).guidance == guidance
    assert client_for(slagelse_applicant).patch(url, {"guidance": {}}, format="json").status_code in (403, 404)

    draft = make_complete_draft(Pool.objects.get(pk=pool.pk), slagelse_applicant)
    page = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/edit/project/").content.decode()
    assert "Beskriv det gode match mellem flygtning og virksomhed." in page


# Images as attachments ----------------------------------------------------------------------------


def image_with_metadata(kind: str) -> bytes:
    """A small organisation chart as `kind`, carrying what a camera or an editor writes into it."""
    image = Image.new("RGB", (120, 80), (20, 90, 160))
    out = io.BytesIO()
    if kind == "PNG":
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        info.add_text("Author", "Hemmelig Forfatter")
        image.save(out, format="PNG", pnginfo=info)
    else:
        exif = Image.Exif()
        exif[0x013B] = "Hemmelig Forfatter"  # Artist
        image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"Hemmelig Forfatter")
    return out.getvalue()


@pytest.mark.parametrize(
    ("kind", "name", "content_type"), [("PNG", "org.png", "image/png"), ("JPEG", "org.jpg", "image/jpeg")]
)
def test_an_image_is_attached_without_its_metadata_and_shown_in_the_application_pdf(
    draft: Application,
    slagelse_applicant: Any,
    django_capture_on_commit_callbacks: Any,
    kind: str,
    name: str,
    content_type: str,
) -> None:
    content = image_with_metadata(kind)
    assert b"Hemmelig Forfatter" in content

    response = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), "description": "Organisationsdiagram"},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == content_type
    attachment = Attachment.objects.get()
    download = page_client_for(slagelse_applicant).get(f"/applications/{draft.pk}/attachments/{attachment.pk}/")
    assert download["Content-Type"] == content_type
    stored = b"".join(download.streaming_content)
    assert b"Hemmelig Forfatter" not in stored
    assert Image.open(io.BytesIO(stored)).size == (120, 80)

    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft.pk, slagelse_applicant)
    document = letter("application_pdf", draft)
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert sum(len(page.images) for page in reader.pages) == 1


def test_a_file_that_only_calls_itself_an_image_is_refused_and_nothing_is_attached(
    draft: Application, slagelse_applicant: Any
) -> None:
    response = page_client_for(slagelse_applicant).post(
        f"/applications/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("diagram.png", b"\x89PNG\r\n\x1a\nnot an image at all")},
    )

    assert response.status_code == 400
    assert "kunne ikke læses som et billede" in response.content.decode()
    assert not Attachment.objects.exists()

    other = client_for(slagelse_applicant).post(
        f"/api/v1/applications/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile("diagram.gif", b"GIF89a....")},
        format="multipart",
    )
    assert other.status_code == 400
    assert "PDF, PNG og JPEG" in other.json()["file"][0]
