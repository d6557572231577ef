"""A form field's markup is written in Python (core/form_html.py), for our forms and, through
templates/django/forms/field.html, Django's own: it must stay the markup the field template wrote,
byte for byte, for every kind of field, with and without hint, error and "(optional)"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import override

from core.forms import DateInput, DesignSystemForm, MoneyField

# The field template as it was (dkfds markup), before the markup moved to Python.
REFERENCE = (Path(__file__).parent / "field_template_before.html").read_text()


CHOICES = [("a", "Aktivitetsparate & <unge>"), ("b", 'Kvinder "i job"')]


def _fields() -> dict[str, forms.Field]:
    needed = forms.CharField(label="Formål", required=False)
    needed.needed_to_submit = True  # type: ignore[attr-defined]
    return {
        "title": forms.CharField(label="Titel & <navn>", max_length=5, help_text="Højst <5> tegn"),
        "note": forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3})),
        "purpose": needed,
        "agree": forms.BooleanField(label="Jeg bekræfter", help_text="Skal krydses af"),
        "optional_box": forms.BooleanField(label="Måske", required=False),
        "groups": forms.MultipleChoiceField(
            label="Målgrupper", choices=CHOICES, widget=forms.CheckboxSelectMultiple, help_text="Vælg én"
        ),
        "kind": forms.ChoiceField(label="Slags", choices=CHOICES, widget=forms.RadioSelect, required=False),
        "pool": forms.ChoiceField(label="Pulje", choices=[("", "Alle"), *CHOICES]),
        "start": forms.DateField(label="Start", widget=DateInput(), required=False),
        "amount": MoneyField(label="Beløb", help_text=mark_safe("I <b>kroner</b>")),
        "described": forms.CharField(label="Beskrevet", widget=forms.TextInput(attrs={"aria-describedby": "x"})),
        "choices_described": forms.MultipleChoiceField(
            label="Flere",
            choices=CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"aria-describedby": "y"}),
        ),
    }


class PlainForm(forms.Form):
    """A form of Django's own kind (as the login form): rendered by the field template."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_fields())


class OurForm(DesignSystemForm, PlainForm):
    """A page form: its bound fields write the markup without the template."""


BAD = {"title": "<for lang>", "agree": "", "groups": ["zz"], "kind": "zz", "pool": "", "start": "31.02", "amount": "x"}
GOOD = {
    "title": "Job",
    "agree": "on",
    "groups": ["a"],
    "pool": "a",
    "amount": "2.171.981",
    "described": "d",
}


@pytest.mark.parametrize("form_class", [PlainForm, OurForm])
@pytest.mark.parametrize("data", [None, BAD, GOOD], ids=["unbound", "errors", "valid"])
@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_every_field_is_written_as_the_template_wrote_it(
    form_class: type[forms.Form], data: dict[str, Any] | None, language: str, auto_id: Any
) -> None:
    reference = engines["django"].from_string(REFERENCE)
    with override(language):
        form = form_class(data, auto_id=auto_id)
        if data is BAD:
            assert not form.is_valid()
        for field in form:
            assert str(field.as_field_group()) == reference.render({"field": field}).strip(), field.name


def test_errors_and_optional_are_shown_in_the_pages_language() -> None:
    with override("da"):
        form = OurForm({"title": "for lang titel"})
        html = str(form["title"].as_field_group())
        note = str(form["note"].as_field_group())
    assert 'class="form-group form-error"' in html
    assert '<span class="sr-only">Fejl: </span>' in html and 'id="id_title_error"' in html
    assert "(frivilligt)" in note
