"""What used to be written over without a trace now leaves one in the change log: a political
approval recorded again or taken back, a review replaced, a pool's budget and criteria edited.
Each entry says who, when, which record, and the changed fields before and after, and shows
where a person looks (the application's history, the pool's edit page, the admin) to those the
rules let see it and to no one else."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.changes import APPROVAL, POOL, REVIEW
from applications.models import Application, ApprovalStatus, Municipality, PoliticalApproval, Pool, Review, State
from core.log import AppendOnlyError
from core.models import ChangeLogEntry

from ..conftest import client_for, make_complete_draft, page_client_for
from .test_views_pools import _criteria, _edit_data

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2026, 3, 2)
SCORES = {"Mål": 4, "Organisering": 3}
REASONS = {"Mål": "Målbare mål.", "Organisering": "Klar ledelse."}
GRANT_ALL = {"scores": SCORES, "reasons": REASONS, "recommendation": "grant", "amount": Decimal("1000000")}


def _page(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    return response.status_code, html.unescape(response.content.decode())


def _text(page: str) -> str:
    """The page as read aloud: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _approval(municipality: Municipality, status: str, **values: Any) -> dict[str, Any]:
    return {"municipality": municipality, "status": status, **values}


def _approved(municipality: Municipality, body: str = "Byrådet") -> dict[str, Any]:
    return _approval(municipality, ApprovalStatus.APPROVED, decided_on=DECIDED, body=body, reference="Sag 17")


@pytest.fixture
def slagelse(db: None) -> Municipality:
    return Municipality.objects.get(code="330")


@pytest.fixture
def approved_later(pool: Pool, slagelse_applicant: Any, slagelse: Municipality) -> Application:
    """Submitted with the approval "sent later", then recorded as approved."""
    draft = make_complete_draft(pool, slagelse_applicant)
    services.record_political_approval(draft.pk, slagelse_applicant, _approval(slagelse, ApprovalStatus.PENDING))
    services.submit(draft.pk, slagelse_applicant)
    services.record_political_approval(draft.pk, slagelse_applicant, _approved(slagelse))
    return Application.objects.get(pk=draft.pk)


# Political approvals ---------------------------------------------------------------------------


def test_an_approval_recorded_after_being_sent_later_keeps_what_it_was(
    approved_later: Application, slagelse_applicant: Any, slagelse: Municipality
) -> None:
    assert approved_later.state == State.POLITICALLY_APPROVED
    approval = PoliticalApproval.objects.get(application=approved_later)
    entry = ChangeLogEntry.objects.of(approved_later).get()

    assert (entry.kind, entry.record_id, entry.part, entry.by) == (
        APPROVAL,
        approval.pk,
        slagelse.name,
        slagelse_applicant,
    )
    recorded_at = entry.before.pop("recorded_at")
    assert datetime.datetime.fromisoformat(recorded_at) <= entry.at
    assert entry.before == {
        "status": "pending",
        "decided_on": None,
        "body": "",
        "reference": "",
        "recorded_by": "slagelse",
    }
    assert entry.after == {"status": "approved", "decided_on": "2026-03-02", "body": "Byrådet", "reference": "Sag 17"}


def test_an_approval_taken_back_is_logged_and_shown_to_the_partner(
    pool: Pool, slagelse_applicant: Any, gribskov_applicant: Any, slagelse: Municipality
) -> None:
    """Slagelse approves, then takes it back while Gribskov's approval is still missing."""
    application = make_complete_draft(pool, slagelse_applicant)
    application.partner_municipalities.add(Municipality.objects.get(code="270"))
    services.submit(application.pk, slagelse_applicant)
    services.record_political_approval(application.pk, slagelse_applicant, _approved(slagelse))
    services.record_political_approval(application.pk, slagelse_applicant, _approval(slagelse, ApprovalStatus.PENDING))

    entry = ChangeLogEntry.objects.of(application).get()
    assert (entry.before["status"], entry.after) == (
        "approved",
        {"status": "pending", "decided_on": None, "body": "", "reference": ""},
    )
    status, page = _page(page_client_for(gribskov_applicant), reverse("applications:detail", args=[application.pk]))
    assert status == 200
    assert "Political approval of Slagelse changed" in page
    assert "Status from Approved → to Sent later" in _text(page)


