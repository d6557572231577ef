"""Every progress summary written anew, now with each goal's forecast and whether it is reached,
which the portfolio report's project pages read from them (monitoring.summary.stored_readings).

As 0011, it runs the app's own code (the forecast is what `progress.read_goal` computes, nothing
a migration could restate). Where that code no longer fits a database migrated later, it gives
up without harm: a summary without forecasts is computed anew by the report, and
`manage.py rebuild_progress` writes them all."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def write_summaries(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("monitoring", "GrantProgress").objects.exists():
        return
    from monitoring.summary import rebuild

    try:
        with transaction.atomic():
            rebuild()
    except (DatabaseError, LookupError, AttributeError) as error:
        log.warning("Progress summaries not written anew (%s); run manage.py rebuild_progress.", error)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0014_grant_progress_calendar")]

    operations = [migrations.RunPython(write_summaries, migrations.RunPython.noop, elidable=True)]
