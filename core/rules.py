"""Who may do what with the kernel's own objects. A person's API tokens are theirs alone. The
change log (`core.changelog`): an entry to whoever may see changes of its kind to its subject,
as the kind registers it. `ChangeLogEntry.objects.visible_to` is the same rule as a
query. The admin lists the log to SIRI, starting from that query."""

from __future__ import annotations

from typing import Any

import rules

from .changelog import KINDS
from .roles import is_siri


@rules.predicate
def owns_token(user: Any, token: Any) -> bool:
    return token is not None and user.is_authenticated and token.user_id == user.pk


rules.add_perm("core.view_apitoken", owns_token)
rules.add_perm("core.delete_apitoken", owns_token)


@rules.predicate
def may_see_change(user: Any, entry: Any) -> bool:
    if entry is None:
        # "May this person look at the change log at all?" (the admin's list, filtered below).
        return is_siri(user)
    kind = KINDS.get(entry.kind)
    if kind is None:
        return False
    subject = entry.subject
    return subject is not None and kind.may_see(user, subject)


rules.add_perm("core", is_siri)
rules.add_perm("core.view_changelogentry", rules.is_authenticated & may_see_change)
