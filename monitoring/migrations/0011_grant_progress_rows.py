"""Every existing grant's progress summary, written once (monitoring.summary.rebuild).

It runs the app's own code rather than the historical models: the summary is what
`progress.read_project` computes, nothing a migration could restate. On a database migrated
later through schema changes this code no longer fits, it gives up without harm: a missing
summary is computed by the pages, and `manage.py rebuild_progress` writes them all."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger(__name__)


def write_summaries(apps: Any, schema_editor: Any) -> None:
    if not apps.get_model("applications", "Grant").objects.exists():
        return
    from monitoring.summary import FORMAT, rebuild

    if FORMAT > 1:
        return  # the code now writes a later format, which a later migration (0016) writes for all

    try:
        with transaction.atomic():
            rebuild()
    except (DatabaseError, LookupError, AttributeError) as error:
        log.warning("Progress summaries not written (%s); run manage.py rebuild_progress.", error)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0010_grant_progress")]

    operations = [migrations.RunPython(write_summaries, migrations.RunPython.noop, elidable=True)]
