"""Our select template writes its options with a tag (core/templatetags/form_widgets.py): the
markup must stay Django's own, escaping included, for every select of every form (the blank
lines between Django's options aside)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context, Template

from applications.forms.review import QueueFilter
from applications.models import Application

CHOICES = [
    ("", "All municipalities"),
    ("101", "København"),
    ('a"b<c>&', 'Tønder <b>&</b> "Tåsinge"'),
    ("Group <1>", [("x", "In a group"), ("y", "Another")]),
]


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


def test_a_select_writes_djangos_own_markup() -> None:
    widget = forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True, "data-x": 'q"'})

    for value in ("", "101", 'a"b<c>&', "y"):
        ours = widget.render("municipality", value)  # the project's renderer, our template
        djangos = widget.render("municipality", value, renderer=DjangoTemplates())
        assert tight(ours) == tight(djangos)

    html = widget.render("municipality", 'a"b<c>&')
    assert (
        '<option value="a&quot;b&lt;c&gt;&amp;" selected>Tønder &lt;b&gt;&amp;&lt;/b&gt; &quot;Tåsinge&quot;</option>'
        in html
    )
    assert '<optgroup label="Group &lt;1&gt;">' in html


@pytest.mark.django_db
def test_a_filters_model_choices_are_read_once_per_page(rf: Any, reviewer: Any, django_assert_num_queries: Any) -> None:
    """The review queue's filter offers pools and municipalities (django-filter's fields): their
    options are read in one query each, kept for the page, not by a cursor per rendering."""
    request = rf.get("/review/")
    request.user = reviewer
    form = QueueFilter({}, queryset=Application.objects.none(), request=request).form
    for name in ("pool", "municipality"):
        field = form.fields[name]
        with django_assert_num_queries(1):
            first = [choice for choice in field.choices]  # as the widget iterates them
            again = [choice for choice in field.choices]  # to write the options
        assert first == again and first[0][0] == ""
        assert str(form[name]).count("<option") == len(first)


BEFORE = (Path(__file__).parent / "multiple_input_before.html").read_text()


@pytest.mark.parametrize("kind", [forms.CheckboxSelectMultiple, forms.RadioSelect])
@pytest.mark.parametrize("attrs", [{"class": "form-checkbox", "id": 'id_"s'}, {"class": "form-radio", "data-x": True}])
def test_checkboxes_and_radio_buttons_keep_the_templates_markup(kind: Any, attrs: dict[str, Any]) -> None:
    """The tag writes what the template's loop wrote (kept in multiple_input_before.html), every
    value and label escaped, a chosen one checked, a group's choices among the others."""
    choices = [("", "All"), ("submitted", "Submitted"), ('a"b<c>&', 'Tønder <b>&</b> "Tåsinge"'), *CHOICES[3:]]
    widget = kind(choices=choices, attrs=attrs)
    for value in ([], ["submitted"], ['a"b<c>&', "y"], [""]):
        context = widget.get_context("state", value if kind is forms.CheckboxSelectMultiple else value[:1], None)
        before = Template(BEFORE).render(Context(context)).strip()  # as the renderer strips it
        assert widget._render(widget.template_name, context, get_default_renderer()) == before
    html = widget.render("state", ['a"b<c>&'])
    assert (
        'value="a&quot;b&lt;c&gt;&amp;"' in html
        and "Tønder &lt;b&gt;&amp;&lt;/b&gt; &quot;Tåsinge&quot;</label>" in html
    )
    assert html.count(" checked") == 1
