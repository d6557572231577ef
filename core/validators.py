"""Validators of the kernel, used by every domain app's models, forms and serializers.

`validate_no_cpr` keeps citizens' CPR numbers out of the free texts (databeskyttelsesloven
§ 11): the system holds aggregates and pseudonymous codes, never a citizen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError as StdnumError

# Ten digits, DDMMYY then four, with or without the hyphen (a space too, as people type it), not
# part of a longer run of digits: a 12-digit number is no CPR number. A digit group separated
# by a point or a comma (2.171.981, 12,5) is an amount and never matches.
CPR_PATTERN = re.compile(r"(?<!\d)(?<!\d[.,])(\d{6})[- ]?(\d{4})(?!\d)(?![.,]\d)")

CPR_MESSAGE = _(
    "This looks like a CPR number. Never write citizens' CPR numbers or names here; use a pseudonymous code instead."
)


def _texts(value: Any) -> Iterator[str]:
    """The strings in a value: a text, or the texts of a list (tags) or of a dict's values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, Iterable) and not isinstance(value, bytes):
        for item in value:
            yield from _texts(item)


def _is_cpr(digits: str) -> bool:
    """Ten digits whose first six are a valid date (DDMMYY) with the century the seventh digit
    gives, as `stdnum.dk.cpr` reads it. The modulus-11 check is not asked: numbers handed out
    since 2007 need not satisfy it."""
    try:
        stdnum_cpr.get_birth_date(digits)
    except StdnumError:
        return False
    return True


def contains_cpr(value: Any) -> bool:
    """Whether a text (or a list of texts) holds something that looks like a CPR number."""
    return any(
        _is_cpr(match.group(1) + match.group(2)) for text in _texts(value) for match in CPR_PATTERN.finditer(text)
    )


def validate_no_cpr(value: Any) -> None:
    """Refuse a text holding a CPR number (``010190-1234`` or ``0101901234``). The message never
    repeats the number; the form, serializer or model names the field it is raised on."""
    if contains_cpr(value):
        raise ValidationError(CPR_MESSAGE, code="cpr_number")
