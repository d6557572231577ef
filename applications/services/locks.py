"""The application row's lock, which every write to an application or its parts holds."""

from __future__ import annotations

from typing import Any

from ..models import Application


def _lock(application_id: int) -> Application:
    # of=("self",): lock only the application row, not the joined pool, so that submits to the
    # same pool do not queue behind each other.
    return _locking().select_for_update(of=("self",)).get(pk=application_id)


def _locking() -> Any:
    return Application.objects.select_related("pool", "lead_municipality")
