"""The letters that hold up in law, read back with pypdf: the grant letter (legal basis, Finance
Act account, standard conditions, budget per year, acceptance deadline, payment plan and
retention, reporting deadlines, audit level, appeal guidance), the rejection letter (grounds
with the pool's criteria, forvaltningsloven §§ 22, 24 and 25), and the grant administration's
own: the decision on a change request, the lapse and the revocation. All in Danish."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, Grant, Pool
from awards import services
from awards.models import ChangeKind
from documents.models import Document, DocumentStatus
from monitoring.models import Milestone

from ..applications.test_letters import HOSTILE, text_of
from ..conftest import approve, make_complete_draft, make_pool, page_client_for, review
from ..monitoring.conftest import make_grant
from .conftest import future_period

pytestmark = pytest.mark.django_db

LEGAL_BASIS = "Lov om integration af udlændinge i Danmark, § 45"
ACCOUNT = "§ 17.46.04.10"
STANDARD = "Tilskuddet må kun anvendes til de aktiviteter, der er beskrevet i ansøgningen."


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def document(kind: str, subject: Any) -> Document:
    found = Document.objects.get(
        kind=kind, subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    assert found.status == DocumentStatus.DONE, found.error
    return found


def with_terms(pool: Pool) -> Pool:
    Pool.objects.filter(pk=pool.pk).update(
        legal_basis=LEGAL_BASIS, finance_act_account=ACCOUNT, standard_conditions=STANDARD
    )
    pool.refresh_from_db()
    return pool


def test_the_grant_letter_states_every_term_of_the_grant(
    slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    start, end = future_period()
    pool = with_terms(make_pool(project_start_earliest=start, project_end_latest=end, name="Pulje til vilkår"))
    application = make_complete_draft(pool, slagelse_applicant, amount="1000000")
    application.start_date, application.end_date = start, end
    application.save()
    application_services.submit(application.pk, slagelse_applicant)
    approve(application, slagelse_applicant)
    review(application, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        application_services.grant(
            application.pk, reviewer, Decimal("800000"), "Projektet afrapporterer hvert kvartal."
        )
    grant = Grant.objects.get(application=application)

    text = text_of(document("grant_letter", Application.objects.get(pk=application.pk)))

    terms = services.terms_of(grant)
    first_due = Milestone.objects.filter(grant=grant).order_by("year", "quarter").first().report_due_on
    for expected in (
        LEGAL_BASIS,
        "Finanslovskonto",
        ACCOUNT,
        "Puljens standardvilkår",
        STANDARD,
        "Projektet afrapporterer hvert kvartal.",
        "Budget pr. år",
        "800.000 kr.",  # the budget, in proportion to the amount granted
        f"{terms.accept_by:%d.%m.%Y}",  # the acceptance deadline
        "bortfalder",
        "kvartalsvis forud",
        "29188505",  # paid to the municipality's CVR
        "10 % af tilskuddet (80.000 kr.)",  # the retention
        "Når slutregnskabet er godkendt",
        f"{first_due:%d.%m.%Y}",  # the reporting deadlines
        "forvaltningsrevision",  # the audit level 800.000 kr. calls for
        "ændringsanmodning",
        "Klagevejledning (forvaltningslovens § 25)",
        "Folketingets Ombudsmand",
    ):
        assert expected in text, expected
    assert "accepterer tilsagnet" in text  # what the municipality will do, and it is true now


def test_the_rejection_letter_gives_the_grounds_and_appeal_guidance(
    slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pool = with_terms(make_pool(name="Pulje til afslag"))
    application = make_complete_draft(pool, slagelse_applicant)
    application_services.submit(application.pk, slagelse_applicant)
    review(application, reviewer)  # Mål 4, Organisering 3
    with django_capture_on_commit_callbacks(execute=True):
        application_services.reject(application.pk, reviewer, "Målene er ikke konkrete nok.\n\n" + HOSTILE)

    application.refresh_from_db()
    text = text_of(document("rejection_letter", application))

    for expected in (
        "Målene er ikke konkrete nok.",
        "Begrundelse for afgørelsen",
        LEGAL_BASIS,
        "forvaltningslovens §§ 22 og 24",
        "Kriterium",
        "Mål 3 4",  # the criterion, its weight and the reviewers' average score
        "Organisering 1 3",
        "Klagevejledning (forvaltningslovens § 25)",
        "Folketingets Ombudsmand",
        application.journal_number,
    ):
        assert expected in text, expected


def test_the_lapse_letter(slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any) -> None:
    grant = make_grant(slagelse_applicant, reviewer, *future_period(), accepted=False)
    deadline = services.terms_of(grant).accept_by
    with django_capture_on_commit_callbacks(execute=True):
        services.lapse(grant.pk, deadline + datetime.timedelta(days=1))

    text = text_of(document("lapse_letter", grant))

    for expected in (
        "Tilsagnet er bortfaldet",
        f"{deadline:%d.%m.%Y}",
        "800.000 kr.",
        "tilbage til puljen",
        "Klagevejledning",
    ):
        assert expected in text, expected


def test_the_revocation_letter_names_the_reason_and_what_was_paid(
    running: Grant, reviewer: Any, pool_admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    first = running.payments.filter(kind="instalment").order_by("due_on").first()
    services.pay(first.pk, pool_admin, datetime.date.today())
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(running.pk, reviewer, "Projektet er ikke gennemført som beskrevet.\n\n" + HOSTILE)

    text = text_of(document("revocation_letter", running))

    for expected in (
        "Tilbagekaldelse af tilsagn",
        "Projektet er ikke gennemført som beskrevet.",
        '<img src="/etc/passwd">',  # printed, not loaded
        "Hår og öl",
        "90.000 kr.",  # paid so far: the first of eight instalments of 720.000 kr.
        "betales tilbage",
        "Klagevejledning",
    ):
        assert expected in text, expected


def test_the_decisions_on_change_requests(
    running: Grant, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    years = range(running.start_date.year, running.end_date.year + 1)
    lines = [{"year": year, "category": "salaries", "amount": Decimal("450000")} for year in years]
    approved = services.file_change(
        running.pk,
        slagelse_applicant,
        {"kind": ChangeKind.BUDGET, "reason": "Flere borgere end ventet.", "budget_lines": lines},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_change(approved.pk, reviewer, "Der er midler tilbage i puljen.")
    Pool.objects.filter(pk=running.application.pool_id).update(project_end_latest=None)
    refused = services.file_change(
        running.pk,
        slagelse_applicant,
        {
            "kind": ChangeKind.PERIOD,
            "reason": "Forsinket.",
            "end_date": running.end_date.replace(year=running.end_date.year + 1),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_change(refused.pk, reviewer, "Puljens periode tillader det ikke.")

    yes = text_of(document("change_decision_letter", approved))
    for expected in (
        "Godkendelse af ændring af tilsagn",
        "Flere borgere end ventet.",
        "Der er midler tilbage i puljen.",
        "version 2",
        "450.000 kr.",
        "900.000 kr.",
        "Klagevejledning",
    ):
        assert expected in yes, expected
    no = text_of(document("change_decision_letter", refused))
    for expected in ("Afslag på ændring af tilsagn", "Puljens periode tillader det ikke.", "Klagevejledning"):
        assert expected in no, expected
    assert "version 2" not in no
    # Both are listed with the application's letters, for the municipality that asked.
    page = page_client_for(slagelse_applicant).get(reverse("applications:detail", args=[running.application_id]))
    listed = {(letter.kind, letter.subject_id) for letter in page.context["documents"]}
    assert {("change_decision_letter", approved.pk), ("change_decision_letter", refused.pk)} <= listed


def test_letters_go_only_to_who_may_see_the_grant(
    running: Grant,
    reviewer: Any,
    committee: Any,
    slagelse_applicant: Any,
    gribskov_applicant: Any,
    ambassador: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke(running.pk, reviewer, "Opgivet.")
    letter = document("revocation_letter", running)
    for user in (slagelse_applicant, committee, reviewer):
        assert user.has_perm("documents.view_document", letter)
    for user in (gribskov_applicant, ambassador):
        assert not user.has_perm("documents.view_document", letter)
        assert not Document.objects.visible_to(user).filter(pk=letter.pk).exists()
