"""Where apps built on monitoring add to its pages and documents. Monitoring imports none of
them (the ambassador network builds on monitoring, not the other way round): they register here
in their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from applications.models import Grant


@dataclass(frozen=True)
class GoalNote:
    """A figure shown beside a goal of the project: e.g. the ambassador's contribution."""

    label: Any
    value: str
    detail: str = ""


# grant → {goal id: notes}
GoalNotes = Callable[[Grant], dict[int, list[GoalNote]]]
GOAL_NOTES: list[GoalNotes] = []


def goal_notes(grant: Grant) -> dict[int, list[GoalNote]]:
    notes: dict[int, list[GoalNote]] = {}
    for provider in GOAL_NOTES:
        for goal_id, items in provider(grant).items():
            notes.setdefault(goal_id, []).extend(items)
    return notes
