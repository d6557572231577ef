"""The API's JSON parser: DRF's, refusing with a 400 what it would otherwise turn into a 500.

- A document nested deeper than `MAX_DEPTH` (no request of the contract nests more than a few
  levels); 100,000 brackets deep, the standard library's parser itself runs out of stack.
- A string with a lone surrogate (``"\\udc80"``): valid JSON, but no text UTF-8 can carry, so the
  answer that names it, or the database that stores it, fails on it.
- A NUL character in a string or key: PostgreSQL stores no NUL in text or jsonb.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as DrfJSONParser

MAX_DEPTH = 64
# What a database integer column holds; a larger id or count fails in the database (SQLite
# raises OverflowError on binding it). The serializers bound their fields (a 400 naming the
# field); the filters are bounded by core.api.FilterBackend.
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)


def _refuse_text(text: str) -> None:
    if "\x00" in text:
        raise ParseError(_("JSON parse error - strings may not contain NUL characters."))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(_("JSON parse error - strings may not contain lone surrogates.")) from None


def check_document(data: Any, max_depth: int = MAX_DEPTH) -> None:
    """ParseError if `data` (parsed JSON) nests deeper than `max_depth` or holds text that is
    not storable; iterative, so that no document can exhaust the stack here."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _refuse_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise ParseError(_("JSON parse error - nested deeper than %(depth)s levels.") % {"depth": max_depth})
        if isinstance(value, dict):
            for key, inner in value.items():
                _refuse_text(key)
                stack.append((inner, depth + 1))
        else:
            stack.extend((inner, depth + 1) for inner in value)


class JSONParser(DrfJSONParser):
    max_depth = MAX_DEPTH

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("JSON parse error - nested deeper than %(depth)s levels.") % {"depth": self.max_depth}
            ) from None
        check_document(data, self.max_depth)
        return data
