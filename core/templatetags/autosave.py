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


@register.filter
def fields_in_error(form: Any) -> list[Any]:
    """The bound fields of `form` that have errors, in the form's order (for the links of a save
    status or an error summary)."""
    if form is None:
        return []
    return [form[name] for name in form.fields if name in form.errors]
