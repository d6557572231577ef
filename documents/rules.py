"""Who may have a document: whoever asked for it, and whoever may have its kind of document about
its subject. `Document.objects.visible_to` is the same rule as a query."""

from __future__ import annotations

from typing import Any

import rules

from .registry import KINDS


@rules.predicate
def requested_it(user: Any, document: Any) -> bool:
    return document is not None and document.requested_by_id is not None and document.requested_by_id == user.pk


@rules.predicate
def may_have_subject(user: Any, document: Any) -> bool:
    if document is None or document.kind not in KINDS:
        return False
    subject = document.subject
    return subject is not None and KINDS[document.kind].may_have(user, subject)


rules.add_perm("documents.view_document", rules.is_authenticated & (requested_it | may_have_subject))
rules.add_perm("documents.delete_document", rules.is_superuser)
