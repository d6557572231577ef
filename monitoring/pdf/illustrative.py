"""The committee briefing says when the project's figures or texts are the demo's illustrative
ones (core.illustrative), as the pages do; a real project's briefing gets nothing."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.platypus import Flowable

from applications.models import Grant
from core.illustrative import notes_for
from documents import pdf

from ..models import FollowUp, QuarterlyReport
from ..quarters import Quarter
from .common import heading


def illustrative_section(grant: Grant, year: int, quarter: int) -> list[Flowable]:
    report = QuarterlyReport.objects.filter(grant=grant, year=year, quarter=quarter).first()
    # The follow-ups after the end are in the briefing of the last quarter only (briefing.follow_ups).
    last = Quarter(year, quarter).end >= grant.end_date
    follow_ups = list(FollowUp.objects.filter(grant=grant)) if last else []
    notes = notes_for(grant.application.pool, grant.application, grant, report, follow_ups)
    if not notes:
        return []
    styles = pdf.styles()
    return [heading(_("Illustrative figures"), "h2"), *(pdf.para(note, styles["small"]) for note in notes)]
