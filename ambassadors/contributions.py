"""The ambassadors' contribution beside each goal on monitoring's project page."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.models import Grant
from core.forms import show_number
from monitoring.extensions import GoalNote

from .services import contributions_by_goal, counting_reports

LABEL = _("Ambassador's contribution")


def goal_notes(grant: Grant) -> dict[int, list[GoalNote]]:
    totals = contributions_by_goal(grant.pk)
    if not totals:
        return {}
    count = counting_reports(grant.pk).count()
    detail = ngettext("from %(count)d ambassador report", "from %(count)d ambassador reports", count) % {"count": count}
    # Only count goals have totals (services.contributions_by_goal): people, never a share's points.
    return {goal_id: [GoalNote(LABEL, people(value), detail)] for goal_id, value in totals.items()}


def people(value: Decimal) -> str:
    count = int(value)
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": show_number(value)}
