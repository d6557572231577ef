"""The filter every list of municipalities' work offers: one municipality, by its code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import DesignSystemForm

from ..models import Municipality


class MunicipalityFilter(DesignSystemForm, forms.Form):
    """The page offers `municipalities` (those with something to show); subclasses add fields
    and may name the field differently (`municipality_label`)."""

    municipality_label: Any = _("Municipality")
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("All municipalities"),
        error_messages={"invalid_choice": _("Choose one of the municipalities in the list.")},
    )

    def __init__(self, *args: Any, municipalities: QuerySet[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = municipalities
        field.label = self.municipality_label
