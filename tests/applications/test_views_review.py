"""SIRI's reviewer desk as pages: the queue, scoring and the decisions (who may open what is in
test_views_review_permissions.py)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application, Grant, Municipality, Review, State, TransitionLog

from ..conftest import REASONS, application_in_state, make_complete_draft, make_pool, page_client_for, review

SCORE_OK = {"recommendation": "grant", "amount": "1.000.000", "comment": "Godt projekt"}


def client(user: Any, language: str = "en") -> Client:
    """Text is asserted in English so that a later Danish translation does not break the tests."""
    browser = page_client_for(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return browser


def score_data(application: Application, **scores: int) -> dict[str, Any]:
    """The form's answers: each criterion scored is given its reason too."""
    criteria = {c.name: c.pk for c in application.pool.criteria.all()}
    reasons = {f"reason_{criteria[name]}": f"Begrundelse for {name}." for name in scores}
    return {**SCORE_OK, **{f"score_{criteria[name]}": value for name, value in scores.items()}, **reasons}


def submitted(pool: Any, applicant: Any, code: str = "330", amount: str = "1000000.00") -> Application:
    application = make_complete_draft(pool, applicant, code=code, amount=amount)
    services.submit(application.pk, applicant)
    return Application.objects.get(pk=application.pk)


def queue_rows(response: Any) -> list[str]:
    """The journal numbers of the queue's rows, in order."""
    return re.findall(r'<th scope="row">([^<]*)</th>', response.content.decode())


GRANT = {"amount": "900.000", "conditions": ""}
REASON = {"reason": "Projektet mangler konkrete mål."}


# The queue -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_queue_shows_what_awaits_review_and_filters(
    pool: Any, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any
) -> None:
    waiting = submitted(pool, slagelse_applicant)
    approved = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    granted = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    make_complete_draft(pool, slagelse_applicant)  # SIRI never sees a draft
    other_pool = make_pool(name="Sprogmakkere")
    gribskov = submitted(other_pool, gribskov_applicant, code="270")
    partnered = make_complete_draft(pool, gribskov_applicant, code="270")
    partnered.partner_municipalities.add(Municipality.objects.get(code="330"))
    services.submit(partnered.pk, gribskov_applicant)
    partnered.refresh_from_db()
    browser = client(reviewer)
    url = reverse("applications:queue")

    default = browser.get(url)
    assert set(queue_rows(default)) == {a.journal_number for a in (waiting, approved, gribskov, partnered)}
    assert reverse("applications:detail", args=[waiting.pk]) in default.content.decode()
    assert "1.000.000 kr." in default.content.decode()

    only_granted = browser.get(url, {"filtered": "1", "state": "granted"})
    assert queue_rows(only_granted) == [granted.journal_number]
    every_state = browser.get(url, {"filtered": "1"})
    assert len(queue_rows(every_state)) == 5
    by_pool = browser.get(url, {"filtered": "1", "pool": other_pool.pk})
    assert queue_rows(by_pool) == [gribskov.journal_number]
    slagelse = browser.get(url, {"filtered": "1", "state": ["submitted"], "municipality": "330"})
    assert set(queue_rows(slagelse)) == {waiting.journal_number, partnered.journal_number}
    nonsense = browser.get(url, {"filtered": "1", "pool": "nonsense", "sort": "colour"})
    assert nonsense.status_code == 200


