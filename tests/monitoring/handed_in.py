"""What a milestone's `handed_in_at` must hold: its quarter's first hand-in, from the reports."""

from __future__ import annotations

from monitoring.models import Milestone, QuarterlyReport


def wrong_hand_ins() -> list[tuple[int, int, int]]:
    """The milestones whose `handed_in_at` differs from their quarter's report's first hand-in."""
    first = {
        (grant_id, year, quarter): at
        for grant_id, year, quarter, at in QuarterlyReport.objects.handed_in().values_list(
            "grant_id", "year", "quarter", "first_submitted_at"
        )
    }
    return [
        (grant_id, year, quarter)
        for grant_id, year, quarter, at in Milestone.objects.values_list("grant_id", "year", "quarter", "handed_in_at")
        if first.get((grant_id, year, quarter)) != at
    ]
