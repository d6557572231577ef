"""Who may have a document: whoever may have its kind of document about its subject *now*. Having
asked for it once is not enough: a reviewer who leaves SIRI, or a municipality taken off an
application, loses its documents with it. `Document.objects.visible_to` is the same rule as a
query."""

from __future__ import annotations

from typing import Any

import rules

from .registry import KINDS


@rules.predicate
def may_have_subject(user: Any, document: Any) -> bool:
    if document is None or document.kind not in KINDS:
        return False
    subject = document.subject
    return subject is not None and KINDS[document.kind].may_have(user, subject)


rules.add_perm("documents.view_document", rules.is_authenticated & may_have_subject)
rules.add_perm("documents.delete_document", rules.is_superuser)
