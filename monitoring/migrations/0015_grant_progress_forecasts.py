"""Each progress summary's version (monitoring.summary.version: the format of its contents and the
thresholds it was judged under; a row of another version no longer holds), then every summary
written anew, now with each goal's forecast and whether it is reached, which the portfolio
report's project pages read from them (monitoring.summary.stored_readings).

As 0011, it runs the app's own code (the forecast is what `progress.read_goal` computes, nothing
a migration could restate). Where that code no longer fits a database migrated later, it gives
up without harm: the rows of the old version are computed anew by the pages and the report, and
`manage.py rebuild_progress` writes them all."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from . import _summaries


def write_summaries(apps: Any, schema_editor: Any) -> None:
    _summaries.write_summaries(apps, written_format=2)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0014_grant_progress_calendar")]

    operations = [
        migrations.AddField(
            model_name="grantprogress",
            name="version",
            field=models.CharField(blank=True, default="", max_length=16, verbose_name="version"),
        ),
        migrations.RunPython(write_summaries, migrations.RunPython.noop, elidable=True),
    ]
