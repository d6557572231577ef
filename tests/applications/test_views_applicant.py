"""The municipalities' pages: who may reach which page and partial, and what each does."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import capfirst

from applications import services
from applications.models import Application, Attachment, Goal, State
from applications.views.applicant import MINE_PAGE_SIZE
from tests.conftest import DECLARATION, application_in_state, make_complete_draft, make_pool, page_client_for
from tests.pdf_samples import reportlab_pdf

PDF = reportlab_pdf()

# (name, method, url template, data) — {pk}, {tg}, {att}, {m} are filled per test.
PAGES = [
    ("detail", "get", "/applications/{pk}/", None),
    ("edit", "get", "/applications/{pk}/edit/", None),
    ("autosave", "post", "/applications/{pk}/autosave/", {"title": "Nyt navn"}),
    ("checklist", "get", "/applications/{pk}/checklist/", None),
    (
        "row_create",
        "post",
        "/applications/{pk}/target-groups/",
        {"new-target-groups-name": "unge", "new-target-groups-size": "15"},
    ),
    (
        "row_update",
        "post",
        "/applications/{pk}/target-groups/{tg}/",
        {"target-groups-{tg}-name": "kvinder", "target-groups-{tg}-size": "36"},
    ),
    ("row_delete", "post", "/applications/{pk}/target-groups/{tg}/delete/", {}),
    ("approval", "post", "/applications/{pk}/approvals/{m}/", {"approval-{m}-status": "pending"}),
    ("download", "get", "/applications/{pk}/attachments/{att}/", None),
    ("attachment_delete", "post", "/applications/{pk}/attachments/{att}/delete/", {}),
    ("submit_page", "get", "/applications/{pk}/submit/", None),
    ("withdraw_page", "get", "/applications/{pk}/withdraw/", None),
    ("delete_page", "get", "/applications/{pk}/delete/", None),
]

# Expected status per persona on Slagelse's draft. 404: may not see it; 403: sees it, may not do it.
DRAFT_EXPECTED = {
    "slagelse_applicant": {
        "detail": 200,
        "edit": 200,
        "autosave": 302,
        "checklist": 200,
        "row_create": 302,
        "row_update": 302,
        "row_delete": 302,
        "approval": 302,
        "download": 200,
        "attachment_delete": 302,
        "submit_page": 200,
        "withdraw_page": 200,
        "delete_page": 200,
    },
    "committee": {"detail": 200, "download": 200, "approval": 403},
    "gribskov_applicant": {},
    "reviewer": {},
    "pool_admin": {},
    "ambassador": {},
}


@pytest.fixture
def draft(slagelse_applicant: Any) -> Application:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    services.add_attachment(
        application.pk, slagelse_applicant, SimpleUploadedFile("beslutning.pdf", PDF, "application/pdf")
    )
    return application


def _fill(template: Any, draft: Application) -> Any:
    values = {
        "pk": draft.pk,
        "tg": draft.target_groups.first().pk,
        "att": draft.attachments.first().pk,
        "m": draft.lead_municipality_id,
    }
    if isinstance(template, dict):
        return {key.format(**values): value for key, value in template.items()}
    return template.format(**values)


@pytest.mark.parametrize("persona", [*DRAFT_EXPECTED, "anonymous"])
@pytest.mark.parametrize(("page", "method", "url", "data"), PAGES, ids=[p[0] for p in PAGES])
def test_who_reaches_the_draft_pages(
    personas: dict[str, Any], draft: Application, persona: str, page: str, method: str, url: str, data: Any
) -> None:
    client = page_client_for(personas[persona])
    response = getattr(client, method)(_fill(url, draft), _fill(data, draft) if data else None)
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/login/")
        return
    expected = DRAFT_EXPECTED[persona].get(page, 404 if persona != "committee" else 403)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("slagelse_applicant", 200),
        ("committee", 200),
        ("gribskov_applicant", 403),  # the list is theirs too, but shows only their own
        ("reviewer", 403),
        ("pool_admin", 403),
        ("ambassador", 403),
    ],
)
def test_my_applications_is_for_municipalities(personas: dict[str, Any], persona: str, expected: int) -> None:
    assert page_client_for(personas[persona]).get("/applications/").status_code == (
        200 if persona in ("slagelse_applicant", "committee", "gribskov_applicant") else expected
    )


def test_my_applications_lists_only_own_with_next_action(
    slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any
) -> None:
    pool = make_pool()
    ours = application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer)
    theirs = make_complete_draft(pool, gribskov_applicant, code="270")
    theirs.title = "Gribskovs hemmelige projekt"
    theirs.save()
    page = page_client_for(slagelse_applicant).get("/applications/").content.decode()
    assert ours.journal_number in page
    assert "Gribskovs hemmelige projekt" not in page
    assert "1.000.000 kr." in page  # Danish amounts
    assert "politiske godkendelse" in page or "political approval" in page  # approval still missing


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [
        # The inbox (core.inbox): what needs them now.
        ("slagelse_applicant", "/inbox/"),
        ("committee", "/inbox/"),
        ("reviewer", "/inbox/"),
        ("pool_admin", "/inbox/"),
        ("ambassador", "/ambassador/"),
        ("anonymous", "/login/"),
    ],
)
def test_landing_page_depends_on_role(personas: dict[str, Any], persona: str, lands_on: str) -> None:
    response = page_client_for(personas[persona]).get("/")
    assert response.status_code == 302 and response.url == lands_on


def test_start_an_application_prefills_the_municipality(slagelse_applicant: Any) -> None:
    pool = make_pool()
    response = page_client_for(slagelse_applicant).post(f"/pools/{pool.pk}/apply/")
    application = Application.objects.get()
    assert response.url == f"/applications/{application.pk}/edit/"
    assert application.lead_municipality.code == "330"
    assert application.cvr == "29188505"  # Slagelse's CVR, known from the seeds
    assert application.state == State.DRAFT


def test_cannot_start_after_the_deadline(slagelse_applicant: Any) -> None:
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    pool = make_pool(opens_on=today - datetime.timedelta(days=60), closes_on=today - datetime.timedelta(days=1))
    client = page_client_for(slagelse_applicant)
    response = client.post(f"/pools/{pool.pk}/apply/", follow=True)
    assert not Application.objects.exists()
    assert "deadline" in response.content.decode().lower() or "frist" in response.content.decode().lower()


def test_reviewer_cannot_start_an_application(reviewer: Any) -> None:
    pool = make_pool()
    assert page_client_for(reviewer).post(f"/pools/{pool.pk}/apply/").status_code == 403
    assert not Application.objects.exists()


def test_submit_shows_the_journal_number_and_receipt(slagelse_applicant: Any) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    client = page_client_for(slagelse_applicant)
    response = client.post(f"/applications/{application.pk}/submit/", DECLARATION)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert response.url == f"/applications/{application.pk}/receipt/"
    receipt = client.get(response.url).content.decode()
    assert application.journal_number in receipt


def test_submit_of_an_incomplete_draft_names_every_problem_and_keeps_it(slagelse_applicant: Any) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    Application.objects.filter(pk=application.pk).update(purpose="", cvr="")
    application.budget_lines.all().delete()
    response = page_client_for(slagelse_applicant).post(f"/applications/{application.pk}/submit/", DECLARATION)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page[page.index("error-summary-heading") :]
    summary = summary[: summary.index("</ul>")]
    links = re.findall(r'<li><a href="[^"]+">[^<]+</a></li>', summary)
    # Purpose, CVR and budget, each named once, as a link to where it is put right.
    assert len(links) >= 3 and summary.count("<li>") == len(links)
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.title == "Beskæftigelsesambassadør"


def test_withdraw_with_reason_is_logged(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    client = page_client_for(slagelse_applicant)
    client.post(f"/applications/{application.pk}/withdraw/", {"reason": "Projektet er udskudt"})
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    assert application.transitions.last().reason == "Projektet er udskudt"


def test_delete_draft_page_deletes(slagelse_applicant: Any) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    response = page_client_for(slagelse_applicant).post(f"/applications/{application.pk}/delete/")
    assert response.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


def test_detail_shows_everything_to_the_reviewer_but_no_edit(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    client = page_client_for(reviewer)
    page = client.get(f"/applications/{application.pk}/").content.decode()
    assert "aktivitetsparate kvinder" in page and "1.000.000 kr." in page
    assert f"/applications/{application.pk}/edit/" not in page
    assert f"/applications/{application.pk}/score/" in page
    assert client.get(f"/applications/{application.pk}/edit/").status_code == 403


def test_the_answers_keep_their_line_breaks_and_show_markup_as_text(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    Application.objects.filter(pk=application.pk).update(
        approach='Første led.\r\nAndet led <b>fed</b> & "citat".\nTredje led.', organisation=""
    )
    page = page_client_for(reviewer).get(f"/applications/{application.pk}/").content.decode()
    assert "<dd>Første led.<br>Andet led &lt;b&gt;fed&lt;/b&gt; &amp; &quot;citat&quot;.<br>Tredje led.</dd>" in page
    assert "<b>fed</b>" not in page
    # An unanswered question reads "–".
    methods = Application._meta.get_field("methods").verbose_name
    Application.objects.filter(pk=application.pk).update(methods="")
    page = page_client_for(reviewer).get(f"/applications/{application.pk}/").content.decode()
    assert f"<dt>{capfirst(methods)}</dt><dd>–</dd>" in page


def test_the_goals_and_budget_read_in_danish(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    application.budget_lines.update(fte=Decimal("1.50"), amount=Decimal("412500.50"))
    Goal.objects.create(
        application=application,
        title="Andel i job",
        kind="percentage",
        unit="pct.",
        target_value=Decimal("42.50"),
        cumulative=False,
    )
    page = page_client_for(reviewer).get(f"/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    year = application.budget_lines.get().year
    row = f'<tr><td>{year}</td><td>Løn</td><td class="number">412.500,50 kr.</td><td class="number">1,50</td></tr>'
    assert row in page
    # A count without a baseline, and a share in another unit than %: "42,50 % pct." and "–".
    assert '<td class="number">35 </td><td class="number">–</td><td>aktivitetsparate kvinder</td>' in page
    assert '<td class="number">42,50 % pct.</td><td class="number">–</td><td>–</td>' in page


def test_attachment_download_is_the_pdf_for_viewers_only(
    slagelse_applicant: Any, gribskov_applicant: Any, draft: Application
) -> None:
    attachment = draft.attachments.get()
    url = f"/applications/{draft.pk}/attachments/{attachment.pk}/"
    response = page_client_for(slagelse_applicant).get(url)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert page_client_for(gribskov_applicant).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("brev.docx", b"PK\x03\x04 word", "PDF"),
        ("falsk.pdf", b"<html>not a pdf", "PDF"),
    ],
)
def test_only_pdf_attachments(slagelse_applicant: Any, name: str, content: bytes, problem: str) -> None:
    application = make_complete_draft(make_pool(), slagelse_applicant)
    response = page_client_for(slagelse_applicant).post(
        f"/applications/{application.pk}/attachments/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_size_limit(slagelse_applicant: Any, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    application = make_complete_draft(make_pool(), slagelse_applicant)
    big = SimpleUploadedFile("stor.pdf", PDF + b"0" * 2048, "application/pdf")
    response = page_client_for(slagelse_applicant).post(f"/applications/{application.pk}/attachments/", {"file": big})
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_no_attachments_after_submit(slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.SUBMITTED, make_pool(), slagelse_applicant, reviewer)
    response = page_client_for(slagelse_applicant).post(
        f"/applications/{application.pk}/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert response.status_code == 302  # back to the read view with the reason, nothing stored
    assert not Attachment.objects.exists()


def test_my_applications_query_count(slagelse_applicant: Any, django_assert_max_num_queries: Any) -> None:
    pool = make_pool()
    for _ in range(3):
        make_complete_draft(pool, slagelse_applicant)
    client = page_client_for(slagelse_applicant)
    # 14: one of them asks whether the open pools' figures are the demo's illustrative ones, one
    # counts the applications for the pages.
    with django_assert_max_num_queries(14) as few:
        client.get("/applications/")
    for _ in range(MINE_PAGE_SIZE):
        make_complete_draft(pool, slagelse_applicant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get("/applications/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = client.get("/applications/", {"page": 2})

    # A page at a time, the latest changed first; the second page has the three made first.
    assert len(first.context["applications"]) == MINE_PAGE_SIZE
    assert [a.pk for a in second.context["applications"]] == sorted(
        Application.objects.filter(lead_municipality__code="330").values_list("pk", flat=True)
    )[:3][::-1]
    page = second.content.decode()
    assert f"Ansøgning {MINE_PAGE_SIZE + 1}–{MINE_PAGE_SIZE + 3} af {MINE_PAGE_SIZE + 3}" in page  # Danish
    assert "Forrige side" in page and "Næste side" not in page
