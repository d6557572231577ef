"""How a person is shown on the pages: by name, never by username (`core.roles.display_name`)."""

from __future__ import annotations

from typing import Any

from django import template

from core.roles import display_name

register = template.Library()


@register.filter
def person(user: Any) -> str:
    return display_name(user)
