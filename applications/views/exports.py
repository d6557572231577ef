"""The applications as a spreadsheet: the review queue's export (with the scores) and the API
list's `?format=csv|xlsx` (the scores too for those who may review).

Rows are read a chunk at a time, each chunk with its reviews' averages and its assignments in a
few queries, so 3.000 applications export in the memory of 250.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exports import Column, chunks, localdate
from core.roles import display_name

from ..models import Application, Assignment, Review
from .review import REVIEW

FILENAME = "ansoegninger"


@dataclass
class Row:
    application: Application
    average: Decimal | None = None
    reviews: int = 0
    assigned: str = ""


BASE_COLUMNS = [
    Column(_("Journal number"), lambda row: row.application.journal_number),
    Column(_("Project title"), lambda row: row.application.title),
    Column(_("Pool"), lambda row: row.application.pool.name),
    Column(_("Applicant municipality"), lambda row: row.application.lead_municipality.name),
    Column(_("State"), lambda row: row.application.get_state_display()),
    Column(_("Submitted"), lambda row: localdate(row.application.submitted_at), "date"),
    Column(_("Requested (kr.)"), lambda row: row.application.requested_sum, "money"),
]
SCORE_COLUMNS = [
    Column(_("Reviews"), lambda row: row.reviews, "int"),
    Column(_("Average score (1–5)"), lambda row: row.average, "decimal"),
    Column(_("Assigned reviewers"), lambda row: row.assigned),
]


def columns(user: Any) -> list[Column]:
    """The reviews are SIRI's: the scores only for those who may review."""
    return BASE_COLUMNS + SCORE_COLUMNS if user.has_perm(REVIEW) else BASE_COLUMNS


def rows(ids: Iterable[int], user: Any) -> Iterator[Row]:
    """The applications of `ids` (a lazy query of ids in order, or a list) as export rows."""
    with_scores = user.has_perm(REVIEW)
    for chunk in chunks(ids):
        # A chunk's rows in a generator of their own: done with, they are freed before the next
        # chunk is read, so no more than one chunk is ever in memory.
        yield from _chunk_rows(chunk, with_scores)


def _chunk_rows(chunk: list[int], with_scores: bool) -> Iterator[Row]:
    applications = Application.objects.filter(pk__in=chunk).with_requested_total()
    by_pk = {application.pk: application for application in applications.select_related("pool", "lead_municipality")}
    counts = _counts(chunk) if with_scores else {}
    assigned = _assigned(chunk) if with_scores else {}
    for pk in chunk:
        application = by_pk.pop(pk, None)
        if application is None:  # deleted meanwhile
            continue
        row = Row(application)
        if with_scores:
            row.average = application.average_score
            row.reviews = counts.get(pk, 0)
            row.assigned = ", ".join(assigned.get(pk, []))
        yield row


def _counts(pks: list[int]) -> dict[int, int]:
    """Each application's counting reviews (its average is its own, `average_score`)."""
    counting = Review.objects.filter(application_id__in=pks, conflict_of_interest=False).order_by()
    rows = counting.values("application_id").annotate(reviews=Count("pk")).values_list("application_id", "reviews")
    return dict(rows)


def _assigned(pks: list[int]) -> dict[int, list[str]]:
    """The assigned reviewers' names by application. Not a prefetch: a prefetched queryset and
    its instances refer to each other, so each chunk would wait for the cycle collector and
    memory would grow with the rows."""
    names: dict[int, list[str]] = {}
    for assignment in Assignment.objects.filter(application_id__in=pks).select_related("reviewer").order_by("id"):
        names.setdefault(assignment.application_id, []).append(display_name(assignment.reviewer))
    return names


def ids(applications: QuerySet[Application]) -> QuerySet[Any]:
    return applications.values_list("pk", flat=True)
