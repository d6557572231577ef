"""The letters an application's transitions make by themselves (receipt, grant letter, rejection
letter) and the submitted application as PDF: read back with pypdf, in Danish formats, safe with
hostile text, and only for those who may see the application."""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from pypdf import PdfReader

from applications import services
from applications.models import Application, BudgetLine, Municipality, Pool, State
from documents.models import Document, DocumentStatus
from documents.services import request_document
from monitoring.models import Milestone

from ..conftest import approve, make_complete_draft, make_pool, require_service, review

# Markup, a path reportlab must not load, a stray ampersand, combining characters (NFC: å, ö).
HOSTILE = '<img src="/etc/passwd"> <b>fed</b> & <font size=90>stor</font> Ha\u030ar og o\u0308l'
PREVIEWS = Path(django_settings.BASE_DIR) / "var" / "pdf-previews"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def make_draft(pool: Pool, applicant: Any, *, partner: bool = False) -> Application:
    """Slagelse's application for 2.171.981 kr. over two years, ending 31 March."""
    application = make_complete_draft(pool, applicant, amount="1500000")
    start = application.start_date
    application.end_date = datetime.date(start.year + 1, 3, 31)
    application.save()
    BudgetLine.objects.create(
        application=application, year=start.year + 1, category="activities", amount=Decimal("671981"), fte="0.5"
    )
    if partner:
        application.partner_municipalities.add(Municipality.objects.get(code="340"))
    return application


def letter(kind: str, application: Application) -> Document:
    return Document.objects.get(
        kind=kind, subject_type=ContentType.objects.get_for_model(Application), subject_id=application.pk
    )