def test_recording_the_same_approval_again_logs_nothing(
    pool: Pool, slagelse_applicant: Any, slagelse: Municipality
) -> None:
    application = make_complete_draft(pool, slagelse_applicant)
    application.partner_municipalities.add(Municipality.objects.get(code="270"))
    services.submit(application.pk, slagelse_applicant)
    services.record_political_approval(application.pk, slagelse_applicant, _approved(slagelse))
    services.record_political_approval(application.pk, slagelse_applicant, _approved(slagelse))
    assert not ChangeLogEntry.objects.exists()


def test_a_returned_application_logs_its_approval_changes(
    pool: Pool, slagelse_applicant: Any, reviewer: Any, slagelse: Municipality
) -> None:
    """Back in draft after a return for revision, it keeps its journal number and its log."""
    application = make_complete_draft(pool, slagelse_applicant)
    services.record_political_approval(application.pk, slagelse_applicant, _approval(slagelse, ApprovalStatus.PENDING))
    services.submit(application.pk, slagelse_applicant)
    services.return_for_revision(application.pk, reviewer, "Uddyb organiseringen.")
    services.record_political_approval(application.pk, slagelse_applicant, _approved(slagelse))
    services.record_political_approval(application.pk, slagelse_applicant, _approved(slagelse, body="Økonomiudvalget"))

    first, second = ChangeLogEntry.objects.of(application)
    assert (first.before["status"], first.after["status"]) == ("pending", "approved")
    assert (second.before["body"], second.after) == ("Byrådet", {"body": "Økonomiudvalget"})


VIEWERS = {
    "slagelse_applicant": True,
    "committee": True,
    "reviewer": True,
    "pool_admin": True,
    "gribskov_applicant": None,  # the application is a 404
    "ambassador": None,
}


@pytest.mark.parametrize(("persona", "sees"), VIEWERS.items())
def test_who_sees_an_approval_change(
    persona: str, sees: bool | None, approved_later: Application, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    status, page = _page(page_client_for(user), reverse("applications:detail", args=[approved_later.pk]))

    assert status == (404 if sees is None else 200)
    assert ("Political approval of Slagelse changed" in page) is bool(sees)
    assert ("Replaces what slagelse recorded" in page) is bool(sees)
    assert ChangeLogEntry.objects.visible_to(user).exists() is bool(sees)


def test_the_api_history_keeps_its_shape(approved_later: Application, slagelse_applicant: Any) -> None:
    body = client_for(slagelse_applicant).get(f"/api/v1/applications/{approved_later.pk}/history/").json()
    assert [entry["transition"] for entry in body] == ["submit", "approve_politically"]
    assert {key for entry in body for key in entry} == {"transition", "source", "target", "by", "at", "reason"}


# Reviews -------------------------------------------------------------------------------------


@pytest.fixture
def replaced_review(approved_later: Application, reviewer: Any) -> Application:
    services.save_review(approved_later.pk, reviewer, GRANT_ALL)
    services.save_review(
        approved_later.pk,
        reviewer,
        {
            "scores": {**SCORES, "Mål": 2},
            "reasons": {**REASONS, "Mål": "Målene er uklare."},
            "recommendation": "revise",
            "comment": "Uddyb målene.",
        },
    )
    return approved_later


def test_a_replaced_review_keeps_what_it_was(replaced_review: Application, reviewer: Any) -> None:
    """The recommendation's amount and the reasons per criterion are logged beside the scores."""
    review = Review.objects.get(application=replaced_review)
    entry = ChangeLogEntry.objects.of(replaced_review).get(kind=REVIEW)

    assert (entry.record_id, entry.part, entry.by) == (review.pk, "reviewer", reviewer)
    assert entry.before == {
        "scores": SCORES,
        "reasons": REASONS,
        "recommendation": "grant",
        "amount": "1000000.00",
        "comment": "",
    }
    assert entry.after == {
        "scores": {**SCORES, "Mål": 2},
        "reasons": {**REASONS, "Mål": "Målene er uklare."},
        "recommendation": "revise",
        "amount": None,
        "comment": "Uddyb målene.",
    }


def test_saving_the_same_review_again_logs_nothing(approved_later: Application, reviewer: Any) -> None:
    data = GRANT_ALL
    services.save_review(approved_later.pk, reviewer, data)
    services.save_review(approved_later.pk, reviewer, data)
    assert not ChangeLogEntry.objects.filter(kind=REVIEW).exists()


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("reviewer", True), ("pool_admin", True), ("slagelse_applicant", False), ("committee", False)],
)
def test_only_siri_sees_a_replaced_review(
    persona: str, sees: bool, replaced_review: Application, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    client = page_client_for(user)
    status, page = _page(client, reverse("applications:detail", args=[replaced_review.pk]))

    assert status == 200
    assert "Political approval of Slagelse changed" in page  # the approval's change all see
    assert ("Review by reviewer replaced" in page) is sees
    assert ("Målene er uklare." in page) is sees
    assert ("Uddyb målene." in page) is sees
    assert ChangeLogEntry.objects.visible_to(user).filter(kind=REVIEW).exists() is sees
    if sees:  # the reviewer's history page and its htmx partial too
        url = reverse("applications:history", args=[replaced_review.pk])
        for headers in ({}, {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "history"}):
            page = html.unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="en", **headers).content.decode())
            assert "Review by reviewer replaced" in page and "Return for revision" in page


