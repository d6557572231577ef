"""core.html writes the same markup as Django's format_html, escaping what Django escapes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import html as django_html
from django.utils.functional import lazy
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from core.html import format_html

VALUES: list[Any] = [
    "Kvinder i job & <uddannelse>",
    'O\'Brien "IGU"',
    mark_safe("<b>allerede sikker</b>"),
    gettext_lazy("Late"),
    lazy(lambda: mark_safe("<i>sikker, oversat senere</i>"), str)(),
    42,
    Decimal("12.50"),
    None,
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_is_escaped_as_django_escapes_it(value: Any) -> None:
    with override("da"):
        ours = format_html('<td title="{}">{}</td>', value, value)
        assert ours == django_html.format_html('<td title="{}">{}</td>', value, value)
    assert isinstance(ours, SafeString)


def test_what_it_writes_is_not_escaped_again() -> None:
    inner = format_html("<i>{}</i>", "a < b")
    assert format_html("<p>{}</p>", inner) == "<p><i>a &lt; b</i></p>"
