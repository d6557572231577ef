"""The kinds of document the domain apps register: how each is rendered and who may have it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    # (document, progress callback taking 0–100) → (PDF bytes, file name)
    render: Callable[[Any, Progress], tuple[bytes, str]]
    # May this user have a document about this subject? Asked on request and on download.
    may_have: Callable[[Any, Any], bool]
    # The same question for many documents at once: user → a queryset of the subjects the user
    # may have (e.g. ``lambda user: Application.objects.visible_to(user)``). It must answer as
    # `may_have` does; without it, `Document.objects.visible_to` asks `may_have` of each document
    # of the kind in the queryset, which is right but costs queries.
    subjects: Callable[[Any], Any] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> Kind:
    return KINDS[code]
