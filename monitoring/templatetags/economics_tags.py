"""Template helpers of a project's economics: where an effect comes from, and months in Danish."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..economics import Effect, months_text, source_label

register = template.Library()


@register.filter
def effect_source(effect: Effect) -> str:
    return source_label(effect)


@register.filter
def months(value: Decimal | None) -> str:
    return months_text(value)