# Pools -------------------------------------------------------------------------------------------


def test_a_pool_edited_on_its_page_logs_budget_and_criteria(pool: Pool, pool_admin: Any) -> None:
    rows = [("Mål", "3"), ("Organisering", "1,5")]
    data = _edit_data(pool, total_budget="12.000.000", **_criteria(rows, initial=2))

    response = page_client_for(pool_admin).post(f"/pools/{pool.pk}/", data)

    assert response.status_code == 302
    entry = ChangeLogEntry.objects.of(pool).get()
    assert (entry.kind, entry.by, entry.record_id) == (POOL, pool_admin, pool.pk)
    assert entry.before == {
        "total_budget": "10000000.00",
        "criteria": [{"name": "Mål", "weight": "3.00"}, {"name": "Organisering", "weight": "1.00"}],
    }
    assert entry.after == {
        "total_budget": "12000000.00",
        "criteria": [{"name": "Mål", "weight": "3.00"}, {"name": "Organisering", "weight": "1.50"}],
    }
    status, page = _page(page_client_for(pool_admin), f"/pools/{pool.pk}/")
    assert status == 200 and "Changes to the pool" in page
    assert "10.000.000 kr." in page and "12.000.000 kr." in page
    assert "Mål (3), Organisering (1)" in page and "Mål (3), Organisering (1.5)" in page


def test_saving_a_pool_unchanged_logs_nothing(pool: Pool, pool_admin: Any) -> None:
    response = page_client_for(pool_admin).post(f"/pools/{pool.pk}/", _edit_data(pool))
    assert response.status_code == 302
    assert not ChangeLogEntry.objects.exists()
    _status, page = _page(page_client_for(pool_admin), f"/pools/{pool.pk}/")
    assert "The pool has not been changed since it was created." in page


def test_a_pool_edited_through_the_api_is_logged(pool: Pool, pool_admin: Any) -> None:
    response = client_for(pool_admin).patch(f"/api/v1/pools/{pool.pk}/", {"max_grant": "2500000"}, format="json")

    assert response.status_code == 200, response.content
    entry = ChangeLogEntry.objects.of(pool).get()
    assert (entry.before, entry.after) == ({"max_grant": "3000000.00"}, {"max_grant": "2500000.00"})


def _admin_pool_data(pool: Pool, **overrides: str) -> dict[str, str]:
    data = {key: value for key, value in _edit_data(pool).items() if not key.startswith("criteria-")}
    criteria = list(pool.criteria.order_by("position", "id"))
    data.update(
        {
            "criteria-TOTAL_FORMS": str(len(criteria) + 1),
            "criteria-INITIAL_FORMS": str(len(criteria)),
            "criteria-MIN_NUM_FORMS": "0",
            "criteria-MAX_NUM_FORMS": "1000",
            "core-changelogentry-subject_type-subject_id-TOTAL_FORMS": "0",
            "core-changelogentry-subject_type-subject_id-INITIAL_FORMS": "0",
            "_save": "Save",
        }
    )
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": str(criterion.pk),
                f"criteria-{index}-pool": str(pool.pk),
                f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-weight": str(criterion.weight),
                f"criteria-{index}-position": str(criterion.position),
            }
        )
    data[f"criteria-{len(criteria)}-pool"] = str(pool.pk)
    data.update(overrides)
    return data


