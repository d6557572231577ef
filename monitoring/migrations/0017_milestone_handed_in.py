"""Each milestone keeps when its quarter's report was first handed in (`Milestone.handed_in_at`),
with an index over the milestones still owed: SIRI's late reports and a municipality's due ones
matched every past quarter to its report on every inbox (3,7 ms at 600 projects, growing with
every quarter reported; issue 16). Filled here from the reports."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps: Any, schema_editor: Any) -> None:
    milestone = apps.get_model("monitoring", "Milestone")
    report = apps.get_model("monitoring", "QuarterlyReport")
    first = report.objects.filter(
        grant=OuterRef("grant"), year=OuterRef("year"), quarter=OuterRef("quarter"), first_submitted_at__isnull=False
    ).values("first_submitted_at")[:1]
    milestone.objects.update(handed_in_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0016_grant_progress_text")]

    operations = [
        migrations.AddField(
            model_name="milestone",
            name="handed_in_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="report handed in at"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                condition=models.Q(("handed_in_at__isnull", True)),
                fields=["report_due_on", "id"],
                name="milestone_owed_idx",
            ),
        ),
    ]
