"""Races that only a real database can show: run on PostgreSQL (required under CI)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from applications import services
from applications.models import Application, Grant, State
from core.errors import DomainError

from ..conftest import application_in_state, make_complete_draft, make_pool, review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_concurrent_grants_cannot_overspend_the_pool(
    postgres: None, slagelse_applicant: Any, gribskov_applicant: Any, reviewer: Any, second_reviewer: Any
) -> None:
    pool = make_pool(total_budget=Decimal("1500000.00"))
    first = application_in_state(State.POLITICALLY_APPROVED, pool, slagelse_applicant, reviewer)
    second = make_complete_draft(pool, gribskov_applicant, code="270")
    services.submit(second.pk, gribskov_applicant)
    from ..conftest import approve

    approve(second, gribskov_applicant)
    review(first, reviewer)
    review(second, second_reviewer)

    # 1.000.000 + 1.000.000 > 1.500.000: exactly one of the two may win.
    results = run_together(
        [
            lambda: services.grant(first.pk, reviewer, Decimal("1000000")),
            lambda: services.grant(second.pk, second_reviewer, Decimal("1000000")),
        ]
    )

    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "amount" in losers[0].errors
    assert Grant.objects.filter(application__pool=pool).count() == 1
    assert pool.remaining_budget == Decimal("500000.00")
    states = sorted(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [State.GRANTED, State.POLITICALLY_APPROVED]


def test_concurrent_submits_get_unique_gap_free_journal_numbers(postgres: None, slagelse_applicant: Any) -> None:
    pool = make_pool()
    drafts = [make_complete_draft(pool, slagelse_applicant) for _ in range(8)]

    results = run_together([lambda pk=d.pk: services.submit(pk, slagelse_applicant) for d in drafts])

    assert all(isinstance(r, Application) for r in results), results
    numbers = sorted(Application.objects.filter(pool=pool).values_list("journal_number", flat=True))
    year = numbers[0].split("-")[0]
    assert numbers == [f"{year}-{n:04d}" for n in range(1, 9)]


def test_a_failed_submit_gives_its_journal_number_back(postgres: None, slagelse_applicant: Any) -> None:
    pool = make_pool()
    incomplete = make_complete_draft(pool, slagelse_applicant)
    incomplete.goals.all().delete()
    complete = make_complete_draft(pool, slagelse_applicant)

    with pytest.raises(DomainError):
        services.submit(incomplete.pk, slagelse_applicant)
    submitted = services.submit(complete.pk, slagelse_applicant)

    assert submitted.journal_number.endswith("-0001")


def test_two_tabs_saving_one_field_at_the_same_moment_one_wins_the_other_is_told(
    postgres: None, slagelse_applicant: Any
) -> None:
    """The stored value is compared with the tab's base under the application's lock: two saves
    from the same base cannot both pass the comparison."""
    from ..autosave import Tab
    from ..conftest import page_client_for

    draft = make_complete_draft(make_pool(), slagelse_applicant)
    # The step with the purpose: each step's form posts its own fields.
    edit, save = f"/applications/{draft.pk}/edit/project/", f"/applications/{draft.pk}/autosave/?step=project"
    clients = [page_client_for(slagelse_applicant) for _ in range(2)]
    tabs = [Tab.open(client, edit, 'id="application-form"', save) for client in clients]
    texts = ["Skrevet i den første fane.", "Skrevet i den anden fane."]
    for tab, text in zip(tabs, texts, strict=True):
        tab.type(purpose=text)

    results = run_together([lambda i=i: tabs[i].save(clients[i]) for i in range(2)])

    assert all(getattr(r, "status_code", None) == 200 for r in results), results
    told = [tab for tab in tabs if tab.conflicts == ["purpose"]]
    assert len(told) == 1
    draft.refresh_from_db()
    winner = next(text for tab, text in zip(tabs, texts, strict=True) if tab not in told)
    assert draft.purpose == winner
