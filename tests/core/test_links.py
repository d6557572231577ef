"""`core.links.link` writes what Django's `reverse` writes, for every link the rows and inbox write
with it, under a script prefix too, and refuses a name that is not a URL."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import link

# Every name the code links with ids, with as many ids as its URL takes.
NAMED = [
    ("applications:detail", 1),
    ("applications:edit", 1),
    ("applications:score", 1),
    ("applications:assign", 1),
    ("monitoring:project", 1),
    ("monitoring:report", 2),
    ("monitoring:report_edit", 2),
    ("monitoring:report_create", 1),
    ("monitoring:milestone_edit", 2),
    ("monitoring:briefing", 1),
    ("awards:accept", 1),
    ("awards:change", 1),
    ("awards:final_report", 1),
    ("awards:final_accounts", 1),
    ("awards:pay", 1),
    ("ambassadors:report", 1),
    ("ambassadors:report_edit", 1),
    ("ambassadors:report_create", 0),
    ("ambassadors:home", 0),
]


@pytest.mark.parametrize("prefix", ["/", "/puljeflow/"])
@pytest.mark.parametrize(("name", "arity"), NAMED)
def test_a_link_is_what_reverse_writes(name: str, arity: int, prefix: str) -> None:
    set_script_prefix(prefix)
    try:
        for ids in ([7, 42, 9][:arity], [123456, 1, 80][:arity]):
            assert link(name, *ids) == reverse(name, args=ids)
            assert link(name, *ids).startswith(prefix)
    finally:
        set_script_prefix("/")


def test_a_name_that_is_no_url_is_refused() -> None:
    with pytest.raises(NoReverseMatch):
        link("monitoring:no_such_page", 1)