@pytest.mark.django_db
def test_queue_search_finds_journal_numbers_and_titles_in_every_state(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    waiting = submitted(pool, slagelse_applicant)
    granted = application_in_state(State.GRANTED, pool, slagelse_applicant, reviewer)
    rejected = application_in_state(State.REJECTED, pool, slagelse_applicant, reviewer)
    Application.objects.filter(pk=granted.pk).update(title="Sprogmakkere i Slagelse")
    Application.objects.filter(pk=rejected.pk).update(title="Virksomhedsrettet sprogmakkerordning")
    draft = make_complete_draft(pool, slagelse_applicant)
    Application.objects.filter(pk=draft.pk).update(title="Sprogmakker-kladde")  # SIRI never sees a draft
    browser = client(reviewer)
    url = reverse("applications:queue")

    # A journal number, whole or in part, whatever became of the application.
    assert queue_rows(browser.get(url, {"q": granted.journal_number})) == [granted.journal_number]
    assert queue_rows(browser.get(url, {"q": f" {rejected.journal_number} "})) == [rejected.journal_number]
    year = waiting.journal_number.split("-")[0]
    assert len(queue_rows(browser.get(url, {"q": year}))) == 3
    # Words of the title, in any case; every word must match.
    found = browser.get(url, {"q": "SPROGMAKKER"})
    assert set(queue_rows(found)) == {granted.journal_number, rejected.journal_number}
    assert queue_rows(browser.get(url, {"q": "sprogmakker slagelse"})) == [granted.journal_number]
    assert queue_rows(browser.get(url, {"q": "ingen-sådan"})) == []
    page = found.content.decode()
    assert "Showing applications in every state that match “SPROGMAKKER”." in page
    assert 'name="q" value="SPROGMAKKER"' in page  # the filters narrow the search
    # The filters narrow what the search found.
    narrowed = browser.get(url, {"q": "sprogmakker", "filtered": "1", "state": "granted"})
    assert queue_rows(narrowed) == [granted.journal_number]
    # Another municipality's applicant may not search at all.
    assert client(slagelse_applicant).get(url, {"q": year}).status_code == 403


@pytest.mark.django_db
def test_queue_sorts_by_each_column(pool: Any, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any) -> None:
    small = submitted(pool, slagelse_applicant, amount="200000.00")
    large = submitted(pool, slagelse_applicant, amount="2000000.00")
    middle = submitted(pool, slagelse_applicant, amount="700000.00")
    gribskov = submitted(pool, gribskov_applicant, code="270", amount="100000.00")
    for application, (goals, organisation) in ((small, (5, 5)), (large, (1, 2))):
        scores = {"Mål": goals, "Organisering": organisation}
        reasons = {"Mål": "Begrundet.", "Organisering": "Begrundet."}
        services.save_review(
            application.pk, reviewer, {"scores": scores, "reasons": reasons, "recommendation": "reject"}
        )
    browser = client(reviewer)
    url = reverse("applications:queue")

    def order(sort: str | None = None) -> list[str]:
        rows = queue_rows(browser.get(url, {"sort": sort} if sort else {}))
        names = {a.journal_number: name for name, a in (("S", small), ("L", large), ("M", middle), ("G", gribskov))}
        return [names[row] for row in rows]

    assert order() == ["S", "L", "M", "G"]  # oldest submission first
    assert order("-submitted") == ["G", "M", "L", "S"]
    assert order("-journal") == ["G", "M", "L", "S"]
    assert order("municipality") == ["G", "S", "L", "M"]
    assert order("requested") == ["G", "S", "M", "L"]
    assert order("-requested") == ["L", "M", "S", "G"]
    # Unscored applications come last in both directions.
    assert order("score") == ["L", "S", "M", "G"]
    assert order("-score") == ["S", "L", "M", "G"]
    page = browser.get(url, {"sort": "-requested"}).content.decode()
    assert page.count("aria-sort=") == 1 and 'aria-sort="descending"' in page
    assert "5,00" in client(reviewer, "da").get(url, {"sort": "-score"}).content.decode()


@pytest.mark.django_db
def test_the_score_sort_averages_as_the_page_shows_and_leaves_out_a_conflict(
    pool: Any, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    """The sort by score reads the scores without the Review rows; it must order by the very
    averages the queue shows: over every reviewer, a declared conflict left out."""
    first = submitted(pool, slagelse_applicant, amount="200000.00")
    second = submitted(pool, slagelse_applicant, amount="300000.00")
    # first: (4,4) and (2,2) → 3,00. second: (3,4) alone; the 5s of a declared conflict do not count.
    for application, who, goals, organisation in (
        (first, reviewer, 4, 4),
        (first, second_reviewer, 2, 2),
        (second, reviewer, 3, 4),
        (second, second_reviewer, 5, 5),
    ):
        scores = {"Mål": goals, "Organisering": organisation}
        services.save_review(
            application.pk,
            who,
            {
                "scores": scores,
                "reasons": REASONS,
                "recommendation": "grant",
                "amount": application.requested_total,
            },
        )
    services.save_review(second.pk, second_reviewer, {"conflict_of_interest": True})
    browser = client(reviewer)
    url = reverse("applications:queue")
    assert queue_rows(browser.get(url, {"sort": "-score"})) == [second.journal_number, first.journal_number]
    assert queue_rows(browser.get(url, {"sort": "score"})) == [first.journal_number, second.journal_number]
    rows = {row.application.pk: row.average for row in browser.get(url, {"sort": "-score"}).context["rows"]}
    assert rows[first.pk] == Decimal("3.00")
    assert rows[second.pk] > rows[first.pk]


@pytest.mark.django_db
def test_queue_queries_do_not_grow_with_the_list(
    pool: Any, slagelse_applicant: Any, reviewer: Any, second_reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    partner = Municipality.objects.get(code="270")

    def add(count: int) -> None:
        for _ in range(count):
            application = make_complete_draft(pool, slagelse_applicant)
            application.partner_municipalities.add(partner)
            services.submit(application.pk, slagelse_applicant)
            review(application, reviewer)
            services.save_review(application.pk, second_reviewer, {"conflict_of_interest": True})

    browser = client(reviewer)
    url = reverse("applications:queue")

    def count(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(url, params)
        assert response.status_code == 200
        return len(captured)

    add(5)
    with django_assert_max_num_queries(16):  # with the rows' reviews, assignments and the reviewers' workload
        assert len(queue_rows(browser.get(url))) == 5
    few, few_by_score = count({}), count({"sort": "-score"})
    assert few_by_score == few  # the score is sorted by in the query of the ids, as any column
    add(25)
    assert len(queue_rows(browser.get(url, {"sort": "-score"}))) == 30
    assert count({}) == few
    assert count({"sort": "-score"}) == few_by_score


# History -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_shows_every_transition_with_labels(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = application_in_state(State.REJECTED, pool, slagelse_applicant, reviewer)
    url = reverse("applications:history", args=[application.pk])

    page = client(slagelse_applicant).get(url).content.decode()
    assert "<html" in page
    assert "Draft → Submitted" in page and "Submitted → Rejected" in page
    assert "Ikke tilstrækkeligt konkret." in page
    partial = client(reviewer).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Submitted → Rejected" in partial


def test_state_labels_of_the_history_are_those_of_state() -> None:
    with translation.override("en"):
        for state in State:
            entry = TransitionLog(source=state.value, target=state.value)
            assert str(entry.source_label) == str(entry.target_label) == str(state.label)


# Scoring -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_score_creates_the_review_and_shows_the_weighted_total(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = submitted(pool, slagelse_applicant)
    url = reverse("applications:score", args=[application.pk])
    browser = client(reviewer, "da")

    response = browser.post(url, score_data(application, Mål=4, Organisering=3))
    assert response.status_code == 302
    saved = Review.objects.get(application=application, reviewer=reviewer)
    assert saved.scores == {"Mål": 4, "Organisering": 3}
    assert saved.recommendation == "grant" and saved.comment == "Godt projekt"
    page = browser.get(url).content.decode()
    assert "3,75" in page  # (4 × 3 + 3 × 1) / 4, with a Danish decimal comma
    assert 'value="4"' in page and "checked" in page

    total = browser.post(reverse("applications:score_total", args=[application.pk]), score_data(application, Mål=5))
    assert "5,00" in total.content.decode() and b"<html" not in total.content


@pytest.mark.django_db
def test_an_invalid_score_keeps_every_answer_and_names_each_problem(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = submitted(pool, slagelse_applicant)
    data = {**score_data(application, Mål=4), "recommendation": ""}
    response = client(reviewer).post(reverse("applications:score", args=[application.pk]), data)

    assert response.status_code == 200
    assert not Review.objects.exists()
    form = response.context["form"]
    organisation = next(c for c in form.criteria if c.name == "Organisering")
    assert set(form.errors) == {form.field_name(organisation), form.reason_name(organisation), "recommendation"}
    mål = next(c for c in form.criteria if c.name == "Mål")
    assert form[form.field_name(mål)].value() == "4"
    assert "Godt projekt" in response.content.decode()


@pytest.mark.django_db
def test_a_score_on_a_decided_application_is_a_message_not_a_500(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    application = submitted(pool, slagelse_applicant)
    review(application, reviewer, "reject")
    services.reject(application.pk, reviewer, "For sent.")
    response = client(reviewer).post(
        reverse("applications:score", args=[application.pk]), score_data(application, Mål=4, Organisering=3)
    )
    assert response.status_code == 409
    assert "cannot be reviewed while it is Rejected" in response.content.decode()


# Decisions -----------------------------------------------------------------------------------


def decide(user: Any, application: Application, decision: str, data: dict[str, Any] | None = None) -> Any:
    url = reverse("applications:decide", args=[application.pk, decision])
    browser = client(user)
    return browser.get(url) if data is None else browser.post(url, data)


@pytest.fixture
def reviewed(pool: Any, slagelse_applicant: Any, reviewer: Any) -> Application:
    application = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    review(application, reviewer)
    return application


@pytest.mark.django_db
def test_grant_asks_for_confirmation_before_granting(reviewed: Application, reviewer: Any) -> None:
    form = decide(reviewer, reviewed, "grant").content.decode()
    assert 'value="1.000.000"' in form  # prefilled with what was applied for
    assert "10.000.000 kr." in form  # the pool's remaining budget

    confirmation = decide(reviewer, reviewed, "grant", {"amount": "900.000", "conditions": "Kvartalsrapporter."})
    assert confirmation.status_code == 200
    assert "Grant 900.000 kr. to Slagelse" in confirmation.content.decode()
    assert 'type="hidden" name="amount" value="900.000"' in confirmation.content.decode()
    reviewed.refresh_from_db()
    assert reviewed.state == State.POLITICALLY_APPROVED and not Grant.objects.exists()

    back = decide(reviewer, reviewed, "grant", {"amount": "900.000", "back": "1"})
    assert back.status_code == 200 and 'value="900.000"' in back.content.decode()
    assert not Grant.objects.exists()

    done = decide(
        reviewer, reviewed, "grant", {"amount": "900.000", "conditions": "Kvartalsrapporter.", "confirm": "1"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("applications:detail", args=[reviewed.pk])
    reviewed.refresh_from_db()
    assert reviewed.state == State.GRANTED
    assert reviewed.award.amount == Decimal("900000.00") and reviewed.award.conditions == "Kvartalsrapporter."
    assert [m.level_tag for m in get_messages(done.wsgi_request)] == ["success"]


@pytest.mark.django_db
def test_an_amount_beyond_the_request_or_the_pool_is_an_error_on_the_amount(
    slagelse_applicant: Any, reviewer: Any
) -> None:
    application = application_in_state(
        State.POLITICALLY_APPROVED, make_pool(total_budget=Decimal(500000)), slagelse_applicant, reviewer
    )
    review(application, reviewer)
    response = decide(reviewer, application, "grant", {"amount": "1.500.000", "confirm": "1"})
    assert response.status_code == 200
    errors = [str(e) for e in response.context["form"].errors["amount"]]
    assert any("cannot exceed the 1.000.000 kr. applied for" in e for e in errors)
    assert any("Only 500.000 kr. is left in the pool" in e for e in errors)
    assert 'value="1.500.000"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.POLITICALLY_APPROVED


@pytest.mark.django_db
def test_grant_is_refused_before_a_review_and_before_political_approval(
    pool: Any, slagelse_applicant: Any, reviewer: Any
) -> None:
    unreviewed = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    assert "needs a review recommending a grant" in decide(reviewer, unreviewed, "grant").content.decode()
    review(unreviewed, reviewer, "reject")  # an assessment, but it does not recommend a grant
    assert "needs a review recommending a grant" in decide(reviewer, unreviewed, "grant").content.decode()
    waiting = submitted(pool, slagelse_applicant)
    response = decide(reviewer, waiting, "grant")
    assert response.status_code == 409 and "cannot be granted while it is Submitted" in response.content.decode()


@pytest.mark.django_db
def test_reject_needs_a_reason(reviewed: Application, reviewer: Any) -> None:
    for data in ({"reason": "  "}, {"reason": "", "confirm": "1"}):
        response = decide(reviewer, reviewed, "reject", data)
        assert response.status_code == 200
        assert "Give a reason" in str(response.context["form"].errors["reason"])
    done = decide(reviewer, reviewed, "reject", {"reason": "Mangler forankring.", "confirm": "1"})
    assert done.status_code == 302
    reviewed.refresh_from_db()
    assert reviewed.state == State.REJECTED
    assert reviewed.transitions.last().reason == "Mangler forankring."


@pytest.mark.django_db
def test_return_for_revision_makes_it_a_draft_again(pool: Any, slagelse_applicant: Any, reviewer: Any) -> None:
    application = submitted(pool, slagelse_applicant)
    confirmation = decide(reviewer, application, "return", {"reason": "Uddyb målgruppen."})
    assert "for revision?" in confirmation.content.decode()
    assert decide(reviewer, application, "return", {"reason": "Uddyb målgruppen.", "confirm": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.state == State.DRAFT


@pytest.mark.django_db
def test_a_reviewer_with_a_conflict_of_interest_may_not_decide(reviewed: Application, second_reviewer: Any) -> None:
    assert decide(second_reviewer, reviewed, "grant").status_code == 200
    response = client(second_reviewer).post(
        reverse("applications:score", args=[reviewed.pk]), {"conflict_of_interest": "on"}
    )
    assert response.status_code == 302
    assert Review.objects.get(reviewer=second_reviewer).conflict_of_interest
    for decision in ("grant", "reject"):
        assert decide(second_reviewer, reviewed, decision).status_code == 403
        assert decide(second_reviewer, reviewed, decision, {**GRANT, **REASON, "confirm": "1"}).status_code == 403
    reviewed.refresh_from_db()
    assert reviewed.state == State.POLITICALLY_APPROVED


@pytest.mark.django_db
def test_a_filter_the_queue_cannot_use_is_named_above_the_form_and_at_its_field(reviewer: Any) -> None:
    """A municipality code that is not in the list (a link typed by hand, an old bookmark): the
    error summary names it and links to the field, which shows the message."""
    make_pool()
    page = page_client_for(reviewer).get(reverse("applications:queue"), {"filtered": "1", "municipality": "999"})
    html = page.content.decode()
    assert page.status_code == 200
    summary = html[html.index('class="alert alert-error error-summary"') :]
    assert 'href="#id_municipality"' in summary[: summary.index("</div></div>")]
    assert 'id="id_municipality_error"' in html and 'aria-invalid="true"' in html
