"""Work done once after a transaction commits, however many of its changes ask for it: a change
adds what it touched to the transaction's one callback of that kind (`once_after_commit`), and the
callback acts on all of it after the commit (a rollback drops it with the changes)."""

from __future__ import annotations

from typing import Protocol, TypeVar

from django.db import connection, transaction


class AfterCommit(Protocol):
    def __call__(self) -> None: ...


Callback = TypeVar("Callback", bound=AfterCommit)


def once_after_commit(kind: type[Callback]) -> Callback | None:
    """The current transaction's callback of `kind` (a class made without arguments), registered
    the first time a change asks for it; None outside a transaction, where the caller acts now."""
    if not connection.in_atomic_block:
        return None
    # Django empties this list before it runs the callbacks, and drops those of a savepoint rolled
    # back: one found here has not run and belongs to this transaction.
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, kind):
            return func
    pending = kind()
    transaction.on_commit(pending, robust=True)
    return pending
