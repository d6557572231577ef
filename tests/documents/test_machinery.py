"""The shared PDF machinery: fonts, page numbers, hostile text, the background task, storage."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import translation
from pypdf import PdfReader

from applications.models import Municipality
from documents import pdf, registry, services
from documents.models import Document, DocumentStatus
from documents.tasks import build_document

HOSTILE = (
    '<img src="/etc/passwd"/> <b>fed</b> <a href="file:///etc/shadow">link</a> & <font size=90>x</font> '
    "Ha\u030ar og o\u0308l\n\n"  # combining ring and diaeresis: NFC makes them å and ö
) * 500  # about 20.000 characters


def text_of(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_danish_text_page_numbers_and_journal_number() -> None:
    styles = pdf.styles()
    story = [pdf.para("Æblegrød i Ørestad og Århus", styles["title"]), *pdf.paras(HOSTILE, styles["body"])]
    with translation.override("da"):
        pages, text = text_of(pdf.render(story, title="Kvartalsorientering", journal_number="2026-0042"))
    assert pages > 3
    assert "Æblegrød i Ørestad og Århus" in text
    assert "2026-0042" in text
    # Every page says which it is of how many ("Side 3 af 21"), the total filled in at the end.
    footers = re.findall(r"(?:Side|Page) (\d+) (?:af|of)\s*(\d+)", text)
    assert footers == [(str(n), str(pages)) for n in range(1, pages + 1)]


def test_hostile_text_is_shown_as_text_not_read_as_markup() -> None:
    styles = pdf.styles()
    pages, text = text_of(pdf.render(pdf.paras(HOSTILE, styles["body"]), title="x"))
    assert '<img src="/etc/passwd"/>' in text  # printed, not loaded
    assert "Hår og öl" in text  # NFC-normalised
    assert len(HOSTILE) > 19_000 and pages >= 5


def test_the_font_is_embedded() -> None:
    data = pdf.render([pdf.para("æøå", pdf.styles()["body"])], title="x")
    reader = PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/FontDescriptor"] for font in fonts.values() if "/FontDescriptor" in font.get_object()
    ]
    assert descriptors and all("/FontFile2" in d.get_object() for d in descriptors)


@pytest.fixture
def test_kind() -> Any:
    """A document kind about a municipality, rendered by the real machinery."""
    calls: list[int] = []

    def render(document: Document, progress: registry.Progress) -> tuple[bytes, str]:
        progress(50)
        calls.append(document.pk)
        if document.params.get("fail"):
            raise ValueError("no data for that quarter")
        subject = document.subject
        return pdf.render([pdf.para(subject.name, pdf.styles()["title"])], title=subject.name), "kommune.pdf"

    kind = registry.register(
        registry.Kind(code="test_municipality", label="Test", render=render, may_have=lambda user, m: m.code == "330")
    )
    yield kind, calls
    registry.KINDS.pop(kind.code)


@pytest.mark.django_db(transaction=True)
def test_a_document_is_built_after_commit_and_only_once(test_kind: Any, slagelse_applicant: Any) -> None:
    kind, calls = test_kind
    slagelse = Municipality.objects.get(code="330")

    document = services.request_document(slagelse_applicant, kind.code, slagelse)

    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.progress == 100
    assert document.filename == "kommune.pdf"
    assert "Slagelse" in text_of(document.file.read())[1]
    assert build_document(document.pk) == "skipped"  # idempotent
    assert calls == [document.pk]
    assert slagelse_applicant.has_perm("documents.view_document", document)


@pytest.mark.django_db(transaction=True)
def test_a_failing_document_says_why(test_kind: Any, slagelse_applicant: Any) -> None:
    kind, _calls = test_kind
    document = services.request_document(
        slagelse_applicant, kind.code, Municipality.objects.get(code="330"), {"fail": True}
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "no data for that quarter"


@pytest.mark.django_db
def test_only_who_may_have_the_subject_may_request_or_read(
    test_kind: Any, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    kind, _calls = test_kind
    with pytest.raises(PermissionDenied):
        services.request_document(gribskov_applicant, kind.code, Municipality.objects.get(code="270"))
    document = Document.objects.create(
        kind=kind.code,
        subject_type=ContentType.objects.get_for_model(Municipality),
        subject_id=Municipality.objects.get(code="330").pk,
    )
    assert not gribskov_applicant.has_perm("documents.view_document", Document(kind="unknown"))
    assert slagelse_applicant.has_perm("documents.view_document", document)


def test_s3_storage_is_a_settings_switch() -> None:
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "S3_BUCKET": "puljeflow-docs",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.split() == ["S3Storage", "puljeflow-docs", "http://127.0.0.1:9000"]
