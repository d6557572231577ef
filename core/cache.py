"""The cache as the pages use it: a speed-up, never an answer. What is kept there can always be
computed anew, so a cache server that is away or does not answer (Redis, `CACHE_URL`) costs a
page its speed and nothing else: its errors are logged, and for a while after one this process
leaves the cache alone instead of waiting on its timeouts at every look (config/settings.py)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

# Seconds a process leaves the cache alone after it failed.
PAUSE_AFTER_FAILURE = 30
_paused_until = 0.0


def _usable() -> bool:
    return time.monotonic() >= _paused_until


def _failed(doing: str) -> None:
    global _paused_until
    _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE
    logger.warning("The cache could not be %s; what it keeps is computed anew.", doing, exc_info=True)


def get(name: str) -> Any:
    """The value kept under `name`, or None (none kept, or the cache away)."""
    if not _usable():
        return None
    try:
        return cache.get(name)
    except Exception:  # whatever the backend raises when its server is away, or a value that does not load
        _failed("read")
        return None


def put(name: str, value: Any, seconds: int) -> None:
    if not _usable():
        return
    try:
        cache.set(name, value, seconds)
    except Exception:  # as in `get`
        _failed("written")


def forget(name: str) -> None:
    if not _usable():
        return
    try:
        cache.delete(name)
    except Exception:  # as in `get`
        _failed("written")
