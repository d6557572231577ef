"""The settings the test suite runs on: production's (DEBUG off, as pytest-django wants it), with
a throwaway key and plain HTTP, since the test client and the live server speak no TLS."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-" + "never-used-outside-the-test-suite-" * 2)

from .settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# A session is saved at most once an hour in the tests, not once a minute (core.middleware.IdleSession):
# the query-count tests compare pages seen minutes apart on a loaded machine, and a save between
# them would be three queries more. The tests of the refresh ask for their own interval.
SESSION_REFRESH_SECONDS = 60 * 60
