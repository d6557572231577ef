"""`link(name, *ids)`: `reverse(name, args=ids)` for URLs whose arguments are whole-number ids, as
the rows of long lists write them. Django's `reverse` took 20-30 µs a call, and SIRI's inbox wrote
140 links, a pool dashboard's page some 100 (issue 16); here each URL name is reversed once per
process, with marks where its ids go, and a link is that pattern with the ids put in."""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Numbers no URL holds but where an id goes: the pattern is the reversed URL cut at them.
_MARKS = tuple(str(8_675_309_000_000 + position) for position in range(1, 5))


@functools.lru_cache(maxsize=512)
def _pattern(name: str, arity: int, prefix: str, urlconf: str) -> tuple[str, ...]:
    url = reverse(name, args=_MARKS[:arity], urlconf=urlconf)
    parts = []
    for mark in _MARKS[:arity]:
        head, _mark, url = url.partition(mark)
        parts.append(head)
    return (*parts, url)


def link(name: str, *ids: int) -> str:
    """The URL named `name` for the whole-number `ids`, as `reverse(name, args=ids)` writes it
    (under the same script prefix and URLconf)."""
    parts = _pattern(name, len(ids), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    written = [parts[0]]
    for position, value in enumerate(ids, start=1):
        written.append(str(int(value)))
        written.append(parts[position])
    return "".join(written)
