"""An attachment is a plain PDF: JavaScript, actions on opening, launch commands, embedded files
and XFA forms are refused with a message naming what was found, as are unreadable and encrypted
files; a clean PDF is taken. Through the page and the API, as Slagelse's applicant; the model
runs the same validator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application, Attachment, State
from tests.conftest import application_in_state, client_for, make_complete_draft, make_pool, page_client_for
from tests.pdf_samples import ACTIVE, CLEAN, UNREADABLE, encrypted, reportlab_pdf

ACTIVE_MESSAGE = "PDF-filen indeholder aktivt indhold, som ikke kan modtages"
UNREADABLE_MESSAGE = "Filen kunne ikke læses som PDF og er måske beskadiget."
ENCRYPTED_MESSAGE = "PDF-filen er beskyttet med adgangskode eller begrænsninger"
LETTER = reportlab_pdf()


@pytest.fixture
def draft(slagelse_applicant: Any) -> Application:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    services.add_attachment(application.pk, slagelse_applicant, SimpleUploadedFile("beslutning.pdf", LETTER))
    return application


def upload_page(user: Any, draft: Application, content: bytes, name: str = "bilag.pdf") -> Any:
    return page_client_for(user).post(
        f"/applications/{draft.pk}/attachments/", {"file": SimpleUploadedFile(name, content), "description": "Bilag"}
    )


def upload_api(user: Any, draft: Application, content: bytes, name: str = "bilag.pdf") -> Any:
    return client_for(user).post(
        f"/api/v1/applications/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content), "description": "Bilag"},
        format="multipart",
    )


def assert_only_the_first(draft: Application) -> None:
    attachment = Attachment.objects.get()
    assert attachment.name == "beslutning.pdf" and attachment.application_id == draft.pk
    with attachment.file.open("rb") as handle:
        assert handle.read() == LETTER


@pytest.mark.parametrize("make", CLEAN.values(), ids=CLEAN.keys())
def test_a_clean_pdf_is_attached_on_the_page_and_by_the_api(
    slagelse_applicant: Any, draft: Application, make: Callable[[], bytes]
) -> None:
    content = make()
    assert upload_page(slagelse_applicant, draft, content).status_code == 302
    response = upload_api(slagelse_applicant, draft, content, "bilag2.pdf")
    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(content)
    stored = draft.attachments.get(name="bilag2.pdf")
    with stored.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("make", "named"), [(make, named) for _, make, named in ACTIVE], ids=[a[0] for a in ACTIVE])
def test_a_pdf_with_active_content_is_refused_naming_it(
    slagelse_applicant: Any, draft: Application, make: Callable[[], bytes], named: str
) -> None:
    content = make()
    page = upload_page(slagelse_applicant, draft, content)
    assert page.status_code == 400
    text = page.content.decode()
    assert ACTIVE_MESSAGE in text and named in text

    api = upload_api(slagelse_applicant, draft, content)
    assert api.status_code == 400
    [message] = api.json()["file"]
    assert message.startswith(ACTIVE_MESSAGE) and named in message
    assert "Gem den som en almindelig PDF" in message
    assert_only_the_first(draft)


def test_each_kind_found_is_named_once(slagelse_applicant: Any, draft: Application) -> None:
    [_, make, _] = ACTIVE[0]  # JavaScript that runs when the file is opened
    [message] = upload_api(slagelse_applicant, draft, make()).json()["file"]
    assert "indhold, som ikke kan modtages: JavaScript og handlinger, der kører af sig selv, fx når filen åbnes." in (
        message
    )


@pytest.mark.parametrize(
    ("make", "expected"),
    [*[(make, UNREADABLE_MESSAGE) for make in UNREADABLE.values()], (encrypted, ENCRYPTED_MESSAGE)],
    ids=[*UNREADABLE.keys(), "encrypted"],
)
def test_an_unreadable_or_encrypted_pdf_gets_a_clear_message(
    slagelse_applicant: Any, draft: Application, make: Callable[[], bytes], expected: str
) -> None:
    content = make()
    page = upload_page(slagelse_applicant, draft, content)
    assert page.status_code == 400 and expected in page.content.decode()
    api = upload_api(slagelse_applicant, draft, content)
    assert api.status_code == 400
    [message] = api.json()["file"]
    assert message.startswith(expected)
    assert_only_the_first(draft)


def test_a_pdf_that_opens_without_a_password_is_refused_too(slagelse_applicant: Any, draft: Application) -> None:
    # Encrypted with an empty user password (only "restrictions"): its objects are still encrypted.
    response = upload_api(slagelse_applicant, draft, encrypted(user_password=""))
    assert response.status_code == 400 and response.json()["file"][0].startswith(ENCRYPTED_MESSAGE)


@pytest.mark.parametrize(
    ("name", "content"),
    [("brev.docx", b"PK\x03\x04 word"), ("falsk.pdf", b"<html>not a pdf"), ("beslutning.txt", LETTER)],
)
def test_only_accepted_kinds_by_name_and_content(
    slagelse_applicant: Any, draft: Application, name: str, content: bytes
) -> None:
    response = upload_api(slagelse_applicant, draft, content, name)
    assert response.status_code == 400
    assert response.json() == {"file": ["Du kan kun vedhæfte filer af typen PDF, PNG og JPEG."]}


def test_the_model_runs_the_same_validator(draft: Application) -> None:
    [_, make, _] = ACTIVE[1]
    attachment = Attachment(application=draft, file=SimpleUploadedFile("a.pdf", make()), name="a.pdf", size=1)
    with pytest.raises(ValidationError) as refused:
        attachment.full_clean()
    assert ACTIVE_MESSAGE in refused.value.message_dict["file"][0]


# The attachments API: who may do what --------------------------------------------------------

API = "/api/v1/applications/{pk}/attachments/"

# (what, method, path after the list's, expected per persona; absent: 404)
MATRIX = [
    ("list", "get", "", {"slagelse_applicant": 200, "committee": 200}),
    ("detail", "get", "{att}/", {"slagelse_applicant": 200, "committee": 200}),
    ("download", "get", "{att}/download/", {"slagelse_applicant": 200, "committee": 200}),
    ("upload", "post", "", {"slagelse_applicant": 201, "committee": 403}),
    ("delete", "delete", "{att}/", {"slagelse_applicant": 204, "committee": 403}),
]


@pytest.mark.parametrize("persona", ["slagelse_applicant", "committee", "gribskov_applicant", "reviewer", "pool_admin"])
@pytest.mark.parametrize(("what", "method", "path", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_who_reaches_a_drafts_attachments(
    personas: dict[str, Any], draft: Application, persona: str, what: str, method: str, path: str, expected: dict
) -> None:
    attachment = draft.attachments.get()
    url = API.format(pk=draft.pk) + path.format(att=attachment.pk)
    client = client_for(personas[persona])
    if method == "post":
        response = client.post(url, {"file": SimpleUploadedFile("ny.pdf", LETTER)}, format="multipart")
    else:
        response = getattr(client, method)(url)
    assert response.status_code == expected.get(persona, 404)
    if what == "download" and response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == LETTER
    if response.status_code >= 400:
        assert_only_the_first(draft)


def test_the_list_names_each_attachment_and_its_download(slagelse_applicant: Any, draft: Application) -> None:
    response = client_for(slagelse_applicant).get(API.format(pk=draft.pk))
    [row] = response.json()["results"]
    assert row["name"] == "beslutning.pdf" and row["size"] == len(LETTER) and "file" not in row
    assert row["download_url"].endswith(f"/api/v1/applications/{draft.pk}/attachments/{row['id']}/download/")


def test_no_attachment_after_submit(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    client = client_for(slagelse_applicant)
    url = API.format(pk=application.pk)
    response = client.post(url, {"file": SimpleUploadedFile("sen.pdf", LETTER)}, format="multipart")
    assert response.status_code == 409
    assert not Attachment.objects.exists()
