"""Data the tests of one module share, built once instead of before every test.

A permission matrix asks the same question of the same projects a few hundred times; building two
granted projects through the services before each of them was a fifth of the suite's time. The
module's data is built in an outer transaction; pytest-django's `db` opens each test's own inside
it (a savepoint), so whatever a test writes is rolled back to the module's data, and that is
rolled back after the module's last test, as Django's `setUpTestData` does for a TestCase class.
Each test gets a deep copy of the built objects, so nothing one test changes in memory reaches
the next.

Only for modules without transactional tests: a transactional test flushes the database, which
would empty the outer transaction under the module's other tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from config.celery import app as celery_app

T = TypeVar("T")

# The tests' own hasher (conftest's `_fast_passwords` is per test, so not yet in force here).
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class ModuleData:
    """Builds a module's shared data inside the module's transaction (`build`); `copy` gives a
    test its own copy of what was built."""

    def __init__(self, blocker: Any) -> None:
        self._blocker = blocker

    def build(self, builder: Callable[[], T]) -> T:
        from .conftest import restore_municipalities

        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        try:
            translation.deactivate()  # the site's language, as every test starts in (conftest)
            with self._blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                restore_municipalities()
                return builder()
        finally:
            celery_app.conf.task_always_eager = eager

    @staticmethod
    def copy(built: T) -> T:
        return copy.deepcopy(built)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(marker and marker.kwargs.get("transaction")) or bool({"transactional_db", "live_server"} & names)


@pytest.fixture(scope="module")
def module_data(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[ModuleData]:
    flushing = [item.name for item in request.session.items if item.module is request.module and _transactional(item)]
    if flushing:
        pytest.fail(f"{request.module.__name__} shares its data, so it cannot hold transactional tests: {flushing}")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield ModuleData(django_db_blocker)
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
