from __future__ import annotations

from typing import Any

import django_filters

from core.api import ColumnChoiceFilter

from ..models import Application, Municipality, Pool, State


class ApplicationFilter(django_filters.FilterSet):
    state = ColumnChoiceFilter(choices=State.choices)
    pool = django_filters.ModelChoiceFilter(queryset=Pool.objects.all())
    municipality = django_filters.ModelChoiceFilter(  # a 3-digit code
        queryset=Municipality.objects.all(),
        to_field_name="code",
        method="filter_municipality",
        label="Lead or partner municipality (code)",
    )
    journal_number = django_filters.CharFilter()

    class Meta:
        model = Application
        fields = ["state", "pool", "municipality", "journal_number"]

    def filter_municipality(self, queryset: Any, name: str, value: Municipality) -> Any:
        return queryset.involving([value.pk])
