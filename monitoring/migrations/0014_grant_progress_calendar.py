"""Each progress summary's reporting calendar (the reports due and when each was first handed in),
from which the pool dashboard counts lateness and timeliness; filled from the milestones and
reports the summaries were written from."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.utils import timezone

CHUNK = 500


def fill(apps: Any, schema_editor: Any) -> None:
    GrantProgress = apps.get_model("monitoring", "GrantProgress")
    Milestone = apps.get_model("monitoring", "Milestone")
    QuarterlyReport = apps.get_model("monitoring", "QuarterlyReport")
    grant_ids = list(GrantProgress.objects.order_by("grant_id").values_list("grant_id", flat=True))
    for start in range(0, len(grant_ids), CHUNK):
        part = grant_ids[start : start + CHUNK]
        handed_in = {
            (grant_id, year, quarter): timezone.localdate(at).isoformat()
            for grant_id, year, quarter, at in QuarterlyReport.objects.filter(
                grant_id__in=part, first_submitted_at__isnull=False
            ).values_list("grant_id", "year", "quarter", "first_submitted_at")
        }
        calendars: dict[int, list[str]] = {grant_id: [] for grant_id in part}
        for grant_id, year, quarter, due in (
            Milestone.objects.filter(grant_id__in=part)
            .order_by("grant_id", "year", "quarter")
            .values_list("grant_id", "year", "quarter", "report_due_on")
        ):
            # As monitoring.summary.calendar_entry writes them (a migration keeps its own copy).
            entry = f"{year:04d}-{quarter} {due.isoformat()}"
            if at := handed_in.get((grant_id, year, quarter)):
                entry = f"{entry} {at}"
            calendars[grant_id].append(entry)
        rows = list(GrantProgress.objects.filter(grant_id__in=part).only("grant_id"))
        for row in rows:
            row.calendar = calendars[row.grant_id]
        GrantProgress.objects.bulk_update(rows, ["calendar"], batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0013_report_handed_in_index")]

    operations = [
        migrations.AddField(
            model_name="grantprogress",
            name="calendar",
            field=models.JSONField(default=list, verbose_name="reporting calendar"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
