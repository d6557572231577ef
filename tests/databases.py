"""The test databases: migrated once per run, copied for every other xdist worker.

Migrating the schema from its migrations costs some 30 s of CPU, most of it Django rendering the
historical models, and each xdist worker needs a database of its own. The first worker to get
here migrates its database exactly as pytest-django does and leaves a copy as the run's template;
the others copy the template (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite: the in-memory
database through SQLite's backup API), so every worker still tests on the migrated schema and the
rows of the data migrations, and the migrations still run on every run and on both backends.

Without xdist, or with --reuse-db or --nomigrations, this is pytest-django's own setup.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup
from pytest_django.plugin import blocking_manager_key

from core.migrating import historical_models_without_fsm_receivers

# The controller names a directory for the run in its environment, which the workers inherit:
# the lock, the note of the template, and SQLite's template file live there.
RUN_DIR = "PULJEFLOW_TEST_DB_DIR"


@contextlib.contextmanager
def _locked(run_dir: Path) -> Iterator[None]:
    with open(run_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _publish_template(connection: Any, run_dir: Path) -> dict[str, str]:
    """A copy of this worker's freshly migrated database, for the other workers."""
    if connection.vendor == "sqlite":
        path = str(run_dir / "template.sqlite3")
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return {"vendor": "sqlite", "path": path}
    template = f"{connection.settings_dict['NAME']}_template"
    quote = connection.ops.quote_name
    connection.close()  # PostgreSQL copies only a database nobody is connected to
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)}")
        cursor.execute(f"CREATE DATABASE {quote(template)} WITH TEMPLATE {quote(connection.settings_dict['NAME'])}")
    return {"vendor": connection.vendor, "name": template}


def _clone_template(connection: Any, template: dict[str, str]) -> tuple[Any, str, bool]:
    """This worker's test database as a copy of the template; the entry teardown_databases takes."""
    from django.conf import settings

    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    name = creation._get_test_db_name()
    connection.close()
    if template["vendor"] == "sqlite":
        assert creation.is_in_memory_db(name), "the SQLite template is copied into an in-memory database"
    else:
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template['name'])}")
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()
    if template["vendor"] == "sqlite":
        source = sqlite3.connect(template["path"])
        source.backup(connection.connection)
        source.close()
    return connection, old_name, True


def _setup(request: pytest.FixtureRequest, use_migrations: bool, keepdb: bool) -> list[Any]:
    from django.db import connections
    from django.test.utils import setup_databases

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    run_dir = os.environ.get(RUN_DIR)
    in_worker = hasattr(request.config, "workerinput")
    if not in_worker or run_dir is None or keepdb or not use_migrations or aliases != {"default"} or serialized_aliases:
        return setup_databases(
            verbosity=verbosity,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
            keepdb=keepdb,
        )
    note = Path(run_dir) / "template.json"
    with _locked(Path(run_dir)):
        if note.exists():
            return [_clone_template(connections["default"], json.loads(note.read_text()))]
        config = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases, serialized_aliases=set())
        template = _publish_template(connections["default"], Path(run_dir))
        note.write_text(json.dumps(template))
        connections["default"].ensure_connection()
        return config


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_use_migrations: bool,
    django_db_keepdb: bool,
    django_db_createdb: bool,
    django_db_modify_db_settings: None,
) -> Iterator[None]:
    """pytest-django's fixture of the same name, with the template of the run (module docstring)."""
    from django.test.utils import teardown_databases

    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        config = _setup(request, django_db_use_migrations, keepdb)
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(config, verbosity=request.config.option.verbose)
            except Exception as exc:
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


def migrate_to(targets: list[tuple[str, str]] | None = None) -> Any:
    """Migrate the test database to `targets` (None: every app's latest migration) and give the
    models of that state, for the tests of a data migration. Rendering the historical models is
    most of a migration test's time, so it goes without django-fsm's receivers, as `manage.py migrate` does
    (core.migrating)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    with historical_models_without_fsm_receivers():
        executor = MigrationExecutor(connection)
        targets = targets or executor.loader.graph.leaf_nodes()
        executor.migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps  # a fresh graph: as migrated


def start_run(config: pytest.Config) -> None:
    """In the xdist controller: the run's directory, before the workers start."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    os.environ[RUN_DIR] = tempfile.mkdtemp(prefix="puljeflow-test-db-")


def end_run(config: pytest.Config) -> None:
    """In the xdist controller, after the workers: the template goes."""
    if hasattr(config, "workerinput"):
        return
    run_dir = os.environ.pop(RUN_DIR, None)
    if run_dir is None:
        return
    note = Path(run_dir) / "template.json"
    if note.exists():
        template = json.loads(note.read_text())
        if template["vendor"] != "sqlite":
            from django.db import connection

            with config.stash[blocking_manager_key].unblock(), connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template['name'])}")
    shutil.rmtree(run_dir, ignore_errors=True)
