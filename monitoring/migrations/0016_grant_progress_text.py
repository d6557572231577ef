"""The goals' statuses and the reporting calendar of each progress summary as text instead of
JSON (monitoring.summary's FORMAT 3): the pool dashboard reads both of every project of a pool on
every request, and decoding 1.200 JSON lists was a tenth of its time (issue 16). Then every summary
written anew, as 0015 does: rows of the old format no longer hold (their version differs), so
where the app's own code no longer fits a database migrated later, the pages compute them on the
spot until `manage.py rebuild_progress` writes them."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from . import _summaries


def write_summaries(apps: Any, schema_editor: Any) -> None:
    _summaries.write_summaries(apps, written_format=3)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0015_grant_progress_forecasts")]

    operations = [
        migrations.RemoveField(model_name="grantprogress", name="statuses"),
        migrations.RemoveField(model_name="grantprogress", name="calendar"),
        migrations.AddField(
            model_name="grantprogress",
            name="statuses",
            field=models.TextField(blank=True, default="", verbose_name="goal statuses"),
        ),
        migrations.AddField(
            model_name="grantprogress",
            name="calendar",
            field=models.TextField(blank=True, default="", verbose_name="reporting calendar"),
        ),
        migrations.RunPython(write_summaries, migrations.RunPython.noop, elidable=True),
    ]