def text_of(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # pypdf may break a line anywhere; compare with single spaces.
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def submitted(pool: Pool, applicant: Any, capture: Any, *, partner: bool = False) -> Application:
    application = make_draft(pool, applicant, partner=partner)
    with capture(execute=True):
        services.submit(application.pk, applicant)
    return Application.objects.get(pk=application.pk)


def granted(pool: Pool, applicant: Any, reviewer: Any, capture: Any, conditions: str) -> Application:
    application = submitted(pool, applicant, capture)
    approve(application, applicant)
    review(application, reviewer)
    with capture(execute=True):
        services.grant(application.pk, reviewer, Decimal("2171981"), conditions)
    return Application.objects.get(pk=application.pk)


def rejected(pool: Pool, applicant: Any, reviewer: Any, capture: Any, reason: str) -> Application:
    application = submitted(pool, applicant, capture)
    review(application, reviewer, "reject")  # a rejection quotes an assessment
    with capture(execute=True):
        services.reject(application.pk, reviewer, reason)
    return Application.objects.get(pk=application.pk)


def test_submit_makes_the_receipt_and_the_application_as_pdf(
    pool: Pool, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = submitted(pool, slagelse_applicant, django_capture_on_commit_callbacks)

    receipt = letter("receipt", application)
    assert receipt.status == DocumentStatus.DONE, receipt.error
    assert receipt.filename == f"kvittering-{application.journal_number}.pdf"
    assert receipt.requested_by == slagelse_applicant
    text = text_of(receipt)
    received = timezone.localtime(application.submitted_at)
    for expected in (
        "Slagelse",
        "Beskæftigelsesambassadør",
        application.journal_number,
        f"{received:%d.%m.%Y}",
        f"{received:%H:%M}",
        "2.171.981 kr.",
        pool.name,
        f"31.03.{application.start_date.year + 1}",  # the project's end
        "Journalnummer",  # Danish labels
    ):
        assert expected in text, expected
    assert re.search(r"(?:Side|Page) 1 (?:af|of) 1", text)  # the footer's wording comes with the translations
    assert letter("application_pdf", application).status == DocumentStatus.DONE


def test_the_application_pdf_holds_every_section_of_the_form(
    pool: Pool, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = submitted(pool, slagelse_applicant, django_capture_on_commit_callbacks, partner=True)

    document = letter("application_pdf", application)
    assert document.status == DocumentStatus.DONE, document.error
    text = text_of(document)
    # The form's sections, as the applicant filled them in.
    for expected in (
        "Beskæftigelsesambassadør",
        "Højere beskæftigelsesgrad for kvinder og unge.",
        "Flygtninge og familiesammenførte, primært kvinder.",
        "Individuelle tværfaglige indsatser med virksomheden og familien.",
        "Progressionsværktøj.",
        "Implementeres i den daglige drift.",
        "Mentor",
        "29188505",
        "Tilskudsansvarlig",
        "Sorø",  # the partner municipality
        f"{application.start_date:%d.%m.%Y}",
        f"{application.end_date:%d.%m.%Y}",
    ):
        assert expected in text, expected
    # Target groups, goals, the budget per year and category with totals and FTE.
    assert re.search(r"aktivitetsparate kvinder 35", text)
    assert re.search(r"unge under 18 år 15", text)
    assert "Kvinder i beskæftigelse" in text
    year = application.start_date.year
    assert re.search(rf"{year} .*1\.500\.000 kr\. 1 ", text)
    assert re.search(rf"{year + 1} .*671\.981 kr\. 0,5", text)
    assert re.search(r"I alt 2\.171\.981 kr\. 1,5", text)
    # Political approval: one row per participating municipality.
    assert re.search(r"Slagelse .*Sorø", text)


def test_grant_makes_the_grant_letter(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    conditions = "Projektet afrapporterer hvert kvartal.\n\n" + HOSTILE
    application = granted(pool, slagelse_applicant, reviewer, django_capture_on_commit_callbacks, conditions)

    document = letter("grant_letter", application)
    assert application.state == State.GRANTED
    assert document.status == DocumentStatus.DONE, document.error
    assert document.filename == f"tilsagnsbrev-{application.journal_number}.pdf"
    text = text_of(document)
    award = application.award
    for expected in (
        "Slagelse",
        "Beskæftigelsesambassadør",
        application.journal_number,
        "2.171.981 kr.",
        f"{award.start_date:%d.%m.%Y}",
        f"{award.end_date:%d.%m.%Y}",
        "Projektet afrapporterer hvert kvartal.",
        '<img src="/etc/passwd">',  # printed, not loaded
        "<b>fed</b>",
        "<font size=90>stor</font>",
        "Hår og öl",  # combining characters joined
        "Styrelsen for International Rekruttering og Integration",
    ):
        assert expected in text, expected
    # The quarterly reporting duty, with the first report deadlines of the grant's milestones.
    # Five quarters (01.01 to 31.03 a year later): the letter names the first four deadlines.
    due = [f"{m.report_due_on:%d.%m.%Y}" for m in Milestone.objects.filter(grant=award).order_by("year", "quarter")]
    assert len(due) == 5
    assert all(day in text for day in due[:4]) and due[4] not in text


def test_reject_makes_the_rejection_letter_with_the_reason(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reason = "Målene er ikke konkrete nok.\n\n" + HOSTILE
    application = rejected(pool, slagelse_applicant, reviewer, django_capture_on_commit_callbacks, reason)

    document = letter("rejection_letter", application)
    assert document.status == DocumentStatus.DONE, document.error
    assert document.filename == f"afslagsbrev-{application.journal_number}.pdf"
    text = text_of(document)
    decided = timezone.localtime(application.transitions.get(transition="reject").at)
    for expected in (
        "Slagelse",
        "Beskæftigelsesambassadør",
        application.journal_number,
        "2.171.981 kr.",
        f"{decided:%d.%m.%Y}",
        "Målene er ikke konkrete nok.",
        '<img src="/etc/passwd">',
        "Hår og öl",
    ):
        assert expected in text, expected
    assert not Document.objects.filter(kind="grant_letter").exists()


def test_a_letter_that_cannot_be_made_never_breaks_the_transition(
    settings: Any, tmp_path: Path, pool: Pool, slagelse_applicant: Any, django_capture_on_commit_callbacks: Any
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked  # storing any file fails

    application = submitted(pool, slagelse_applicant, django_capture_on_commit_callbacks)

    assert application.state in (State.SUBMITTED, State.POLITICALLY_APPROVED)
    for kind in ("receipt", "application_pdf"):
        document = letter(kind, application)
        assert document.status == DocumentStatus.FAILED and document.error


def test_a_letter_for_a_decision_not_made_fails_with_a_reason(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    application = submitted(pool, slagelse_applicant, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(reviewer, "grant_letter", application)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error


def test_only_who_may_see_the_application_may_have_its_letters(
    pool: Pool,
    slagelse_applicant: Any,
    gribskov_applicant: Any,
    committee: Any,
    reviewer: Any,
    ambassador: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = rejected(pool, slagelse_applicant, reviewer, django_capture_on_commit_callbacks, "Ikke konkret.")
    documents = [letter(kind, application) for kind in ("receipt", "application_pdf", "rejection_letter")]

    for document in documents:
        assert slagelse_applicant.has_perm("documents.view_document", document)
        assert committee.has_perm("documents.view_document", document)  # Slagelse's committee approves it
        assert reviewer.has_perm("documents.view_document", document)
        assert not gribskov_applicant.has_perm("documents.view_document", document)
        assert not ambassador.has_perm("documents.view_document", document)
    with pytest.raises(PermissionDenied):
        request_document(gribskov_applicant, "application_pdf", application)


def test_previews_of_the_letters(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """PNGs of the first page(s) under var/pdf-previews/, for a person to look at."""
    require_service("pdftoppm", shutil.which("pdftoppm") is not None, "apt-get install poppler-utils")
    capture = django_capture_on_commit_callbacks
    conditions = "Tilsagnet forudsætter, at projektet afrapporterer hvert kvartal.\n\n" + HOSTILE
    grant = granted(pool, slagelse_applicant, reviewer, capture, conditions)
    rejection = rejected(make_pool(name="Pulje til unge"), slagelse_applicant, reviewer, capture, HOSTILE)
    PREVIEWS.mkdir(parents=True, exist_ok=True)
    for kind, application, last in (
        ("receipt", grant, 1),
        ("grant_letter", grant, 1),
        ("rejection_letter", rejection, 1),
        ("application_pdf", grant, 2),
    ):
        document = letter(kind, application)
        assert document.status == DocumentStatus.DONE, document.error
        source = Path(document.file.path)
        name = f"letter-{kind.replace('_', '-')}"
        for old in PREVIEWS.glob(f"{name}*.png"):
            old.unlink()
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(last), str(source), str(PREVIEWS / name)],  # noqa: S607
            check=True,
            capture_output=True,
        )
        assert sorted(PREVIEWS.glob(f"{name}*.png")), name
