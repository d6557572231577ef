"""The grant administration's pages as people use them: the project page says what the grant
needs now, acceptance and payment behind a confirmation, the payments overview and its CSV, a
change request asked for and approved, the versions, and the letters where they belong."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from applications.models import Grant, GrantState
from awards import services
from awards.models import ChangeRequest, ChangeState, PaymentKind, PaymentState

from ..conftest import page_client_for
from .conftest import ACCEPTANCE

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def text(response: Any) -> str:
    return response.content.decode()


def test_the_project_page_asks_the_municipality_to_accept_by_the_deadline(
    awaiting: Grant, slagelse_applicant: Any, reviewer: Any
) -> None:
    deadline = f"{services.terms_of(awaiting).accept_by:%d.%m.%Y}"
    page = text(page_client_for(slagelse_applicant).get(f"/projects/{awaiting.pk}/"))
    assert deadline in page and f"/projects/{awaiting.pk}/accept/" in page
    siri = text(page_client_for(reviewer).get(f"/projects/{awaiting.pk}/"))
    assert deadline in siri and f"/projects/{awaiting.pk}/accept/" not in siri
    assert f"/projects/{awaiting.pk}/revoke/" in siri


def test_accepting_on_the_page_asks_for_the_declaration_and_a_confirmation(
    awaiting: Grant, slagelse_applicant: Any
) -> None:
    client = page_client_for(slagelse_applicant)
    url = f"/projects/{awaiting.pk}/accept/"
    form = text(client.get(url))
    assert "Tilskudsansvarlig" in form  # the name on the application, offered
    assert "800.000 kr." in form  # the declaration names the grant

    missing = client.post(url, {"accepted_by_name": "Helle Larsen", "accepted_by_title": "Leder"})
    assert missing.status_code == 200
    confirm = client.post(url, {**ACCEPTANCE, "declaration": "on"})
    assert confirm.status_code == 200 and 'name="confirm"' in text(confirm)
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE  # nothing before the confirmation

    done = client.post(url, {**ACCEPTANCE, "declaration": "True", "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == f"/projects/{awaiting.pk}/"
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.ACTIVE
    assert services.terms_of(awaiting).accepted_by_name == "Helle Sofie Larsen"
    page = text(client.get(f"/projects/{awaiting.pk}/"))
    assert "Helle Sofie Larsen" in page and "80.000 kr." in page  # the acceptance and the retained share


def test_a_missing_declaration_is_named_on_the_form(awaiting: Grant, slagelse_applicant: Any) -> None:
    client = page_client_for(slagelse_applicant)
    url = f"/projects/{awaiting.pk}/accept/"
    response = client.post(url, {"accepted_by_name": "Helle", "accepted_by_title": "Leder", "confirm": "1"})
    assert response.status_code == 200
    assert "form-error" in text(response)
    awaiting.refresh_from_db()
    assert awaiting.state == GrantState.AWAITING_ACCEPTANCE


def test_the_project_page_says_why_payments_are_held(late_project: Grant, slagelse_applicant: Any) -> None:
    held = late_project.payments.filter(state=PaymentState.HELD).first()
    page = text(page_client_for(slagelse_applicant).get(f"/projects/{late_project.pk}/"))
    assert held.held_reason in page


def test_the_pool_admin_records_a_payment_behind_a_confirmation(running: Grant, pool_admin: Any) -> None:
    payment = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    client = page_client_for(pool_admin)
    url = f"/payments/{payment.pk}/pay/"
    assert client.get(url).status_code == 200
    day = TODAY - datetime.timedelta(days=1)
    confirm = client.post(url, {"paid_on": f"{day:%d.%m.%Y}"})
    assert confirm.status_code == 200 and "29188505" in text(confirm)
    assert running.payments.get(pk=payment.pk).state == PaymentState.PLANNED
    done = client.post(url, {"paid_on": f"{day:%d.%m.%Y}", "confirm": "1"})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert (payment.state, payment.paid_on) == (PaymentState.PAID, day)


def test_the_payments_overview_and_its_csv_for_the_finance_system(
    running: Grant, pool_admin: Any, django_assert_max_num_queries: Any
) -> None:
    first = running.payments.filter(kind=PaymentKind.INSTALMENT).order_by("due_on").first()
    period = {"due_after": f"{first.due_on:%d.%m.%Y}", "due_before": f"{first.due_on:%d.%m.%Y}"}
    client = page_client_for(pool_admin)
    with django_assert_max_num_queries(15):
        page = text(client.get("/payments/", period))
    assert running.application.title in page and "90.000 kr." in page
    export = client.get(
        "/payments/export.csv", {"due_after": first.due_on.isoformat(), "due_before": first.due_on.isoformat()}
    )
    assert export["Content-Type"].startswith("text/csv")
    body = export.content.decode("utf-8")
    assert body.startswith("\ufeff")
    header, row, *rest = body.lstrip("\ufeff").strip().split("\r\n")
    assert rest == []
    assert header.split(";")[:3] == ["payment_id", "journal_number", "project"]
    cells = row.split(";")
    assert cells[0] == str(first.pk) and "29188505" in cells and "90000,00" in cells
    assert first.due_on.isoformat() in cells


def test_a_budget_change_asked_for_and_approved_on_the_pages(
    running: Grant, slagelse_applicant: Any, reviewer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = page_client_for(slagelse_applicant)
    url = f"/projects/{running.pk}/changes/new/budget/"
    form = text(client.get(url))
    assert 'value="2027"' in form or f'value="{running.start_date.year}"' in form  # the lines in force
    years = range(running.start_date.year, running.end_date.year + 1)
    data = {"reason": "Flere borgere end ventet."}
    for index, year in enumerate(years):
        data |= {f"line_{index}_year": year, f"line_{index}_category": "salaries", f"line_{index}_amount": "450.000"}
    sent = client.post(url, data)
    assert sent.status_code == 302, text(sent)[:3000]
    change = ChangeRequest.objects.get()
    assert sent["Location"] == f"/change-requests/{change.pk}/"

    siri = page_client_for(reviewer)
    decide = f"/change-requests/{change.pk}/decide/approve/"
    assert siri.post(decide, {"reason": "Inden for puljens ramme."}).status_code == 200  # the confirmation
    with django_capture_on_commit_callbacks(execute=True):
        done = siri.post(decide, {"reason": "Inden for puljens ramme.", "confirm": "1"})
    assert done.status_code == 302
    change.refresh_from_db()
    running.refresh_from_db()
    assert change.state == ChangeState.APPROVED and running.amount == Decimal("900000.00")
    versions = text(client.get(f"/projects/{running.pk}/versions/"))
    assert "800.000 kr." in versions and "900.000 kr." in versions
    project = text(client.get(f"/projects/{running.pk}/"))
    assert "/documents/" in project and "/download/" in project  # the decision letter, ready


def test_a_budget_change_page_names_the_problems(running: Grant, slagelse_applicant: Any) -> None:
    data = {"reason": "", "line_0_year": 1999, "line_0_category": "salaries", "line_0_amount": "100"}
    for index in range(1, 4):
        data |= {f"line_{index}_year": "", f"line_{index}_category": "", f"line_{index}_amount": ""}
    response = page_client_for(slagelse_applicant).post(f"/projects/{running.pk}/changes/new/budget/", data)
    assert response.status_code == 200
    assert "1999" in text(response) and not ChangeRequest.objects.exists()


def test_the_application_page_lists_its_letters_for_who_may_see_it(
    slagelse_applicant: Any,
    committee: Any,
    gribskov_applicant: Any,
    reviewer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from ..monitoring.conftest import make_grant
    from .conftest import future_period

    with django_capture_on_commit_callbacks(execute=True):
        grant = make_grant(slagelse_applicant, reviewer, *future_period(), accepted=False)
    for user in (slagelse_applicant, committee, reviewer):
        page = text(page_client_for(user).get(f"/applications/{grant.application.pk}/"))
        assert "Tilsagnsbrev" in page or "Grant letter" in page
        assert page.count("/download/") >= 2  # the receipt, the application and the grant letter
    assert page_client_for(gribskov_applicant).get(f"/applications/{grant.application.pk}/").status_code == 404


def test_a_revoked_grant_says_so_on_its_page(running: Grant, reviewer: Any, slagelse_applicant: Any) -> None:
    client = page_client_for(reviewer)
    url = f"/projects/{running.pk}/revoke/"
    assert client.post(url, {"reason": "Vilkårene er ikke overholdt."}).status_code == 200
    assert client.post(url, {"reason": "Vilkårene er ikke overholdt.", "confirm": "1"}).status_code == 302
    running.refresh_from_db()
    assert running.state == GrantState.REVOKED
    page = text(page_client_for(slagelse_applicant).get(f"/projects/{running.pk}/"))
    assert "Vilkårene er ikke overholdt." in page


def test_the_payments_overview_pages_the_payments_and_totals_them_all(
    running: Grant, gribskov_applicant: Any, reviewer: Any, pool_admin: Any, monkeypatch: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.views import payments as payments_views
    from core.money import format_dkk
    from tests.monitoring.conftest import make_grant, recent_period

    monkeypatch.setattr(payments_views, "PAGE_SIZE", 3)
    period = {"due_after": "01.01.2000", "due_before": "31.12.2099"}
    client = page_client_for(pool_admin)

    def shown() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = text(client.get("/payments/", period, HTTP_ACCEPT_LANGUAGE="en"))
        return len(captured), page

    few, page = shown()
    planned = running.payments.in_plan().filter(state=PaymentState.PLANNED)
    count = running.payments.in_plan().count()
    assert count > 3
    assert f"Payments 1–3 of {count}." in page
    assert page.count('<th scope="row" id="payment-') == 3
    # The total to pay is of every payment in the period, not of the page.
    assert f"{format_dkk(sum(p.amount for p in planned))} to pay" in page
    assert "page=2" in page and "due_after=01.01.2000" in page.split("page=2")[0].rsplit("href=", 1)[-1]

    make_grant(gribskov_applicant, reviewer, *recent_period(), code="270")
    many, page = shown()
    assert f"of {count + Grant.objects.exclude(pk=running.pk).get().payments.in_plan().count()}." in page
    assert many == few
