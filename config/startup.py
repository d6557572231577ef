"""What a process that serves (the site, the worker, beat) checks before it starts, and how a
process that answers requests or runs tasks is tuned."""

from __future__ import annotations

import gc

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "SECRET_KEY must be set, 50 characters or more, when DJANGO_DEBUG is off"


def refuse_without_key() -> None:
    """A site signing sessions and tokens with a throwaway or guessable key must not start."""
    if settings.SECRET_KEY_MISSING:
        raise ImproperlyConfigured(MISSING_KEY)


# CPython collects its youngest generation every 700 new objects. A page or API list makes tens
# of thousands (a model per row, a serializer field per value) and a report PDF millions, nearly
# all freed by reference counting anyway; collecting that often was up to a fifth of a request's
# CPU (issue 16). Only objects in reference cycles wait longer to be freed.
YOUNG_OBJECTS = 50_000


def collect_less() -> None:
    """Run the garbage collector less often in a web or task worker process (YOUNG_OBJECTS)."""
    gc.set_threshold(YOUNG_OBJECTS, 20, 20)
