"""Who may do what with the kernel's own objects: a person's API tokens are theirs alone."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def owns_token(user: Any, token: Any) -> bool:
    return token is not None and user.is_authenticated and token.user_id == user.pk


rules.add_perm("core.view_apitoken", owns_token)
rules.add_perm("core.delete_apitoken", owns_token)
