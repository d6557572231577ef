"""Business operations on applications. Each runs in one transaction, locks the rows it
changes, re-checks the state under the lock, and writes the transition log.

Views, API and tasks call these; none of them changes an application's state by itself.
By concern: `decisions` (the life cycle), `drafts` (a draft, its rows and attachments),
`assessment` (political approvals and reviews), `assignments` (who reviews what) and `pools`.
"""

from .assessment import record_political_approval, review_snapshot, save_review
from .assignments import assign, reviewer_load, unassign
from .decisions import check_grant, grant, next_journal_number, reject, return_for_revision, submit, withdraw
from .declaration import DECLARATION_TEXT, Declaration, declaration_problems
from .drafts import (
    DRAFT_FIELDS,
    ROW_MODELS,
    add_attachment,
    delete_attachment,
    delete_draft,
    delete_row,
    draft_problems,
    editing,
    ensure_editable,
    row_problems,
    save_row,
    save_valid_draft_fields,
    start_draft,
    update_draft,
)
from .pools import committed_total, locked_pool, pool_problems, save_pool

__all__ = [
    "DECLARATION_TEXT",
    "DRAFT_FIELDS",
    "ROW_MODELS",
    "Declaration",
    "add_attachment",
    "assign",
    "check_grant",
    "committed_total",
    "declaration_problems",
    "delete_attachment",
    "delete_draft",
    "delete_row",
    "draft_problems",
    "editing",
    "ensure_editable",
    "grant",
    "locked_pool",
    "next_journal_number",
    "pool_problems",
    "record_political_approval",
    "reject",
    "return_for_revision",
    "review_snapshot",
    "reviewer_load",
    "row_problems",
    "save_pool",
    "save_review",
    "save_row",
    "save_valid_draft_fields",
    "start_draft",
    "submit",
    "unassign",
    "update_draft",
    "withdraw",
]
