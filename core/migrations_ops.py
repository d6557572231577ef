"""Migration operations of the kernel: the database's own guard on the append-only log tables.

A log table is made append-only in the migration that creates it, with one line::

    AppendOnlyTrigger("transitionlog"),

On PostgreSQL this installs a row trigger that refuses UPDATE and DELETE of any row of the table,
with a message naming the table, whoever sends the SQL (the ORM, a shell, a report tool). On
SQLite it does nothing: there the models' own guards (`core.log.AppendOnly`) are the guard.

TRUNCATE is deliberately not refused: it empties whole databases, not a record (the test
runner's flush between tests, ``manage.py flush``), and ``make restore`` (``pg_restore --clean``)
drops and recreates the tables, trigger included, as the backup has them.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.backends.utils import truncate_name

FUNCTION = "puljeflow_append_only"

# One function serves every log table; each operation (re)creates it, so a migration needs no
# dependency on another app's for it.
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'The audit log % is append-only: % of its rows is refused.', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'A log row is written once and never changed or deleted; record a new row instead.';
END;
$$
"""


def trigger_name(table: str, connection: Any) -> str:
    return truncate_name(f"{table}_append_only", connection.ops.max_name_length())


class AppendOnlyTrigger(migrations.operations.base.Operation):
    """Refuse UPDATE and DELETE of the rows of `model_name`'s table (PostgreSQL; a no-op elsewhere)."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (f"{__name__}.{type(self).__name__}", [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass  # the trigger lives in the database only; the models' state does not change

    def _table(self, app_label: str, state: Any) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        table = self._table(app_label, to_state)
        quote = schema_editor.quote_name
        schema_editor.execute(CREATE_FUNCTION, None)  # None: its % are PL/pgSQL's, not parameters
        schema_editor.execute(
            f"CREATE TRIGGER {quote(trigger_name(table, connection))} BEFORE UPDATE OR DELETE ON {quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        table = self._table(app_label, from_state)
        quote = schema_editor.quote_name
        # The function stays: other log tables' triggers call it.
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(trigger_name(table, connection))} ON {quote(table)}")

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE of {self.model_name} rows (PostgreSQL trigger)"

    @property
    def migration_name_fragment(self) -> str:
        return f"{self.model_name}_append_only"
