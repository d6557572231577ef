"""Every existing grant's progress summary, written once (monitoring.summary.rebuild).

It runs the app's own code rather than the historical models: the summary is what
`progress.read_project` computes, nothing a migration could restate. On a database migrated
later through schema changes this code no longer fits, it gives up without harm: a missing
summary is computed by the pages, and `manage.py rebuild_progress` writes them all."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from . import _summaries


def write_summaries(apps: Any, schema_editor: Any) -> None:
    _summaries.write_summaries(apps, written_format=1)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0010_grant_progress")]

    operations = [migrations.RunPython(write_summaries, migrations.RunPython.noop, elidable=True)]
