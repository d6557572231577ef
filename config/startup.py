"""What a process that serves (the site, the worker, beat) checks before it starts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "SECRET_KEY must be set, 50 characters or more, when DJANGO_DEBUG is off"


def refuse_without_key() -> None:
    """A site signing sessions and tokens with a throwaway or guessable key must not start."""
    if settings.SECRET_KEY_MISSING:
        raise ImproperlyConfigured(MISSING_KEY)
