"""The final accounts (regnskab) against the budget in force, with the audit the grant's amount
requires, SIRI's decision on them, and the settlement approval makes: the retained share
released as far as the spending justifies it, or what was paid and not spent claimed back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import BudgetCategory, Grant, GrantState
from applications.validators import validate_pdf
from core import lifecycle
from core.errors import DomainError, validator_messages
from core.money import format_dkk, quantize
from core.outbox import send_later
from core.validators import validate_no_cpr
from documents.services import request_document

from ..models import (
    AccountLine,
    AuditLevel,
    AuditorKind,
    Award,
    FinalAccounts,
    Payment,
    PaymentKind,
    PaymentState,
    Repayment,
)
from . import payments
from .end import (
    END_TASK,
    REASON_MISSING,
    locked_grant,
    open_for_writing,
    parse_decimal,
    read_texts,
)
from .terms import current_lines, terms_of

REPAYMENT_LETTER = "repayment_letter"
ACCOUNTS_LETTER = "accounts_approval_letter"
HUNDRED = Decimal(100)
ACCOUNT_TEXTS = ("statement_by_name", "statement_by_title", "auditor_name")


def final_accounts_of(grant: Grant) -> FinalAccounts | None:
    return FinalAccounts.objects.filter(grant=grant).prefetch_related("lines").first()


@dataclass(frozen=True)
class Variance:
    """One year and category of the accounts against the budget in force."""

    year: int
    category: str
    budget: Decimal
    spent: Decimal
    explanation: str
    limit_percent: Decimal

    @property
    def category_label(self) -> str:
        return str(dict(BudgetCategory.choices).get(self.category, self.category))

    @property
    def variance(self) -> Decimal:
        return quantize(self.spent - self.budget)

    @property
    def percent(self) -> Decimal | None:
        if self.budget == 0:
            return None
        return (self.variance / self.budget * HUNDRED).quantize(Decimal("0.1"))

    @property
    def needs_explanation(self) -> bool:
        """A line deviating by more than the pool's share (a line without budget, by any spending)."""
        return abs(self.variance) > self.budget * self.limit_percent / HUNDRED

    @property
    def unexplained(self) -> bool:
        return self.needs_explanation and not self.explanation.strip()

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "category": self.category,
            "budget": str(self.budget),
            "spent": str(self.spent),
            "variance": str(self.variance),
            "percent": None if self.percent is None else str(self.percent),
            "explanation_required": self.needs_explanation,
            "explanation": self.explanation,
        }


def budget_by_line(grant: Grant) -> dict[tuple[int, str], Decimal]:
    budget: dict[tuple[int, str], Decimal] = {}
    for line in current_lines(grant):
        key = (int(line["year"]), str(line["category"]))
        budget[key] = quantize(budget.get(key, Decimal(0)) + Decimal(line["amount"]))
    return budget


def variances(grant: Grant, accounts: FinalAccounts | None) -> list[Variance]:
    """Every budget line and every line spent on, by year and category."""
    limit = grant.application.pool.variance_explain_percent
    budget = budget_by_line(grant)
    spent = {(line.year, line.category): line for line in accounts.lines.all()} if accounts else {}
    rows = []
    for key in sorted(set(budget) | set(spent)):
        line = spent.get(key)
        rows.append(
            Variance(
                year=key[0],
                category=key[1],
                budget=budget.get(key, Decimal(0)),
                spent=quantize(line.spent) if line else Decimal("0.00"),
                explanation=line.explanation if line else "",
                limit_percent=limit,
            )
        )
    return rows


def spent_total(accounts: FinalAccounts) -> Decimal:
    return quantize(sum((line.spent for line in accounts.lines.all()), Decimal(0)))


@dataclass(frozen=True)
class Settlement:
    """The arithmetic of approved accounts: what SIRI approves as spent (at most the grant), what
    was paid, the final payment still due to the municipality, and what it owes back, claimed
    only from the pool's smallest amount (de minimis) up."""

    approved_spending: Decimal
    paid: Decimal
    final_payment: Decimal
    owed: Decimal
    minimum: Decimal

    @property
    def claimed(self) -> Decimal:
        return self.owed if self.owed > 0 and self.owed >= self.minimum else Decimal("0.00")


