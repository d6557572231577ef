"""The demo's illustrative figures, said where they are shown.

The demo data holds figures the source documents (shared/seeds) do not give: pool budgets,
national averages, narratives, budgets assumed. The demo loaders mark each such object with a
note saying what of it is illustrative (`mark`); a page that shows marked objects renders the
notes under the heading "Illustrative figures" (`{% illustrative_note obj ... %}` of the
`illustrative` template tags). Real data is never marked, so it never carries the note, and a
page asks for the marks of its objects in one query, or none: whether anything is marked at all
is kept in the cache for a minute (`core.cache`), and a mark made forgets it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from . import cache
from .models import Illustrative

# Whether any object is marked: on a site of real data the answer is no, and asking for the marks
# of a page's objects was a query of every page that may show them (issue 16). A minute at most
# in another process's own memory (without a shared cache) after a demo is loaded beside it.
ANY_MARKS = "core:illustrative:any"
ANY_MARKS_SECONDS = 60


def _any_marks() -> bool:
    known = cache.get(ANY_MARKS)
    if known is None:
        known = Illustrative.objects.exists()
        cache.put(ANY_MARKS, known, ANY_MARKS_SECONDS)
    return known


def mark(obj: models.Model, note: str) -> Illustrative:
    """Mark `obj` as illustrative; marking it again replaces the note."""
    marked, _created = Illustrative.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, defaults={"note": note}
    )
    # Now for this transaction's own pages, and after the commit for everyone's (a page that asked
    # in between kept "none").
    cache.forget(ANY_MARKS)
    transaction.on_commit(lambda: cache.forget(ANY_MARKS))
    return marked


def _instances(objects: Iterable[Any]) -> list[models.Model]:
    """The saved model instances among `objects`, which may be instances or iterables of them."""
    found: list[models.Model] = []
    for obj in objects:
        if isinstance(obj, models.Model):
            if obj.pk is not None:
                found.append(obj)
        elif isinstance(obj, Iterable) and not isinstance(obj, str | bytes | dict):
            found.extend(_instances(obj))
    return found


def notes_for(*objects: Any) -> list[str]:
    """The notes of the marked ones among `objects`, each once, in the order given."""
    instances = _instances(objects)
    if not instances or not _any_marks():
        return []
    # The marks of any model with one of these ids, joined to their content types by name (no
    # query per model for its ContentType), and the objects' own picked out here: one condition
    # instead of one per model was most of the cost of asking (the table holds the demo's marks
    # alone, none in real data).
    rows = Illustrative.objects.filter(object_id__in={obj.pk for obj in instances}).values_list(
        "content_type__app_label", "content_type__model", "object_id", "note"
    )
    by_object = {(app, model, pk): note for app, model, pk, note in rows}
    notes: list[str] = []
    for obj in instances:
        meta = obj._meta.concrete_model._meta
        note = by_object.get((meta.app_label, meta.model_name, obj.pk))
        if note and note not in notes:
            notes.append(note)
    return notes
