"""Nothing lost to length: a section of 10,000 words flows over as many pages as it needs in the
application PDF, the letters and the committee briefing, and reads back from its first word to
its last (issue 11)."""

from __future__ import annotations

import datetime
import io
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from applications import services
from applications.models import Application, Pool
from documents.models import DocumentStatus
from monitoring import services as monitoring_services
from monitoring.pdf import briefing
from monitoring.quarters import Quarter

from ..conftest import approve, review
from ..monitoring.conftest import goals_of, make_grant
from .test_letters import letter, make_draft

WORDS = 10_000
VOCABULARY = (
    "kommunen",
    "virksomheden",
    "borgeren",
    "mentoren",
    "forløbet",
    "samarbejde",
    "beskæftigelse",
    "praktik",
    "sprogundervisning",
    "opfølgning",
    "tværfaglig",
    "indsats",
    "og",
    "med",
    "på",
    "for",
    "i",
    "år",
)


def long_text(first: str, last: str, *, blocks: bool, words: int = WORDS) -> str:
    """`words` words starting with `first` and ending with `last`, with a numbered mark every
    hundred words: one unbroken block, or blocks of about 150 words separated by blank lines (as
    a person types paragraphs)."""
    middle = [VOCABULARY[i % len(VOCABULARY)] for i in range(words - 2)]
    for index in range(100, len(middle), 100):
        middle[index] = f"{first[:5]}mærke{index:05d}"
    if blocks:
        for index in range(150, len(middle), 150):
            middle[index] += ".\n\n" + "Afsnit"
    return " ".join([first, *middle, last])


def assert_whole(text: str, first: str, last: str, words: int = WORDS) -> None:
    """The first and the last word and every mark between them, in order: nothing lost."""
    marks = [f"{first[:5]}mærke{index:05d}" for index in range(100, words - 2, 100)]
    found = re.findall(rf"{first}|{first[:5]}mærke\d{{5}}|{last}", text)
    assert found == [first, *marks, last]


def read(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    # pypdf may break a line anywhere; compare with single spaces.
    return len(reader.pages), re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def document_bytes(kind: str, application: Application) -> bytes:
    document = letter(kind, application)
    assert document.status == DocumentStatus.DONE, document.error
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_section_of_10000_words_flows_over_the_pages_of_the_application_pdf(
    pool: Pool, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = make_draft(pool, slagelse_applicant)
    application.approach = long_text("Tilgangsbegyndelse", "Tilgangsslutning", blocks=False)
    application.methods = long_text("Metodebegyndelse", "Metodeslutning", blocks=True)
    application.applicant_address = long_text("Adressestart", "Adresseslut", blocks=False, words=1000).replace(
        " ", "\n"
    )  # a line per word
    application.save()
    group = application.target_groups.first()
    group.description = long_text("Målgruppestart", "Målgruppeslut", blocks=True, words=3000)
    group.save()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(application.pk, slagelse_applicant)
    seconds = time.monotonic() - started

    pages, text = read(document_bytes("application_pdf", application))
    print(f"application PDF with 2 × {WORDS} words and more: {pages} pages, {seconds:.1f} s (receipt included)")
    assert pages >= 20
    assert_whole(text, "Tilgangsbegyndelse", "Tilgangsslutning")
    assert_whole(text, "Metodebegyndelse", "Metodeslutning")
    assert_whole(text, "Målgruppestart", "Målgruppeslut", 3000)  # in a narrow column of a table
    assert_whole(text, "Adressestart", "Adresseslut", 1000)
    # The short fields around the long ones are still there, in the form's order.
    assert text.index("Jobparate i arbejde først.") < text.index("Tilgangsbegyndelse")
    assert text.index("Tilgangsslutning") < text.index("35 kvinder i beskæftigelse.")
    assert re.search(rf"(?:Side|Page) {pages} (?:af|of) ?{pages}", text)


def test_letters_with_10000_words_of_conditions_and_reasons(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    application = make_draft(pool, slagelse_applicant)
    application.title = "Langt projekt " * 20  # a long title in the facts and the page header
    # The letterhead's address, a line per word.
    application.applicant_address = long_text("Adressestart", "Adresseslut", blocks=False, words=500).replace(" ", "\n")
    application.save()
    with capture(execute=True):
        services.submit(application.pk, slagelse_applicant)
    approve(application, slagelse_applicant)
    review(application, reviewer)
    with capture(execute=True):
        services.grant(
            application.pk,
            reviewer,
            Decimal("2171981"),
            long_text("Vilkårsbegyndelse", "Vilkårsslutning", blocks=False),
        )
    pages, text = read(document_bytes("grant_letter", Application.objects.get(pk=application.pk)))
    print(f"grant letter with {WORDS} words of conditions: {pages} pages")
    assert pages >= 10
    assert_whole(text, "Vilkårsbegyndelse", "Vilkårsslutning")
    assert_whole(text, "Adressestart", "Adresseslut", 500)
    assert "Kind regards" in text or "Med venlig hilsen" in text

    second = make_draft(pool, slagelse_applicant)
    with capture(execute=True):
        services.submit(second.pk, slagelse_applicant)
    review(second, reviewer, "reject")
    with capture(execute=True):
        services.reject(second.pk, reviewer, long_text("Begrundelsesstart", "Begrundelsesslut", blocks=True))
    pages, text = read(document_bytes("rejection_letter", Application.objects.get(pk=second.pk)))
    print(f"rejection letter with a reason of {WORDS} words: {pages} pages")
    assert pages >= 10
    assert_whole(text, "Begrundelsesstart", "Begrundelsesslut")


@pytest.mark.django_db
def test_a_briefing_with_a_narrative_of_10000_words(slagelse_applicant: Any, reviewer: Any) -> None:
    grant = make_grant(slagelse_applicant, reviewer, datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
    women, attendance = goals_of(grant)
    report = monitoring_services.create_report(
        grant.pk,
        slagelse_applicant,
        {
            "year": 2026,
            "quarter": 1,
            "narrative": long_text("Fortællingsstart", "Fortællingsslut", blocks=False),
            "obstacles": long_text("Forhindringsstart", "Forhindringsslut", blocks=True),
            "enrolled": 40,
            "spent_to_date": Decimal("60000"),
            "progress": [
                {"goal": women.pk, "value": Decimal(4)},
                {"goal": attendance.pk, "numerator": 50, "denominator": 100},
            ],
        },
    )
    monitoring_services.submit_report(report.pk, slagelse_applicant)
    started = time.monotonic()
    data, _filename = briefing.briefing_pdf(grant.pk, Quarter(2026, 1))
    seconds = time.monotonic() - started

    pages, text = read(data)
    print(f"briefing with 2 × {WORDS} words: {pages} pages, {seconds:.1f} s")
    assert pages >= 20
    assert_whole(text, "Fortællingsstart", "Fortællingsslut")
    assert_whole(text, "Forhindringsstart", "Forhindringsslut")
