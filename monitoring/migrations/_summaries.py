"""What the migrations that write every progress summary anew share (0011, 0015, 0016); Django's
migration loader skips a module whose name begins with "_".

They run the app's own code rather than the historical models: a summary is what
`progress.read_project` computes, nothing a migration could restate. Each writes the format of its
time; where the code now writes a later one, the migration of that format writes them all, and
where the code no longer fits the database, it gives up without harm: a missing or outdated
summary is computed by the pages, and `manage.py rebuild_progress` writes them all."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction

log = logging.getLogger(__name__)


def write_summaries(apps: Any, written_format: int) -> None:
    """Every grant's summary written anew by `monitoring.summary.rebuild`, if the code writes
    `written_format` (summary.FORMAT) and there are grants."""
    if not apps.get_model("applications", "Grant").objects.exists():
        return
    from monitoring.summary import FORMAT, rebuild

    if FORMAT > written_format:
        return
    try:
        with transaction.atomic():
            rebuild()
    except (DatabaseError, LookupError, AttributeError) as error:
        log.warning("Progress summaries not written (%s); run manage.py rebuild_progress.", error)
