"""The ambassadors' highlights in the committee briefing of a quarter (monitoring's PDF)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from applications.models import Grant
from documents import pdf
from monitoring.pdf.common import FRAME_WIDTH, heading, number, table

from .contributions import people
from .models import AmbassadorReport, AmbassadorReportState


def section(grant: Grant, year: int, quarter: int) -> list[Flowable]:
    """What each ambassador of the project handed in for the quarter: companies, matches and the
    contribution to the goals; nothing when there is no ambassador report."""
    reports = list(
        AmbassadorReport.objects.filter(ambassador__grant=grant, year=year, quarter=quarter)
        .exclude(state=AmbassadorReportState.DRAFT)
        .select_related("ambassador__user", "ambassador__municipality")
        .prefetch_related("contributions__goal")
    )
    if not reports:
        return []
    styles = pdf.styles()
    parts: list[Flowable] = [heading(_("The employment ambassador's contribution"))]
    for report in reports:
        # The committee reads who it is: the name and the role, never a login name.
        parts.append(pdf.para(report.ambassador.name_and_role, styles["h2"]))
        rows = [
            (_("Company contacts made"), number(report.company_contacts)),
            (_("New company partnerships"), number(report.new_partnerships)),
            (_("Citizen–company matches"), number(report.matches)),
            (_("Network meetings attended"), number(report.meetings_attended)),
            (_("Knowledge-sharing activities"), number(report.knowledge_sharing)),
        ]
        rows += [
            (_("Contribution to “%(goal)s”") % {"goal": c.goal.title}, f"{people(c.value)} {c.comment}".strip())
            for c in report.contributions.all()
            if c.goal.takes_contributions
        ]
        parts.append(table(rows, [70 * mm, FRAME_WIDTH - 70 * mm], header=False, label_column=True))
        if report.best_practices.strip():
            parts.append(pdf.para(_("Best practices found"), styles["h2"]))
            parts.extend(pdf.paras(report.best_practices, styles["body"]))
    return parts