def settlement(grant: Grant, spent: Decimal, paid: Decimal | None = None) -> Settlement:
    approved = quantize(min(spent, grant.amount))
    paid = quantize(payments.paid_total(grant) if paid is None else paid)
    return Settlement(
        approved_spending=approved,
        paid=paid,
        final_payment=quantize(max(approved - paid, Decimal(0))),
        owed=quantize(max(paid - approved, Decimal(0))),
        minimum=quantize(grant.application.pool.repayment_minimum),
    )


def audit_problem(level: str, pool: Any, kind: str, performance_audit: bool) -> str | None:
    """Why the auditor does not meet the grant's audit level, naming the rule; None when they do."""
    registered = (AuditorKind.REGISTERED, AuditorKind.STATE_AUTHORISED)
    if level in (AuditLevel.REGISTERED, AuditLevel.PERFORMANCE) and kind not in registered:
        return _(
            "The grant is above %(limit)s, so its accounts must be audited by a registered or "
            "state-authorised auditor (the audit level of the grant letter); an independent qualified "
            "accountant is not enough."
        ) % {"limit": format_dkk(pool.audit_registered_above)}
    if level == AuditLevel.PERFORMANCE and not performance_audit:
        return _(
            "The grant is above %(limit)s, so the audit must include a performance audit "
            "(forvaltningsrevision), as the grant letter states. Tick that it was made."
        ) % {"limit": format_dkk(pool.audit_performance_above)}
    return None


def explanation_missing(row: Variance) -> str:
    """What a line deviating past the pool's share without an explanation is told."""
    return _("Explain the variance of %(year)s, %(category)s (spent %(spent)s, budget %(budget)s).") % {
        "year": row.year,
        "category": row.category_label.lower(),
        "spent": format_dkk(row.spent),
        "budget": format_dkk(row.budget),
    }


def accounts_problems(grant: Grant, accounts: FinalAccounts, today: datetime.date) -> dict[str, list[Any]]:
    """Everything that stops the accounts from being submitted, per field."""
    errors: dict[str, list[Any]] = {}
    if today < grant.end_date:
        errors.setdefault("non_field_errors", []).append(
            _("The final accounts can be submitted when the project period has ended on %(date)s.")
            % {"date": f"{grant.end_date:%d.%m.%Y}"}
        )
    if not accounts.lines.exists():
        errors["lines"] = [_("Give the spending of each year and category.")]
    missing = [explanation_missing(row) for row in variances(grant, accounts) if row.unexplained]
    if missing:
        errors.setdefault("lines", []).extend(missing)
    if not accounts.statement_by_name.strip():
        errors["statement_by_name"] = [_("The management statement is signed by name.")]
    if not accounts.statement_by_title.strip():
        errors["statement_by_title"] = [_("Give the title of whoever signs the management statement.")]
    if not accounts.auditor_name.strip():
        errors["auditor_name"] = [_("Name the auditor.")]
    if not accounts.auditor_kind:
        errors["auditor_kind"] = [_("Say what kind of auditor audited the accounts.")]
    else:
        problem = audit_problem(
            terms_of(grant).audit_level, grant.application.pool, accounts.auditor_kind, accounts.performance_audit
        )
        if problem:
            errors["auditor_kind"] = [problem]
    if not accounts.auditor_statement:
        errors["auditor_statement"] = [_("Attach the auditor's statement as a PDF.")]
    return errors


