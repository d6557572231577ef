"""`{% illustrative_note pool application reports %}`: the note of the demo's illustrative
figures among the objects a page shows (core.illustrative), or nothing."""

from __future__ import annotations

from typing import Any

from django import template

from ..illustrative import notes_for

register = template.Library()


@register.inclusion_tag("core/_illustrative.html")
def illustrative_note(*objects: Any) -> dict[str, Any]:
    return {"notes": notes_for(*objects)}
