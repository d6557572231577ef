"""On PostgreSQL a statement the connection runs again is prepared (config/settings.py): the
server plans it once per connection, not on every request, and answers as before."""

from __future__ import annotations

import pytest
from django.db import connection

from applications.models import Municipality

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_run_again_is_planned_once_and_answers_the_same(postgres: None) -> None:
    asked = Municipality.objects.filter(code__in=["330", "270"]).order_by("code").values_list("name", flat=True)
    first = list(asked.all())
    assert not any('"applications_municipality"."code" IN' in statement for statement in _prepared())
    again = [list(asked.all()) for _ in range(3)]
    assert any('"applications_municipality"."code" IN' in statement for statement in _prepared())
    assert again == [first] * 3 == [["Gribskov", "Slagelse"]] * 3
