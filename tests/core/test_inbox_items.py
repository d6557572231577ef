"""The inbox's items are written in Python (core/templatetags/inbox_items.py): the same markup the
template's loop wrote, escaping included, for links, buttons that post, countdowns and reasons."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils.safestring import mark_safe
from django.utils.translation import override

from core.inbox import Item, countdown

BEFORE = (Path(__file__).parent / "inbox_items_before.html").read_text().removesuffix("\n")
TODAY = datetime.date(2026, 12, 4)

ITEMS = [
    Item(title="2026-0042 Kvinder & <job>", url="/applications/42/?a=1&b=2", text="Slagelse · Pulje 7"),
    Item(title="Uden tekst", url="/x/"),
    Item(
        title='Rapport "Q3"',
        url="/projects/1/",
        text="Slagelse, due on 31.10.2026.",
        due=datetime.date(2026, 10, 31),
    ),
    Item(title="Snart", url="/p/", text="", due=datetime.date(2026, 12, 10)),
    Item(
        title="Returneret",
        url="/r/",
        text="Returned on 1.12.2026.",
        reason="Budgettet mangler årsværk.\nSe linje <3> & 4.",
    ),
    Item(title=mark_safe("<em>sikker</em>"), url="/s/", reason=mark_safe("<b>fed</b>")),
    Item(
        title="Projekt · 2026 K3",
        url="/projects/1/briefing/",
        post={"year": 2026, "quarter": 3, "note": 'a"b'},
        action="Committee briefing (PDF)",
    ),
]


def unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.filterwarnings("ignore:Calling format_html:DeprecationWarning")  # Django's own, for the old loop
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("with_token", [True, False])
def test_the_items_are_written_as_the_template_wrote_them(language: str, with_token: Any) -> None:
    items = [(item, countdown(item.due, TODAY) if item.due else None) for item in ITEMS]
    request = RequestFactory().get("/inbox/")
    context: dict[str, Any] = {"shown": {"items": items}}
    if not with_token:
        context["csrf_token"] = "NOTPROVIDED"
    engine = engines["django"]
    ours = engine.from_string("{% load inbox_items %}    {% inbox_items shown.items %}")
    before = engine.from_string(BEFORE)
    with override(language):
        written, expected = ours.render(context, request), before.render(context, request)
    # Each rendering masks the request's token anew.
    assert unmasked(written) == unmasked(expected)
    assert ("csrfmiddlewaretoken" in written) is with_token
    assert "Se linje &lt;3&gt; &amp; 4." in written and "<br>" in written
