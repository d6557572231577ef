"""The pool dashboard's goals table, whose row groups a template tag writes (monitoring/templatetags/
dashboard_rows.py): a project's heading spans its goals, what the municipality typed is escaped,
and a project without goals says so."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import translation

from applications.models import GoalKind
from monitoring.templatetags.dashboard_rows import matrix_group

from ..conftest import page_client_for
from .conftest import make_grant, recent_period


def test_a_project_heads_its_goals_and_what_was_typed_is_escaped(slagelse_applicant: Any, reviewer: Any) -> None:
    start, end = recent_period()
    grant = make_grant(
        slagelse_applicant,
        reviewer,
        start,
        end,
        more_goals=({"title": "Unge <i>i job</i> & uddannelse", "kind": GoalKind.COUNT, "target_value": Decimal(15)},),
    )
    url = reverse("monitoring:dashboard", args=[grant.application.pool_id])

    response = page_client_for(reviewer).get(url)
    page = response.content.decode()

    group = page[page.index('<tbody class="project-group">') :]
    group = group[: group.index("</tbody>")]
    assert 'rowspan="3"' in group and group.count("<tr>") == 3  # the project's heading spans its three goals
    assert f'href="{reverse("monitoring:project", args=[grant.pk])}"' in group
    assert grant.application.journal_number in group
    assert "Unge &lt;i&gt;i job&lt;/i&gt; &amp; uddannelse" in group and "<i>i job" not in group

    late = response.context["late"]
    assert late, "the project reports from three quarters ago and has handed in nothing"
    late_table = page[page.index('id="late-heading"') :]
    late_table = late_table[: late_table.index("</table>")]
    assert late_table.count(reverse("monitoring:project", args=[grant.pk])) == len(late)
    assert f'<td class="number">{late[0].days_late}</td>' in late_table

    reading = dataclasses.replace(response.context["shown"][0], goals=[])
    with translation.override("en"):
        alone = matrix_group(reading)
    assert re.search(r'<th scope="row"><a href="[^"]+">[^<]+</a></th><td colspan="5">The project has no goals.', alone)
    assert "rowspan" not in alone
