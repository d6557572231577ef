"""The grant administration's sections of the grant letter (applications' letter lists them in
GRANT_LETTER_SECTIONS): the budget per year, the acceptance deadline, the payment plan with the
retention, the audit the amount requires, and how changes are asked for. Everything the letter
states here is what the services then apply: the deadline and retention are the grant's terms,
the plan is the one acceptance makes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from applications.documents.common import WIDTH, date_text, letter_table
from core.money import format_dkk
from documents import pdf

from ..models import AuditLevel
from ..services import latest_version, planned_schedule, terms_of
from ..services.payments import recipient_cvr, retention_of


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def budget_per_year(grant: Any, styles: dict[str, Any]) -> list[Flowable]:
    version = latest_version(grant)
    lines = list(version.lines.all()) if version else []
    if not lines:
        return []
    years: dict[int, Decimal] = {}
    for line in lines:
        years[line.year] = years.get(line.year, Decimal(0)) + line.amount
    rows: list[list[Any]] = [
        [pdf.para(_("Year"), styles["cell_bold"]), pdf.para(_("Budget"), styles["cell_right_bold"])]
    ]
    rows += [
        [pdf.para(str(year), styles["cell"]), pdf.para(format_dkk(amount), styles["cell_right"])]
        for year, amount in sorted(years.items())
    ]
    rows.append(
        [
            pdf.para(_("Total"), styles["cell_bold"]),
            pdf.para(format_dkk(sum(years.values())), styles["cell_right_bold"]),
        ]
    )
    story: list[Flowable] = [pdf.para(_("Budget per year"), styles["h1"])]
    if grant.amount != grant.application.requested_total:
        story.append(
            pdf.para(_("The budget applied for, each line in proportion to the amount granted."), styles["body"])
        )
    story.append(letter_table(rows, [50 * mm, 50 * mm], totals=1))
    return story


def acceptance(grant: Any, styles: dict[str, Any]) -> list[Flowable]:
    terms = terms_of(grant)
    story: list[Flowable] = [pdf.para(_("Acceptance of the grant"), styles["h1"])]
    if terms.accept_by is None:
        return []
    story.append(
        pdf.para(
            _(
                "The grant must be accepted by %(date)s. The municipality's grant-responsible person accepts "
                "it in Puljeflow, on the project's page, by name and title and with a declaration that the "
                "municipality accepts the grant and its conditions. A grant not accepted by %(date)s lapses, "
                "and its money returns to the pool."
            )
            % {"date": date_text(terms.accept_by)},
            styles["body"],
        )
    )
    return story


def payment_plan(grant: Any, styles: dict[str, Any]) -> list[Flowable]:
    terms = terms_of(grant)
    granted_on = timezone.localdate(grant.granted_at) if grant.granted_at else timezone.localdate()
    pool = grant.application.pool
    retention = retention_of(grant)
    story: list[Flowable] = [
        pdf.para(_("Payment"), styles["h1"]),
        pdf.para(
            _(
                "The grant is paid quarterly in advance to CVR number %(cvr)s, once it has been accepted: on the "
                "first day of each quarter of the period, and for a quarter already begun when it is accepted. "
                "%(percent)s %% of the grant (%(retention)s) is retained until SIRI has approved the final "
                "accounts. A payment is held while a quarterly report is more than %(days)s days late, and paid "
                "when the report is handed in."
            )
            % {
                "cvr": recipient_cvr(grant) or "–",
                "percent": _number(terms.retention_percent),
                "retention": format_dkk(retention),
                "days": pool.payment_grace_days,
            },
            styles["body"],
        ),
    ]
    rows: list[list[Any]] = [
        [
            pdf.para(_("Payment"), styles["cell_bold"]),
            pdf.para(_("Due"), styles["cell_bold"]),
            pdf.para(_("Amount"), styles["cell_right_bold"]),
        ]
    ]
    for quarter, due_on, amount in planned_schedule(grant, granted_on):
        if quarter is None:
            what, when = _("Retained share"), _("When the final accounts are approved")
        else:
            what = str(quarter)
            when = _("On acceptance") if due_on <= granted_on else date_text(due_on)
        rows.append(
            [
                pdf.para(what, styles["cell"]),
                pdf.para(when, styles["cell"]),
                pdf.para(format_dkk(amount), styles["cell_right"]),
            ]
        )
    rows.append(
        [
            pdf.para(_("Total"), styles["cell_bold"]),
            pdf.para("", styles["cell"]),
            pdf.para(format_dkk(grant.amount), styles["cell_right_bold"]),
        ]
    )
    story.append(letter_table(rows, [40 * mm, WIDTH - 80 * mm, 40 * mm], totals=1))
    return story


AUDIT_TEXT = {
    AuditLevel.QUALIFIED: gettext_lazy("an independent qualified accountant"),
    AuditLevel.REGISTERED: gettext_lazy("a registered or state-authorised public accountant"),
    AuditLevel.PERFORMANCE: gettext_lazy(
        "a registered or state-authorised public accountant, including a performance audit"
    ),
}


def audit(grant: Any, styles: dict[str, Any]) -> list[Flowable]:
    terms = terms_of(grant)
    pool = grant.application.pool
    return [
        pdf.para(_("Final accounts and audit"), styles["h1"]),
        pdf.para(
            _(
                "After the period the municipality hands in a final report and final accounts against the "
                "approved budget. A grant of %(amount)s requires the accounts to be audited by %(level)s. "
                "Up to %(registered)s an independent qualified accountant may audit; above it a registered or "
                "state-authorised public accountant must, and above %(performance)s the audit includes a "
                "performance audit (forvaltningsrevision)."
            )
            % {
                "amount": format_dkk(grant.amount),
                "level": AUDIT_TEXT[terms.audit_level],
                "registered": format_dkk(pool.audit_registered_above),
                "performance": format_dkk(pool.audit_performance_above),
            },
            styles["body"],
        ),
        pdf.para(
            _(
                "A budget line whose spending deviates by more than %(variance)s %% must be explained in the "
                "accounts. What is not spent on the project is paid back; less than %(minimum)s is not claimed."
            )
            % {"variance": _number(pool.variance_explain_percent), "minimum": format_dkk(pool.repayment_minimum)},
            styles["body"],
        ),
    ]


def changes(grant: Any, styles: dict[str, Any]) -> list[Flowable]:
    return [
        pdf.para(_("Changes during the project"), styles["h1"]),
        pdf.para(
            _(
                "Changes to the budget, the period, the goals or the remaining milestones need SIRI's approval "
                "before they are made. The municipality asks for them in Puljeflow as a change request, with a "
                "reason, before the period ends; SIRI answers with a decision letter. An approved change never "
                "raises the grant above what the pool has left."
            ),
            styles["body"],
        ),
    ]


SECTIONS = [budget_per_year, acceptance, payment_plan, audit, changes]
