"""The letters of a grant's end: the decision on the final accounts (with the repayment claim
when something is owed back: the repayment letter) and the closing letter. Danish, as every
letter of SIRI's, filed by the municipality in its own case system."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from applications.documents.common import WIDTH, date_text, letter_facts, letter_styles, letter_table
from core.money import format_dkk
from documents import pdf
from documents.registry import Progress

from ..models import FinalAccounts, FinalReport, Repayment, RepaymentState
from ..services import closing, paid_total
from .decisions import _award, _finish, _grant_facts, _opening


def _variance_table(award: Any, accounts: FinalAccounts, styles: dict[str, Any]) -> Flowable:
    rows: list[list[Any]] = [
        [
            pdf.para(_("Year"), styles["cell_bold"]),
            pdf.para(_("Category"), styles["cell_bold"]),
            pdf.para(_("Budget"), styles["cell_right_bold"]),
            pdf.para(_("Spent"), styles["cell_right_bold"]),
            pdf.para(_("Variance"), styles["cell_right_bold"]),
        ]
    ]
    lines = closing.variances(award, accounts)
    for row in lines:
        rows.append(
            [
                pdf.para(str(row.year), styles["cell"]),
                pdf.para(row.category_label, styles["cell"]),
                pdf.para(format_dkk(row.budget), styles["cell_right"]),
                pdf.para(format_dkk(row.spent), styles["cell_right"]),
                pdf.para(format_dkk(row.variance), styles["cell_right"]),
            ]
        )
    budget = sum((row.budget for row in lines), 0)
    spent = sum((row.spent for row in lines), 0)
    rows.append(
        [
            pdf.para(_("Total"), styles["cell_bold"]),
            pdf.para("", styles["cell"]),
            pdf.para(format_dkk(budget), styles["cell_right_bold"]),
            pdf.para(format_dkk(spent), styles["cell_right_bold"]),
            pdf.para(format_dkk(spent - budget), styles["cell_right_bold"]),
        ]
    )
    return letter_table(rows, [18 * mm, WIDTH - 123 * mm, 35 * mm, 35 * mm, 35 * mm], totals=1)


def render_accounts_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    """The decision on the final accounts: approved spending against what was paid, and what
    follows: a last payment, nothing, or a repayment claim with its due date."""
    with translation.override("da"):
        award = _award(document.subject_id)
        accounts = FinalAccounts.objects.filter(grant=award).prefetch_related("lines").first()
        if accounts is None or accounts.approved_spending is None:
            raise ValueError(_("The final accounts have not been approved."))
        repayment = Repayment.objects.filter(grant=award).first()
        progress(20)
        styles = letter_styles()
        heading = (
            _("Approval of the final accounts and claim for repayment")
            if repayment
            else _("Approval of the final accounts")
        )
        story = _opening(award.application, timezone.localdate(accounts.decided_at), styles, heading)
        paid = paid_total(award)
        story += [
            pdf.para(
                _(
                    "SIRI has reviewed and approves the final accounts of the project “%(title)s”, audited by "
                    "%(auditor)s."
                )
                % {"title": award.application.title, "auditor": accounts.auditor_name},
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            letter_facts(
                [
                    *_grant_facts(award),
                    (_("Spending approved"), format_dkk(accounts.approved_spending)),
                    (_("Paid"), format_dkk(paid)),
                ],
                styles,
            ),
            pdf.para(_("The accounts against the budget"), styles["h1"]),
            _variance_table(award, accounts, styles),
            pdf.para(_("What happens now"), styles["h1"]),
        ]
        if repayment is not None:
            story.append(
                pdf.para(
                    _(
                        "%(paid)s has been paid and %(approved)s is approved as spent on the project. The municipality "
                        "must pay back %(amount)s by %(date)s, quoting journal number %(number)s."
                    )
                    % {
                        "paid": format_dkk(paid),
                        "approved": format_dkk(accounts.approved_spending),
                        "amount": format_dkk(repayment.amount),
                        "date": date_text(repayment.due_on),
                        "number": award.application.journal_number,
                    },
                    styles["body"],
                )
            )
        elif accounts.approved_spending > paid:
            story.append(
                pdf.para(
                    _("The rest of the grant, %(amount)s of the retained share, is paid to the municipality now.")
                    % {"amount": format_dkk(accounts.approved_spending - paid)},
                    styles["body"],
                )
            )
        else:
            owed = paid - accounts.approved_spending
            if owed > 0:
                story.append(
                    pdf.para(
                        _("The %(amount)s not spent is below %(minimum)s, so SIRI does not claim it back.")
                        % {"amount": format_dkk(owed), "minimum": format_dkk(award.application.pool.repayment_minimum)},
                        styles["body"],
                    )
                )
            story.append(pdf.para(_("Nothing more is paid, and nothing is claimed back."), styles["body"]))
        if accounts.decision_reason:
            story += [pdf.para(_("SIRI's remarks"), styles["h1"]), *pdf.paras(accounts.decision_reason, styles["body"])]
        progress(60)
        prefix = "tilbagebetaling" if repayment else "regnskab"
        return _finish(story, award, styles, heading, prefix)


def render_closing_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    """The grant is closed: the figures of its end, and the follow-ups still to come."""
    with translation.override("da"):
        award = _award(document.subject_id)
        entry = award.transitions.filter(transition="close").order_by("-at", "-id").first()
        accounts = FinalAccounts.objects.filter(grant=award).first()
        report = FinalReport.objects.filter(grant=award).first()
        if entry is None or accounts is None:
            raise ValueError(_("The grant has not been closed."))
        repayment = Repayment.objects.filter(grant=award, state=RepaymentState.PAID).first()
        progress(20)
        styles = letter_styles()
        story = _opening(award.application, timezone.localdate(entry.at), styles, _("Closing of the grant"))
        facts = [
            *_grant_facts(award),
            (_("Paid"), format_dkk(paid_total(award))),
            (_("Spending approved"), format_dkk(accounts.approved_spending or 0)),
        ]
        if repayment is not None:
            facts.append((_("Repaid"), f"{format_dkk(repayment.amount)} ({date_text(repayment.paid_on)})"))
        facts.append((_("Returned to the pool"), format_dkk(closing.returned_to_pool(award))))
        story += [
            pdf.para(
                _(
                    "The final report is accepted and the final accounts are approved, so SIRI closes the grant to "
                    "%(municipality)s for the project “%(title)s”."
                )
                % {"municipality": award.application.lead_municipality.name, "title": award.application.title},
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            letter_facts(facts, styles),
            pdf.para(_("After the closing"), styles["h1"]),
            pdf.para(
                _(
                    "Report the follow-up of the participants 3 and 12 months after the end of the project "
                    "(%(end)s) in Puljeflow: of those who completed, how many are in work or education."
                )
                % {"end": date_text(award.end_date)},
                styles["body"],
            ),
            pdf.para(
                _("Keep the accounts and their vouchers for five years, as the grant's conditions state."),
                styles["body"],
            ),
        ]
        if report is not None and report.lessons:
            story += [
                pdf.para(_("The lessons of the project"), styles["h1"]),
                *pdf.paras(report.lessons, styles["body"]),
            ]
        if entry.reason:
            story += [pdf.para(_("SIRI's remarks"), styles["h1"]), *pdf.paras(entry.reason, styles["body"])]
        progress(60)
        return _finish(story, award, styles, _("Closing"), "afslutning")
