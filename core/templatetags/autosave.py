"""The hidden `_base_` inputs of a form that saves itself (core/autosave.py)."""

from __future__ import annotations

from typing import Any

from django import template

from core import autosave as _autosave

register = template.Library()


@register.inclusion_tag("core/_autosave_bases.html")
def autosave_bases(form: Any) -> dict[str, Any]:
    """One hidden input per field of the unbound `form`: the token of the value it shows, which
    the page sends back as the value the tab started from."""
    return {"bases": _autosave.bases(form), "prefix": _autosave.BASE}
