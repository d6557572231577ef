"""The grant administration's sections of the inbox: the municipality's grants to accept (counting
down to the deadline) and SIRI's decisions on its change requests; SIRI's change requests to
decide. Another municipality sees none of it; the page asks the database a fixed number of times."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from applications.models import Grant
from awards import services
from awards.models import ChangeKind

from ..conftest import page_client_for
from .conftest import ACCEPTANCE

pytestmark = pytest.mark.django_db


def _inbox(user: Any, lang: str = "en") -> tuple[dict[str, list[str]], str]:
    response = page_client_for(user).get("/inbox/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    titles = {shown.section.key: [item.title for item, _c in shown.items] for shown in response.context["sections"]}
    return titles, re.sub(r"\s+", " ", response.content.decode())


def _ask_budget(grant: Grant, user: Any) -> Any:
    years = range(grant.start_date.year, grant.end_date.year + 1)
    lines = [{"year": y, "category": "salaries", "amount": Decimal(400000)} for y in years]
    return services.file_change(
        grant.pk, user, {"kind": ChangeKind.BUDGET, "reason": "Flyt midler.", "budget_lines": lines}
    )


def test_the_municipality_is_asked_to_accept_by_the_deadline_until_it_has(
    awaiting: Grant, slagelse_applicant: Any, gribskov_applicant: Any
) -> None:
    deadline = services.terms_of(awaiting).accept_by
    titles, page = _inbox(slagelse_applicant)
    assert titles["awards-to-accept"] == [awaiting.application.title]
    assert f"/projects/{awaiting.pk}/accept/" in page and "800.000 kr." in page
    # Counted from today in Copenhagen: the grant's UTC timestamp is a day behind after midnight.
    assert f"{(deadline - timezone.localdate()).days} days left" in page
    assert "awards-to-accept" not in _inbox(gribskov_applicant)[0]

    services.accept(awaiting.pk, slagelse_applicant, ACCEPTANCE)
    assert "awards-to-accept" not in _inbox(slagelse_applicant)[0]


def test_siri_decides_the_change_requests_waiting_and_the_municipality_reads_the_decision(
    running: Grant, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    change = _ask_budget(running, slagelse_applicant)
    for siri in (reviewer, pool_admin):
        titles, page = _inbox(siri)
        assert titles["awards-changes-to-decide"] == [running.application.title]
        assert f"/change-requests/{change.pk}/" in page and "Slagelse" in page

    services.refuse_change(change.pk, reviewer, "Budgettet er ikke begrundet.")

    assert "awards-changes-to-decide" not in _inbox(reviewer)[0]
    titles, page = _inbox(slagelse_applicant, "da")
    assert titles["awards-change-decisions"] == [running.application.title]
    assert "Budgettet er ikke begrundet." in page and "afviste ændringsanmodningen" in page
    assert "awards-change-decisions" not in _inbox(gribskov_applicant)[0]


@pytest.mark.parametrize("persona", ["slagelse_applicant", "reviewer"])
def test_the_sections_ask_the_database_a_fixed_number_of_times(
    persona: str, personas: dict[str, Any], awaiting: Grant, awaiting_other: Grant
) -> None:
    slagelse, reviewer = personas["slagelse_applicant"], personas["reviewer"]
    client = page_client_for(personas[persona])

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/inbox/").status_code == 200
        return len(captured)

    services.accept(awaiting.pk, slagelse, ACCEPTANCE)
    services.refuse_change(_ask_budget(awaiting, slagelse).pk, reviewer, "Nej.")
    _ask_budget(awaiting, slagelse)
    client.get("/inbox/")
    few = count()
    services.accept(awaiting_other.pk, slagelse, ACCEPTANCE)
    services.refuse_change(_ask_budget(awaiting_other, slagelse).pk, reviewer, "Nej.")
    _ask_budget(awaiting_other, slagelse)
    assert count() == few


def test_the_end_of_a_grant_is_in_the_inboxes_until_it_is_decided(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, pool_admin: Any
) -> None:
    from awards.services import closing

    from .closing_helpers import ended_grant, submitted_accounts

    grant = ended_grant(slagelse_applicant, reviewer, pool_admin)
    title = grant.application.title
    sections, _page = _inbox(slagelse_applicant)
    assert any(title in line for line in sections["awards-end-due"])
    assert not any(title in line for line in _inbox(gribskov_applicant)[0].get("awards-end-due", []))
    assert not any(title in line for line in _inbox(reviewer)[0].get("awards-end-to-decide", []))

    accounts = submitted_accounts(grant, slagelse_applicant)
    assert not any(title in line for line in _inbox(slagelse_applicant)[0].get("awards-end-due", []))
    assert any(title in line for line in _inbox(reviewer)[0]["awards-end-to-decide"])
    closing.approve_final_accounts(accounts.pk, reviewer)
    assert not any(title in line for line in _inbox(reviewer)[0].get("awards-end-to-decide", []))