def _lines(award: Award, rows: Any, errors: dict[str, list[Any]]) -> list[tuple[int, str, Decimal, str]]:
    years = set(range(award.start_date.year, award.end_date.year + 1))
    lines: list[tuple[int, str, Decimal, str]] = []
    problems: list[Any] = []
    seen: set[tuple[int, str]] = set()
    if not isinstance(rows, list):
        errors["lines"] = [_('Give the lines as a list: [{"year", "category", "spent", "explanation"}].')]
        return lines
    for row in rows:
        if not isinstance(row, dict):
            problems.append(_('Each line is {"year", "category", "spent", "explanation"}.'))
            continue
        year, category = row.get("year"), row.get("category")
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year)
        if not isinstance(year, int) or isinstance(year, bool) or year not in years:
            problems.append(
                _("%(year)s is not a year of the project period (%(first)s–%(last)s).")
                % {"year": year, "first": min(years), "last": max(years)}
            )
            continue
        if category not in BudgetCategory.values:
            problems.append(
                _("%(category)s is not a budget category; the categories are: %(allowed)s.")
                % {"category": category, "allowed": ", ".join(BudgetCategory.values)}
            )
            continue
        if (year, category) in seen:
            problems.append(_("%(year)s, %(category)s is given twice.") % {"year": year, "category": category})
            continue
        seen.add((year, category))
        spent = parse_decimal(row.get("spent"))
        if spent is None or spent < 0 or spent >= Decimal("1e12"):
            problems.append(
                _("Give what was spent in %(year)s, %(category)s in kroner, 0 or more.")
                % {"year": year, "category": category}
            )
            continue
        explanation = row.get("explanation") or ""
        if not isinstance(explanation, str):
            problems.append(_("An explanation is a text."))
            continue
        cpr = validator_messages([validate_no_cpr], explanation)
        if cpr:
            problems.extend(cpr)
            continue
        lines.append((year, category, quantize(spent), explanation.strip()))
    if problems:
        errors["lines"] = problems
    return lines


def save_final_accounts(grant_id: int, user: Any, data: dict[str, Any]) -> FinalAccounts:
    """Write the final accounts (made on their first save) while they are a draft or returned.
    `lines` replaces the lines; the auditor's statement is a PDF upload."""
    with transaction.atomic():
        award, accounts = open_for_writing(grant_id, user, "awards.change_finalaccounts", FinalAccounts)
        errors: dict[str, list[Any]] = {}
        read_texts(accounts, data, ACCOUNT_TEXTS, errors)
        if "auditor_kind" in data:
            kind = data["auditor_kind"] or ""
            if kind and kind not in AuditorKind.values:
                errors["auditor_kind"] = [_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(AuditorKind.values)}]
            else:
                accounts.auditor_kind = kind
        if "performance_audit" in data:
            if not isinstance(data["performance_audit"], bool):
                errors["performance_audit"] = [_("Give true or false.")]
            else:
                accounts.performance_audit = data["performance_audit"]
        upload = data.get("auditor_statement")
        if upload and not hasattr(upload, "read"):
            errors["auditor_statement"] = [_("Send the auditor's statement as a PDF file (multipart/form-data).")]
            upload = None
        elif upload:
            try:
                validate_pdf(upload)
            except ValidationError as error:
                errors["auditor_statement"] = list(error.messages)
        lines = _lines(award, data.get("lines"), errors) if "lines" in data else None
        if errors:
            raise DomainError.invalid(errors)
        if upload:
            accounts.auditor_statement_name = getattr(upload, "name", "") or "revisorerklaering.pdf"
            accounts.auditor_statement.save(accounts.auditor_statement_name, upload, save=False)
        accounts.save()
        if lines is not None:
            accounts.lines.all().delete()
            AccountLine.objects.bulk_create(
                AccountLine(accounts=accounts, year=year, category=category, spent=spent, explanation=explanation)
                for year, category, spent, explanation in lines
            )
        return accounts


def submit_final_accounts(accounts_id: int, user: Any, today: datetime.date | None = None) -> FinalAccounts:
    """The lead municipality submits the accounts; the grant is then `accounts_submitted`. 400
    naming every missing explanation and an auditor below the level."""
    today = today or timezone.localdate()
    with transaction.atomic():
        grant_id = FinalAccounts.objects.values_list("grant_id", flat=True).get(pk=accounts_id)
        award = locked_grant(grant_id, user, "awards.change_finalaccounts")

        def prepare(accounts: FinalAccounts) -> None:
            if award.state != GrantState.ACTIVE:
                raise award.conflict("submit_accounts")
            errors = accounts_problems(award, accounts, today)
            if errors:
                raise DomainError.invalid(errors)
            accounts.submitted_at = timezone.now()

        accounts = lifecycle.run(FinalAccounts.objects.all(), accounts_id, user, "submit", prepare=prepare)
        lifecycle.apply(award, "submit_accounts", user)
        return accounts


