"""An oversized upload is refused while it streams (core.uploads), not after it was spooled.

The bodies here are made as the server reads them and count what was read, so a 300 MB upload
costs the test nothing and the assertions are on the bytes the site read, not on time. Through
the page and the API, as Slagelse's applicant, with an attachment already there that must stay.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from applications import services
from applications.models import Application, Attachment
from core.uploads import FIELDS_MARGIN_BYTES
from tests.conftest import client_for, make_complete_draft, make_pool, page_client_for
from tests.pdf_samples import pdf_of_size, reportlab_pdf

MB = 1024 * 1024
BOUNDARY = "puljeflowgrænse0123456789".encode().hex()
CHUNK = 64 * 1024  # Django's upload chunk: the parser reads the body this much at a time
TOO_LARGE = "Filen er større end 10 MB."


class Counted:
    """A wsgi.input that counts what the server read of it."""

    read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        raise NotImplementedError

    def readline(self, size: int = -1) -> bytes:
        raise AssertionError("nothing here reads a body by lines")


class StreamedBody(Counted):
    """A multipart body made of `segments`, bytes as given or (an int) that many zero bytes,
    produced as it is read: never more than 1 MB of it is held at once."""

    def __init__(self, *segments: bytes | int) -> None:
        self.segments = segments
        self.length = sum(part if isinstance(part, int) else len(part) for part in segments)
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        remaining = self.length - self.read_bytes
        size = min(MB, remaining if size is None or size < 0 else min(size, remaining))
        out = bytearray()
        start = 0
        for part in self.segments:
            length = part if isinstance(part, int) else len(part)
            begin, end = max(self.read_bytes + len(out), start), min(self.read_bytes + size, start + length)
            if begin < end:
                out += bytes(end - begin) if isinstance(part, int) else part[begin - start : end - start]
            start += length
        self.read_bytes += len(out)
        return bytes(out)

    def environ(self, path: str, **extra: str) -> dict[str, Any]:
        return {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(self.length),
            "wsgi.input": self,
            **extra,
        }


def upload(fields: dict[str, str], file_size: int) -> StreamedBody:
    """`fields`, then a file of `file_size` bytes: a PDF header and zeros."""
    head = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="byrådsbeslutning.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    ).encode()
    return StreamedBody(head, file_size - len(b"%PDF-1.7\n"), f"\r\n--{BOUNDARY}--\r\n".encode())


@pytest.fixture
def spool(settings: Any, tmp_path: Path) -> Path:
    """Where Django spools uploads larger than FILE_UPLOAD_MAX_MEMORY_SIZE: it must end empty."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.fixture
def draft(slagelse_applicant: Any) -> Application:
    """Slagelse's draft with its political decision already attached."""
    application = make_complete_draft(make_pool(), slagelse_applicant)
    services.add_attachment(
        application.pk, slagelse_applicant, SimpleUploadedFile("beslutning.pdf", reportlab_pdf()), "Byrådet"
    )
    return application


def assert_nothing_changed(draft: Application) -> None:
    attachment = Attachment.objects.get()  # the one saved before, and no other
    assert attachment.application_id == draft.pk and attachment.name == "beslutning.pdf"
    with attachment.file.open("rb") as handle:
        assert handle.read() == reportlab_pdf()


def page_url(draft: Application) -> str:
    return f"/applications/{draft.pk}/attachments/"


def api_url(draft: Application) -> str:
    return f"/api/v1/applications/{draft.pk}/attachments/"


def test_the_handler_is_first() -> None:
    assert settings.FILE_UPLOAD_HANDLERS[0] == "core.uploads.UploadLimitHandler"
    assert settings.UPLOAD_MAX_BYTES == settings.ATTACHMENT_MAX_BYTES == 10 * MB


