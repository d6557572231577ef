"""`?state=` on the API's lists filters a column of the listed model itself: each row comes once,
in the list's order, without the DISTINCT that made PostgreSQL sort every matching row in full
(core.api.ColumnChoiceFilter)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import State

from ..conftest import application_in_state, client_for, make_complete_draft, make_pool


def test_a_list_filtered_by_states_has_each_row_once_without_distinct(slagelse_applicant: Any, reviewer: Any) -> None:
    pool = make_pool()
    submitted = [application_in_state(State.SUBMITTED, pool, slagelse_applicant, reviewer) for _ in range(2)]
    draft = make_complete_draft(pool, slagelse_applicant)
    client = client_for(slagelse_applicant)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/applications/", {"state": [State.SUBMITTED, State.DRAFT]})

    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert sorted(ids) == sorted([a.pk for a in submitted] + [draft.pk])  # each once
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)