def test_a_pool_edited_in_the_admin_is_one_change_with_its_criteria(pool: Pool, pool_admin: Any) -> None:
    pool_admin.is_staff = True
    pool_admin.save()
    data = _admin_pool_data(
        pool,
        total_budget="11.000.000",
        **{
            "criteria-1-DELETE": "on",
            "criteria-2-name": "Forankring",
            "criteria-2-weight": "2",
            "criteria-2-position": "5",
        },
    )

    response = page_client_for(pool_admin).post(f"/admin/applications/pool/{pool.pk}/change/", data)

    assert response.status_code == 302, html.unescape(response.content.decode())[-3000:]
    assert [(c.name, c.weight) for c in pool.criteria.all()] == [("Mål", Decimal(3)), ("Forankring", Decimal(2))]
    entry = ChangeLogEntry.objects.of(pool).get()
    assert entry.after == {
        "total_budget": "11000000.00",
        "criteria": [{"name": "Mål", "weight": "3.00"}, {"name": "Forankring", "weight": "2.00"}],
    }
    assert entry.before["criteria"] == [{"name": "Mål", "weight": "3.00"}, {"name": "Organisering", "weight": "1.00"}]
    page = html.unescape(
        page_client_for(pool_admin).get(f"/admin/applications/pool/{pool.pk}/change/").content.decode()
    )
    assert "11.000.000 kr." in page  # the change log inline beside the pool


def test_the_admin_refuses_two_criteria_of_one_name_and_logs_nothing(pool: Pool, pool_admin: Any) -> None:
    pool_admin.is_staff = True
    pool_admin.save()
    data = _admin_pool_data(pool, **{"criteria-2-name": " Mål", "criteria-2-weight": "1"})

    response = page_client_for(pool_admin).post(f"/admin/applications/pool/{pool.pk}/change/", data)

    assert response.status_code == 200  # the form again, saying why
    assert pool.criteria.count() == 2 and not ChangeLogEntry.objects.exists()


@pytest.mark.parametrize("persona", ["slagelse_applicant", "committee", "ambassador"])
def test_no_one_outside_siri_sees_a_pool_change(persona: str, pool: Pool, pool_admin: Any, request: Any) -> None:
    services.save_pool(pool_admin, {"total_budget": Decimal(9_000_000)}, pool_id=pool.pk)
    user = request.getfixturevalue(persona)
    assert not ChangeLogEntry.objects.visible_to(user).exists()
    assert not user.has_perm("core.view_changelogentry", ChangeLogEntry.objects.get())
    assert page_client_for(user).get(f"/pools/{pool.pk}/").status_code == 403


# The admin: read only, for SIRI ----------------------------------------------------------------


def test_siri_reads_the_change_log_in_the_admin_and_cannot_change_it(
    replaced_review: Application, reviewer: Any
) -> None:
    reviewer.is_staff = True
    reviewer.save()
    browser = page_client_for(reviewer)
    entries = ChangeLogEntry.objects.order_by("pk")
    assert [e.kind for e in entries] == [APPROVAL, REVIEW]

    listing = html.unescape(browser.get("/admin/core/changelogentry/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Political approval of Slagelse changed" in listing and "Review by reviewer replaced" in listing
    detail = browser.get(f"/admin/core/changelogentry/{entries[1].pk}/change/", HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200 and "Målene er uklare." in html.unescape(detail.content.decode())
    assert browser.post(f"/admin/core/changelogentry/{entries[1].pk}/change/", {"part": "x"}).status_code == 403
    assert browser.post(f"/admin/core/changelogentry/{entries[1].pk}/delete/", {"post": "yes"}).status_code == 403
    assert browser.get("/admin/core/changelogentry/add/").status_code == 403
    application_page = browser.get(
        f"/admin/applications/application/{replaced_review.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Review by reviewer replaced" in html.unescape(application_page.content.decode())


def test_an_entry_is_never_edited(approved_later: Application) -> None:
    entry = ChangeLogEntry.objects.get()
    entry.after = {}
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_the_change_log_names_the_person_as_they_were(approved_later: Application, slagelse_applicant: Any) -> None:
    """A later change of name does not rewrite who recorded the replaced values."""
    get_user_model().objects.filter(pk=slagelse_applicant.pk).update(first_name="Omdøbt")
    assert ChangeLogEntry.objects.get().before["recorded_by"] == "slagelse"
    assert timezone.now() >= ChangeLogEntry.objects.get().at
