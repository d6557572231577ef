"""A form field in the markup of Det Fælles Designsystem, written in Python: its label (or
legend), hint, error and widget. Every page form renders its fields through this, by
`DesignSystemForm`'s bound fields and, for Django's own forms (login, password), by
`templates/django/forms/field.html`. As a template it cost 0,09 ms a field around its widget's
0,27 (the review queue's filter of five fields: 1,8 ms, now 1,4; issue 16), which a long form
such as a quarterly report's pays for each of its dozens of fields.

A field that may be left empty says "(optional)"; one a later step needs (`needed_to_submit`: a
draft saves without it) does not."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .html import escape

# Our own texts (gettext) are written as they are, as {% translate %} writes them; every value
# of the field is escaped.


def _error(field: Any, errors: Any) -> str:
    messages = " ".join(escape(message) for message in errors)
    return (
        f'<span class="form-error-message" id="{escape(field.auto_id)}_error">'
        f'<span class="sr-only">{gettext("Error:")} </span>{messages}</span>'
    )


def _hint(field: Any) -> str:
    if not field.help_text:
        return ""
    return f'<span class="form-hint" id="{escape(field.auto_id)}_helptext">{escape(field.help_text)}</span>'


def _optional(field: Any) -> str:
    if field.field.required or getattr(field.field, "needed_to_submit", False):
        return ""
    return f' <span class="weight-normal">({gettext("optional")})</span>'


def field_group(field: Any) -> SafeString:
    """The field's form group: what `{{ field.as_field_group }}` shows."""
    errors = field.errors
    error = _error(field, errors) if errors else ""
    widget = escape(field)  # the widget's own template (its markup is safe)
    label = escape(field.label)
    if field.widget_type == "checkbox":
        inner = (
            f"\n  {error}\n  "
            f'<div class="form-group-checkbox">{widget}'
            f'<label class="form-label" for="{escape(field.id_for_label)}">{label}</label></div>\n  '
            f"{_hint(field)}\n"
        )
    else:
        if field.use_fieldset:
            described = field.aria_describedby
            described_by = f' aria-describedby="{escape(described)}"' if described else ""
            heading = f'<fieldset{described_by}><legend class="form-label">{label}{_optional(field)}</legend>'
        else:
            heading = f'<label class="form-label" for="{escape(field.id_for_label)}">{label}{_optional(field)}</label>'
        closing = "</fieldset>" if field.use_fieldset else ""
        inner = f"\n{heading}\n\n{_hint(field)}\n{error}\n{widget}\n{closing}\n"
    in_error = " form-error" if errors else ""
    # Every value above is escaped; the rest is our own markup.
    return mark_safe(  # noqa: S308
        f'<div class="form-group{in_error}" id="group-{escape(field.auto_id)}">\n{inner}\n</div>'
    )
