"""WhiteNoise's index of the static files, built once per test process and configuration.

WhiteNoiseMiddleware lists and stats every file the finders know (some 800, the design system's
included) when it is made. A server makes it once; the test client makes it again for every
Client, the first time that client is used: a quarter of the CPU of the page tests went there.
The index is the same for the same settings and the same files, so each configuration's is kept
and every later middleware gets the same StaticFile objects a server would have kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.middleware import WhiteNoiseMiddleware

_indexes: dict[str, dict[str, Any]] = {}
_build_index = WhiteNoiseMiddleware.add_files_from_finders


def _configuration(middleware: WhiteNoiseMiddleware) -> str:
    """What the index depends on: where the finders look, and how WhiteNoise answers."""
    whitenoise = {name: getattr(settings, name) for name in dir(settings) if name.startswith("WHITENOISE_")}
    return repr(
        (
            settings.STATICFILES_DIRS,
            settings.STATICFILES_FINDERS,
            settings.INSTALLED_APPS,
            sorted(whitenoise.items()),
            middleware.static_prefix,
            middleware.max_age,
            middleware.allow_all_origins,
            middleware.charset,
            middleware.add_headers_function,
            middleware.index_file,
        )
    )


def add_files_from_finders(self: WhiteNoiseMiddleware) -> None:
    key = _configuration(self)
    index = _indexes.get(key)
    if index is None:
        own, self.files = self.files, {}
        try:
            _build_index(self)
            index = _indexes[key] = self.files
        finally:
            self.files = own
    self.files.update(index)


WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
