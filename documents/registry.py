"""The kinds of document the domain apps register: how each is rendered and who may have it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

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
    # What a page lists a document as, when its params tell documents of a kind apart (a
    # briefing's quarter): document → text. None: the kind's label.
    describe: Callable[[Any], Any] | None = None


KINDS: dict[str, Kind] = {}
# The subjects whose documents belong with another's (a grant's change requests with the
# grant): model → (subject → a queryset of the related subjects). Registered by the apps that own
# them, so that a page lists every letter about its subject without naming apps above its own.
# Querysets, not objects: the documents' query asks for them as a subquery of its own.
RELATED: dict[type, list[Callable[[Any], QuerySet[Any]]]] = {}


def register_related(model: type, related: Callable[[Any], QuerySet[Any]]) -> None:
    RELATED.setdefault(model, []).append(related)


def related_subjects(subject: Any) -> list[QuerySet[Any]]:
    """The subjects registered as belonging with `subject` (not `subject` itself), a queryset of
    each kind."""
    return [
        related(subject) for model, functions in RELATED.items() if isinstance(subject, model) for related in functions
    ]


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


def kind_of(code: str) -> Kind:
    return KINDS[code]