def return_final_accounts(accounts_id: int, user: Any, reason: str) -> FinalAccounts:
    """SIRI returns the accounts with a reason; the grant is active again until they come back."""
    reason = (reason or "").strip()
    with transaction.atomic():
        grant_id = FinalAccounts.objects.values_list("grant_id", flat=True).get(pk=accounts_id)
        award = locked_grant(grant_id, user, "awards.decide_finalaccounts")

        def prepare(accounts: FinalAccounts) -> None:
            if not reason:
                raise DomainError.invalid({"reason": [REASON_MISSING]})
            accounts.decided_at = timezone.now()
            accounts.decision_reason = reason

        accounts = lifecycle.run(
            FinalAccounts.objects.all(), accounts_id, user, "send_back", reason=reason, prepare=prepare
        )
        if award.state == GrantState.ACCOUNTS_SUBMITTED:
            lifecycle.apply(award, "reopen_accounts", user, reason)
        send_later(END_TASK, "accounts", accounts.transitions.latest("at", "id").pk)
        return accounts


def approve_final_accounts(
    accounts_id: int, user: Any, reason: str = "", today: datetime.date | None = None
) -> FinalAccounts:
    """SIRI approves the accounts and the grant is settled: the retained share is released as far
    as the approved spending exceeds what was paid (the rest of it is not paid), payments not made
    are cancelled, and what was paid and not spent is claimed back with a due date and a letter,
    unless it is under the pool's smallest amount."""
    today = today or timezone.localdate()
    with transaction.atomic():
        grant_id = FinalAccounts.objects.values_list("grant_id", flat=True).get(pk=accounts_id)
        award = locked_grant(grant_id, user, "awards.decide_finalaccounts")
        settled: list[Settlement] = []

        def prepare(accounts: FinalAccounts) -> None:
            result = settlement(award, spent_total(accounts))
            accounts.decided_at = timezone.now()
            accounts.decision_reason = (reason or "").strip()
            accounts.approved_spending = result.approved_spending
            accounts.repayment_amount = result.claimed
            settled.append(result)

        accounts = lifecycle.run(
            FinalAccounts.objects.all(), accounts_id, user, "approve", reason=reason, prepare=prepare
        )
        result = settled[0]
        _settle_payments(award, user, result, today)
        if result.claimed > 0:
            Repayment.objects.create(
                grant=award,
                amount=result.claimed,
                due_on=today + datetime.timedelta(days=award.application.pool.repayment_days),
            )
            request_document(user, REPAYMENT_LETTER, award, check=False)
        else:
            request_document(user, ACCOUNTS_LETTER, award, check=False)
        send_later(END_TASK, "accounts", accounts.transitions.latest("at", "id").pk)
        return accounts


def _settle_payments(award: Award, user: Any, result: Settlement, today: datetime.date) -> None:
    unpaid = list(
        Payment.objects.select_for_update()
        .filter(grant=award)
        .in_plan()
        .exclude(state=PaymentState.PAID)
        .order_by("due_on", "id")
    )
    retention = next((p for p in unpaid if p.kind == PaymentKind.RETENTION), None)
    with_accounts = _("The final accounts are approved.")
    for payment in unpaid:
        if payment is retention and result.final_payment > 0:
            continue
        payments.cancel(payment, user, with_accounts)
    if result.final_payment <= 0:
        return
    reason = _("Released by the approved accounts: %(amount)s of the grant's last share.") % {
        "amount": format_dkk(result.final_payment)
    }
    if retention is None:
        Payment.objects.create(
            grant=award,
            kind=PaymentKind.RETENTION,
            due_on=today,
            amount=result.final_payment,
            cvr=payments.recipient_cvr(award),
        )
        return
    retention.amount = result.final_payment
    retention.due_on = today
    lifecycle.apply(retention, "release_retention", user, reason)
