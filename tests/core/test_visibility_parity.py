"""Every `visible_to(user)` query is its model's `view_*` rule: for every persona and every kind
of object a person can see, the object is in the query exactly when the rule lets the person see
it. A list (the query) and a page (the rule) therefore never disagree, superusers included."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ambassadors.models import (
    Ambassador,
    AmbassadorReport,
    AmbassadorReportState,
    BestPractice,
    NetworkMeeting,
    PracticeState,
    Theme,
)
from applications import changes
from applications.models import Application, Grant, Municipality
from awards.models import Award, ChangeRequest, GrantTerms, GrantVersion, Payment
from core.models import ChangeLogEntry
from documents import registry
from documents.models import Document
from monitoring.models import FollowUp, Milestone, QuarterlyReport, ReportState
from monitoring.pdf import briefing, portfolio
from monitoring.quarters import Quarter

from ..ambassadors.conftest import gribskov_ambassador, slagelse_ambassador  # noqa: F401  (fixtures)
from ..conftest import make_complete_draft, make_pool, page_client_for
from ..monitoring.conftest import granted_project, gribskov_project  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PERSONAS = (
    "slagelse_applicant",
    "gribskov_applicant",
    "reviewer",
    "pool_admin",
    "ambassador",
    "gribskov_ambassador",
    "committee",
    "superuser",
    "no_profile",
)

# The rule each model's `visible_to` mirrors. A milestone is seen with its grant: the API and the
# pages ask `monitoring.view_grant` of it (`monitoring.view_milestone` is the admin's, SIRI's only).
RULES: dict[type[models.Model], tuple[str, ...]] = {
    Application: ("applications.view_application",),
    Grant: ("monitoring.view_grant", "applications.view_grant"),
    Milestone: ("monitoring.view_grant",),
    QuarterlyReport: ("monitoring.view_report",),
    FollowUp: ("monitoring.view_followup",),
    Ambassador: ("ambassadors.view_ambassador",),
    AmbassadorReport: ("ambassadors.view_report",),
    BestPractice: ("ambassadors.view_bestpractice",),
    NetworkMeeting: ("ambassadors.view_meeting",),
    Document: ("documents.view_document",),
    ChangeLogEntry: ("core.view_changelogentry",),
    Award: ("awards.view_award",),
    GrantTerms: ("awards.view_grantterms",),
    Payment: ("awards.view_payment",),
    ChangeRequest: ("awards.view_changerequest",),
    GrantVersion: ("awards.view_grantversion",),
}


def _document(kind: str, subject: models.Model, requested_by: Any = None) -> Document:
    return Document.objects.create(
        kind=kind,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        requested_by=requested_by,
    )


def _reports(grant: Grant) -> dict[str, QuarterlyReport]:
    """A draft, a handed-in, a returned (back in draft, handed in once) and an accepted report."""
    first = Quarter.of(grant.start_date)
    now = timezone.now()
    states = {
        "draft": (ReportState.DRAFT, None),
        "handed in": (ReportState.SUBMITTED, now),
        "returned": (ReportState.DRAFT, now),
        "accepted": (ReportState.ACCEPTED, now),
    }
    reports = {}
    quarter = first
    for name, (state, handed_in) in states.items():
        reports[name] = QuarterlyReport.objects.create(
            grant=grant,
            year=quarter.year,
            quarter=quarter.quarter,
            state=state,
            first_submitted_at=handed_in,
            submitted_at=handed_in,
        )
        quarter = quarter.next()
    return reports


def _ambassador_reports(ambassador: Ambassador) -> dict[str, AmbassadorReport]:
    quarter = Quarter.of(ambassador.grant.start_date)
    now = timezone.now()
    states = {
        "draft": (AmbassadorReportState.DRAFT, None),
        "handed in": (AmbassadorReportState.SUBMITTED, now),
        "returned": (AmbassadorReportState.DRAFT, now),
        "acknowledged": (AmbassadorReportState.ACKNOWLEDGED, now),
    }
    reports = {}
    for name, (state, handed_in) in states.items():
        reports[name] = AmbassadorReport.objects.create(
            ambassador=ambassador,
            year=quarter.year,
            quarter=quarter.quarter,
            state=state,
            first_submitted_at=handed_in,
            submitted_at=handed_in,
            narrative="Virksomhedsbesøg.",
        )
        quarter = quarter.next()
    return reports


@pytest.fixture
def world(
    granted_project: Grant,  # noqa: F811
    gribskov_project: Grant,  # noqa: F811
    slagelse_ambassador: Ambassador,  # noqa: F811
    gribskov_ambassador: Ambassador,  # noqa: F811
    slagelse_applicant: Any,
    gribskov_applicant: Any,
) -> dict[str, models.Model]:
    """One object of every kind in every state that matters to who may see it."""
    slagelse = Municipality.objects.get(code="330")
    pool = make_pool(name="Pulje til partnerskaber")
    slagelse_draft = make_complete_draft(pool, slagelse_applicant)
    # Gribskov's applications with Slagelse as a partner: a draft, and one SIRI has received.
    partnered_draft = make_complete_draft(pool, gribskov_applicant, code="270")
    partnered_draft.partner_municipalities.add(slagelse)
    partnered_submitted = make_complete_draft(pool, gribskov_applicant, code="270")
    partnered_submitted.partner_municipalities.add(slagelse)
    Application.objects.filter(pk=partnered_submitted.pk).update(journal_number="SIRI-TEST-1")
    partnered_submitted.refresh_from_db()
    gribskov_draft = make_complete_draft(pool, gribskov_applicant, code="270")

    objects: dict[str, models.Model] = {
        "Slagelse's granted application": granted_project.application,
        "Gribskov's granted application": gribskov_project.application,
        "Slagelse's draft": slagelse_draft,
        "Gribskov's draft with Slagelse as partner": partnered_draft,
        "Gribskov's submitted application with Slagelse as partner": partnered_submitted,
        "Gribskov's draft": gribskov_draft,
        "Slagelse's grant": granted_project,
        "Gribskov's grant": gribskov_project,
        "Slagelse's first milestone": granted_project.milestones.order_by("year", "quarter").first(),
        "Gribskov's first milestone": gribskov_project.milestones.order_by("year", "quarter").first(),
        "Slagelse's ambassador": slagelse_ambassador,
        "Gribskov's ambassador": gribskov_ambassador,
    }
    for place, grant in (("Slagelse", granted_project), ("Gribskov", gribskov_project)):
        for state, report in _reports(grant).items():
            objects[f"{place}'s quarterly report, {state}"] = report
    for place, grant in (("Slagelse", granted_project), ("Gribskov", gribskov_project)):
        objects[f"{place}'s follow-up after the end"] = FollowUp.objects.create(
            grant=grant, point="after_3_months", completed=10, in_work_or_education=6
        )
    for place, ambassador in (("Slagelse", slagelse_ambassador), ("Gribskov", gribskov_ambassador)):
        for state, report in _ambassador_reports(ambassador).items():
            objects[f"{place}'s ambassador report, {state}"] = report

    def practice(title: str, state: str, proposed_by: Any) -> BestPractice:
        return BestPractice.objects.create(
            municipality=slagelse, theme=Theme.values[0], title=title, summary="…", state=state, proposed_by=proposed_by
        )

    objects["practice published"] = practice("Udgivet", PracticeState.PUBLISHED, gribskov_ambassador.user)
    objects["practice proposed by Slagelse's ambassador"] = practice(
        "Mit forslag", PracticeState.PROPOSED, slagelse_ambassador.user
    )
    objects["practice proposed by Gribskov's ambassador"] = practice(
        "Andres forslag", PracticeState.PROPOSED, gribskov_ambassador.user
    )
    objects["practice proposed by no one left"] = practice("Forældreløs", PracticeState.PROPOSED, None)
    objects["network meeting"] = NetworkMeeting.objects.create(held_on=datetime.date(2025, 3, 1), place="Sorø")

    # The grant administration's rows of both grants: the grant, its terms, payments, versions and
    # a change request.
    for place, grant in (("Slagelse", granted_project), ("Gribskov", gribskov_project)):
        objects[f"{place}'s award"] = Award.objects.get(pk=grant.pk)
        objects[f"{place}'s grant terms"] = GrantTerms.objects.get(grant=grant)
        objects[f"{place}'s first payment"] = grant.payments.order_by("due_on").first()
        objects[f"{place}'s first version"] = grant.versions.get(number=1)
        objects[f"{place}'s change request"] = ChangeRequest.objects.create(
            grant=grant, kind="period", reason="Forsinket.", end_date=grant.end_date, submitted_by=slagelse_applicant
        )
    objects["lapse letter of Slagelse's grant"] = _document("lapse_letter", granted_project)
    objects["decision on Gribskov's change request"] = _document(
        "change_decision_letter", objects["Gribskov's change request"]
    )

    # The letters the services made (receipts, grant letters), and one of each other kind.
    for document in Document.objects.all():
        objects[f"document {document.kind} #{document.pk}"] = document
    objects["briefing on Slagelse's project"] = _document(briefing.KIND, granted_project)
    objects["portfolio of a pool"] = _document(portfolio.KIND, granted_project.application.pool)
    objects["Slagelse's receipt that Gribskov asked for"] = _document(
        "receipt", granted_project.application, gribskov_applicant
    )
    objects["a document of a kind no app registers"] = _document("unknown", granted_project.application)

    # A change of every kind on subjects some may see and some may not (a draft's would not be
    # logged by the services, but the rule and the query must still agree on it).
    def change(kind: str, subject: models.Model) -> ChangeLogEntry:
        return ChangeLogEntry.objects.create(subject=subject, subject_label=str(subject), kind=kind, after={"x": 1})

    for name, application in (
        ("Slagelse's granted application", granted_project.application),
        ("Gribskov's submitted application with Slagelse as partner", partnered_submitted),
        ("Slagelse's draft", slagelse_draft),
    ):
        objects[f"approval change of {name}"] = change(changes.APPROVAL, application)
        objects[f"review change of {name}"] = change(changes.REVIEW, application)
    objects["pool change"] = change(changes.POOL, pool)
    objects["change of a kind no app registers"] = change("unknown", pool)
    return objects


@pytest.fixture
def everyone(request: pytest.FixtureRequest, db: None) -> dict[str, Any]:
    users = {name: request.getfixturevalue(name) for name in PERSONAS if name not in ("superuser", "no_profile")}
    users["gribskov_ambassador"] = users["gribskov_ambassador"].user
    User = get_user_model()
    users["superuser"] = User.objects.create_superuser("root", "root@example.test", "pw")
    users["no_profile"] = User.objects.create_user("nobody", "nobody@example.test", "pw")
    return users


def _mismatches(user: Any, objects: dict[str, models.Model]) -> Iterator[str]:
    for label, obj in objects.items():
        model = type(obj)
        in_query = model.objects.visible_to(user).filter(pk=obj.pk).exists()
        for permission in RULES[model]:
            by_rule = user.has_perm(permission, obj)
            if in_query != by_rule:
                yield f"{label}: visible_to says {in_query}, {permission} says {by_rule}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_to_is_the_view_rule(persona: str, world: dict[str, models.Model], everyone: dict[str, Any]) -> None:
    assert {type(obj) for obj in world.values()} == set(RULES), "an object of every kind"
    assert list(_mismatches(everyone[persona], world)) == []


def test_every_kind_is_seen_by_someone_and_hidden_from_someone(
    world: dict[str, models.Model], everyone: dict[str, Any]
) -> None:
    """The parity above is not the trivial one: each kind has objects some persona may not see."""
    for model in RULES:
        mine = [obj for obj in world.values() if type(obj) is model]
        hidden = [
            (name, obj)
            for name, user in everyone.items()
            for obj in mine
            if not model.objects.visible_to(user).filter(pk=obj.pk).exists()
        ]
        assert hidden, model.__name__
        assert model.objects.visible_to(everyone["superuser"]).count() == model.objects.count()


def test_anonymous_sees_nothing(world: dict[str, models.Model]) -> None:
    from django.contrib.auth.models import AnonymousUser

    for model in RULES:
        assert not model.objects.visible_to(AnonymousUser()).exists(), model.__name__


def test_a_document_kind_with_a_subjects_query_answers_as_its_may_have(
    slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    """A kind that registers `subjects` is answered by the query; one without, by `may_have`."""

    def render(document: Any, progress: Any) -> tuple[bytes, str]:
        raise NotImplementedError

    def may_have(user: Any, municipality: Any) -> bool:
        return municipality.code == "330" and user.username == "slagelse"

    def subjects(user: Any) -> Any:
        return Municipality.objects.filter(code="330") if user.username == "slagelse" else Municipality.objects.none()

    queried = registry.register(registry.Kind("test_queried", "Q", render, may_have, subjects=subjects))
    asked = registry.register(registry.Kind("test_asked", "A", render, may_have))
    try:
        slagelse, gribskov = Municipality.objects.get(code="330"), Municipality.objects.get(code="270")
        documents = [_document(kind.code, m) for kind in (queried, asked) for m in (slagelse, gribskov)]
        for user in (slagelse_applicant, gribskov_applicant):
            visible = set(Document.objects.visible_to(user).values_list("pk", flat=True))
            by_rule = {d.pk for d in documents if user.has_perm("documents.view_document", d)}
            assert visible == by_rule
        assert Document.objects.visible_to(slagelse_applicant).count() == 2
    finally:
        registry.KINDS.pop(queried.code)
        registry.KINDS.pop(asked.code)


def test_a_superuser_opens_an_ambassador_report(slagelse_ambassador: Ambassador) -> None:  # noqa: F811
    """A superuser passes every rule, so finds every report: 200, not 404."""
    reports = _ambassador_reports(slagelse_ambassador)
    root = get_user_model().objects.create_superuser("root", "root@example.test", "pw")
    client = page_client_for(root)
    for report in (reports["handed in"], reports["draft"]):
        assert client.get(reverse("ambassadors:report", args=[report.pk])).status_code == 200
