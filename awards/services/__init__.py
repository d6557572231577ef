"""Business operations of the grant administration. Each runs in one transaction, locks what it
changes, re-checks the state under the lock and logs; the API, the pages, the daily job and the
tasks call these.

By concern: `terms` (what a new grant is given, the versions of its budget and plan),
`acceptance` (accept, lapse, revoke), `payments` (the plan, holds, paid), `changes` (change
requests); and the end: `final_report`, `accounts` (the final accounts and their settlement) and
`closing` (the repayment and the closing; it names the other two's operations as well)."""

from . import closing
from .acceptance import accept, declaration, lapse, overdue_acceptances, revoke
from .changes import approve_change, change_problems, file_change, refuse_change, withdraw_change
from .payments import make_plan, paid_total, pay, planned_schedule, refresh_holds
from .terms import audit_level, current_lines, granted_lines, latest_version, set_up, terms_of

__all__ = [
    "accept",
    "approve_change",
    "audit_level",
    "change_problems",
    "closing",
    "current_lines",
    "declaration",
    "file_change",
    "granted_lines",
    "lapse",
    "latest_version",
    "make_plan",
    "overdue_acceptances",
    "paid_total",
    "pay",
    "planned_schedule",
    "refresh_holds",
    "refuse_change",
    "revoke",
    "set_up",
    "terms_of",
    "withdraw_change",
]
