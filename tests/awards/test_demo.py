"""The grant administration's demo of `make run`: Slagelse's job unit accepted with payments paid
(and held while a report is late) and an approved budget change; a new project awaiting
acceptance that a new user takes through acceptance, a held payment released by a report, a
paid first instalment and a budget change, as the README tells."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from applications.models import Grant, GrantState
from awards import services
from awards.demo import GRIBSKOV_PROJECT, JOB_UNIT, NEW_PROJECT
from awards.models import ChangeKind, ChangeState, PaymentKind, PaymentState
from documents.models import Document
from monitoring.models import Milestone

from ..conftest import page_client_for
from .conftest import hand_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def load() -> str:
    """The demo commands in the order `make run` runs them."""
    out = StringIO()
    for command in ("load_demo", "load_monitoring_demo", "load_ambassadors_demo", "load_gribskov_demo"):
        call_command(command, stdout=StringIO())
    call_command("load_awards_demo", stdout=out)
    # Again, as `make run` does: the follow-ups of Gribskov's project, once the grant is accepted.
    call_command("load_gribskov_demo", stdout=StringIO())
    return out.getvalue()


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def test_the_demo_loads_once(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = load()
    assert "Grant administration demo data loaded" in first and "awaiting acceptance" in first
    assert load().strip() == "Grant administration demo data was already there."

    job_unit = Grant.objects.get(application__title=JOB_UNIT)
    assert job_unit.state == GrantState.ACTIVE
    terms = services.terms_of(job_unit)
    assert terms.accepted_by_name == "Helle Sofie Dedenroth Larsen"
    paid = job_unit.payments.filter(state=PaymentState.PAID).order_by("due_on")
    assert paid.count() == 2 and paid[0].due_on == job_unit.start_date
    assert job_unit.amount == Decimal("8937924.00")  # 250.000 kr. more, approved
    assert [v.number for v in job_unit.versions.order_by("number")] == [1, 2]
    assert job_unit.change_requests.get().state == ChangeState.APPROVED
    assert Document.objects.filter(kind="change_decision_letter").count() == 1
    # Held exactly when the third quarter's report is more than the 14 grace days late today.
    today = timezone.localdate()
    overdue = services.payments.overdue_milestone(job_unit, today)
    unpaid = set(
        job_unit.payments.filter(kind=PaymentKind.INSTALMENT)
        .exclude(state=PaymentState.PAID)
        .values_list("state", flat=True)
    )
    assert unpaid == ({PaymentState.HELD} if overdue else {PaymentState.PLANNED})

    # Gribskov's project, granted 14.12.2023 for the first half of 2024: accepted by its deadline,
    # both instalments paid on their due days, the retained 10 % waiting for the final accounts.
    gribskov = Grant.objects.get(application__title=GRIBSKOV_PROJECT)
    assert gribskov.state == GrantState.ACTIVE
    terms = services.terms_of(gribskov)
    assert terms.accept_by == datetime.date(2023, 12, 28) and timezone.localdate(terms.accepted_at) <= terms.accept_by
    plan = [(p.kind, p.due_on, p.amount, p.state, p.paid_on) for p in gribskov.payments.order_by("due_on", "kind")]
    assert plan == [
        (
            PaymentKind.INSTALMENT,
            datetime.date(2024, 1, 1),
            Decimal("202500.00"),
            PaymentState.PAID,
            datetime.date(2024, 1, 1),
        ),
        (
            PaymentKind.INSTALMENT,
            datetime.date(2024, 4, 1),
            Decimal("202500.00"),
            PaymentState.PAID,
            datetime.date(2024, 4, 1),
        ),
        (PaymentKind.RETENTION, datetime.date(2024, 6, 30), Decimal("45000.00"), PaymentState.RETAINED, None),
    ]
    assert gribskov.transitions.get().at.date() == datetime.date(2023, 12, 20)

    new = Grant.objects.get(application__title=NEW_PROJECT)
    assert new.state == GrantState.AWAITING_ACCEPTANCE
    assert services.terms_of(new).accept_by > today
    assert Document.objects.filter(kind="grant_letter", subject_id=new.application_id).exists()


def test_a_new_user_takes_the_new_project_from_acceptance_to_a_budget_change(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        load()
    grant = Grant.objects.get(application__title=NEW_PROJECT)
    slagelse, pooladmin, reviewer = user("slagelse"), user("pooladmin"), user("reviewer")
    page = page_client_for(slagelse)
    assert "accept" in page.get(f"/projects/{grant.pk}/").content.decode()

    # Acceptance on the page, with its confirmation.
    form = {"accepted_by_name": "Helle Sofie Dedenroth Larsen", "accepted_by_title": "Leder", "declaration": "on"}
    assert page.post(f"/projects/{grant.pk}/accept/", {**form, "confirm": "1"}).status_code == 302
    grant.refresh_from_db()
    assert grant.state == GrantState.ACTIVE
    # Its first quarter's report is long overdue: every instalment is held, the page says why.
    held = grant.payments.filter(state=PaymentState.HELD)
    assert held.exists() and held.first().held_reason in page.get(f"/projects/{grant.pk}/").content.decode()

    # Handing in the overdue reports releases them.
    today = timezone.localdate()
    for milestone in Milestone.objects.filter(grant=grant).order_by("year", "quarter"):
        if services.payments.overdue_milestone(grant, today) is None:
            break
        with django_capture_on_commit_callbacks(execute=True):
            hand_in(grant, milestone.period, slagelse)
    assert not grant.payments.filter(state=PaymentState.HELD).exists()

    # The pool admin pays the first instalment.
    first = grant.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    pay = page_client_for(pooladmin).post(
        f"/payments/{first.pk}/pay/", {"paid_on": f"{today:%d.%m.%Y}", "confirm": "1"}
    )
    assert pay.status_code == 302
    first.refresh_from_db()
    assert first.state == PaymentState.PAID

    # A budget change, asked for by the municipality and approved by SIRI through the API.
    from ..conftest import client_for

    years = range(grant.start_date.year, grant.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": "400000"} for y in years]
    lines[0]["amount"], lines[-1]["amount"] = "300000", "500000"
    asked = client_for(slagelse).post(
        f"/api/v1/grants/{grant.pk}/change-requests/",
        {"kind": ChangeKind.BUDGET, "reason": "Flere unge i sidste år.", "budget_lines": lines},
        format="json",
    )
    assert asked.status_code == 201, asked.content
    approved = client_for(reviewer).post(f"/api/v1/change-requests/{asked.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["version"] == 2


def test_a_new_user_closes_the_demo_s_gribskov_project(django_capture_on_commit_callbacks: Any) -> None:
    """The README's walk through the end of a grant, on the demo: Gribskov's final report, its
    accounts with a variance explained and the registered auditor's statement in docs/demo, SIRI's
    approval with a repayment claim, the claim received, the closing letter; the follow-ups."""
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from awards.models import Repayment, RepaymentState
    from awards.services import closing
    from monitoring.models import FollowUp

    with django_capture_on_commit_callbacks(execute=True):
        load()
    grant = Grant.objects.get(application__title=GRIBSKOV_PROJECT)
    assert grant.state == GrantState.ACTIVE
    gribskov, reviewer, admin = user("gribskov"), user("reviewer"), user("pooladmin")
    page = page_client_for(gribskov).get(reverse("monitoring:project", args=[grant.pk])).content.decode()
    assert reverse("awards:final_report", args=[grant.pk]) in page

    goal = grant.application.goals.get()
    assert closing.reported_results(grant)[goal.pk] == Decimal(6)  # the seed's 6 of 10 at the end
    report = closing.save_final_report(
        grant.pk,
        gribskov,
        {
            "results": [
                {"goal": goal.pk, "value": "6", "comment": "6 af 10 i ordinær beskæftigelse ved afslutningen."}
            ],
            "what_worked": "Pointsystemet og virksomhedspraktik.",
            "anchoring": "Jobcentret viderefører forløbet.",
            "lessons": "Tæt opfølgning i seks måneder fastholder deltagerne i job.",
        },
    )
    closing.submit_final_report(report.pk, gribskov)
    statement = Path(django_settings.BASE_DIR) / "docs" / "demo" / "revisorerklaering-gribskov.pdf"
    accounts = closing.save_final_accounts(
        grant.pk,
        gribskov,
        {
            "lines": [
                {"year": 2024, "category": "salaries", "spent": "340000", "explanation": ""},
                {"year": 2024, "category": "activities", "spent": "55000", "explanation": "Færre holdaktiviteter."},
            ],
            "statement_by_name": grant.application.grant_responsible_name,
            "statement_by_title": grant.application.grant_responsible_title,
            "auditor_name": "Revisionsfirmaet Demo",
            "auditor_kind": "registered",
            "auditor_statement": SimpleUploadedFile(statement.name, statement.read_bytes(), "application/pdf"),
        },
    )
    closing.submit_final_accounts(accounts.pk, gribskov)
    closing.accept_final_report(report.pk, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        closing.approve_final_accounts(accounts.pk, reviewer)
    repayment = Repayment.objects.get(grant=grant)
    assert repayment.amount == Decimal("10000.00")  # 405.000 paid − 395.000 spent
    closing.pay_repayment(grant.pk, admin, timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        closing.close(grant.pk, reviewer)
    grant.refresh_from_db()
    assert (
        grant.state == GrantState.CLOSED
        and repayment.__class__.objects.get(pk=repayment.pk).state == RepaymentState.PAID
    )
    assert Document.objects.get(kind="closing_letter", subject_id=grant.pk).status == "done"
    points = dict(FollowUp.objects.filter(grant=grant).values_list("point", "in_work_or_education"))
    assert points["after_12_months"] == 10