@pytest.mark.parametrize(
    ("file_size", "most_read"),
    [
        # Its Content-Length says so at once: refused at the file's header, before its bytes.
        (300 * MB, 2 * CHUNK),
        # Within the margin, so it is read until it passes the limit, and no further.
        (10 * MB + FIELDS_MARGIN_BYTES // 2, 10 * MB + 2 * CHUNK),
    ],
    ids=["300 MB", "just past the limit"],
)
def test_the_page_refuses_an_oversized_upload_while_it_streams(
    slagelse_applicant: Any, draft: Application, spool: Path, file_size: int, most_read: int
) -> None:
    body = upload({"description": "Referat"}, file_size)
    response = page_client_for(slagelse_applicant).request(**body.environ(page_url(draft)))

    assert response.status_code == 400
    assert TOO_LARGE in response.content.decode()  # on the field, not "no file was sent"
    assert "Der blev ikke indsendt en fil" not in response.content.decode()
    assert body.read_bytes <= most_read < body.length
    assert not list(spool.iterdir())  # what was spooled of it is gone
    assert_nothing_changed(draft)


@pytest.mark.parametrize("file_size", [300 * MB, 10 * MB + FIELDS_MARGIN_BYTES // 2], ids=["300 MB", "just past"])
def test_the_api_refuses_an_oversized_upload_while_it_streams(
    slagelse_applicant: Any, draft: Application, spool: Path, file_size: int
) -> None:
    body = upload({"description": "Referat"}, file_size)
    response = client_for(slagelse_applicant).request(**body.environ(api_url(draft)))

    assert response.status_code == 400
    assert response.json() == {"file": [TOO_LARGE]}
    assert body.read_bytes <= 10 * MB + 2 * CHUNK
    assert not list(spool.iterdir())
    assert_nothing_changed(draft)


def csrf_clients(user: Any) -> tuple[Client, APIClient]:
    page, api = Client(enforce_csrf_checks=True), APIClient(enforce_csrf_checks=True)
    for client in (page, api):
        client.force_login(user)
    return page, api


def test_with_csrf_checked_the_token_before_the_file_is_read_and_the_answer_is_the_form_error(
    slagelse_applicant: Any, draft: Application
) -> None:
    page, api = csrf_clients(slagelse_applicant)
    page.get(f"/applications/{draft.pk}/edit/")
    token = page.cookies[settings.CSRF_COOKIE_NAME].value

    body = upload({"csrfmiddlewaretoken": token, "description": "Referat"}, 300 * MB)
    response = page.request(**body.environ(page_url(draft)))
    assert response.status_code == 400 and TOO_LARGE in response.content.decode()
    assert body.read_bytes <= 2 * CHUNK

    # The API with a session: DRF's CSRF check reads the form first, then the same refusal.
    api.cookies[settings.CSRF_COOKIE_NAME] = token
    body = upload({}, 300 * MB)
    response = api.request(**body.environ(api_url(draft), HTTP_X_CSRFTOKEN=token))
    assert response.status_code == 400 and response.json() == {"file": [TOO_LARGE]}
    assert body.read_bytes <= 2 * CHUNK
    assert_nothing_changed(draft)


def test_a_pdf_of_exactly_the_limit_is_taken_and_one_byte_more_is_not(
    slagelse_applicant: Any, draft: Application, spool: Path
) -> None:
    client = page_client_for(slagelse_applicant)
    exact = SimpleUploadedFile("budget.pdf", pdf_of_size(10 * MB), "application/pdf")
    response = client.post(page_url(draft), {"file": exact})
    assert response.status_code == 302
    assert draft.attachments.get(name="budget.pdf").size == 10 * MB

    over = SimpleUploadedFile("budget2.pdf", pdf_of_size(10 * MB + 1), "application/pdf")
    response = client_for(slagelse_applicant).post(api_url(draft), {"file": over}, format="multipart")
    assert response.status_code == 400 and response.json() == {"file": [TOO_LARGE]}
    assert draft.attachments.count() == 2
    assert not list(spool.iterdir())


def test_the_limit_in_the_message_is_the_setting_in_danish_format(
    settings: Any, slagelse_applicant: Any, draft: Application
) -> None:
    settings.UPLOAD_MAX_BYTES = settings.ATTACHMENT_MAX_BYTES = int(2.5 * MB)
    body = upload({}, 3 * MB)
    response = client_for(slagelse_applicant).request(**body.environ(api_url(draft)))
    assert response.json() == {"file": ["Filen er større end 2,5 MB."]}
    assert body.read_bytes <= int(2.5 * MB) + 2 * CHUNK


def test_fields_and_small_files_pass_the_handler_untouched(slagelse_applicant: Any, draft: Application) -> None:
    response = client_for(slagelse_applicant).post(
        api_url(draft),
        {"file": SimpleUploadedFile("støtte.pdf", reportlab_pdf()), "description": "Støtteerklæring fra Jobcenter"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["description"] == "Støtteerklæring fra Jobcenter"
    assert response.json()["name"] == "støtte.pdf"


class CountingJSON(Counted):
    def __init__(self, length: int) -> None:
        self.length = length
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = min(MB, self.length - self.read_bytes if size is None or size < 0 else size)
        self.read_bytes += size
        return b" " * size


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/applications/{pk}/", "application/json"),
        ("/api/v1/applications/{pk}/", "application/x-www-form-urlencoded"),
        ("/applications/{pk}/autosave/", "application/x-www-form-urlencoded"),
    ],
    ids=["api json", "api form", "page form"],
)
def test_a_body_without_files_past_the_memory_limit_is_refused_unread(
    slagelse_applicant: Any, draft: Application, path: str, content_type: str
) -> None:
    stream = CountingJSON(300 * MB)
    client = (page_client_for if path.startswith("/applications") else client_for)(slagelse_applicant)
    response = client.request(
        REQUEST_METHOD="PATCH" if path.startswith("/api") else "POST",
        PATH_INFO=path.format(pk=draft.pk),
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(stream.length),
        **{"wsgi.input": stream},
    )
    assert response.status_code == 400
    if path.startswith("/api"):
        assert "2,5 MB" in json.dumps(response.json(), ensure_ascii=False)
    assert stream.read_bytes == 0
    draft.refresh_from_db()
    assert draft.title == "Beskæftigelsesambassadør"


def test_nothing_is_left_in_the_temporary_directory_by_an_accepted_upload_either(
    slagelse_applicant: Any, draft: Application, spool: Path
) -> None:
    big = SimpleUploadedFile("stor.pdf", pdf_of_size(3 * MB), "application/pdf")  # past the memory limit
    assert client_for(slagelse_applicant).post(api_url(draft), {"file": big}, format="multipart").status_code == 201
    assert not [name for name in os.listdir(spool)]
