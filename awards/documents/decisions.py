"""The grant administration's own letters: the decision on a change request, the lapse of a grant
not accepted in time, and the revocation. Each opens as every letter of SIRI's does (letterhead,
heading, the project's title), gives the facts and the decision, and ends with the appeal
guidance (forvaltningsloven § 25) and the signature."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from applications.documents.common import (
    WIDTH,
    date_text,
    file_name,
    letter_facts,
    letter_styles,
    letter_table,
    letterhead,
    period_text,
    render_letter,
    signature,
)
from applications.documents.letters import appeal_guidance
from core.money import format_dkk
from documents import pdf
from documents.registry import Progress

from ..models import Award, ChangeKind, ChangeRequest, ChangeState, GrantVersion
from ..services import paid_total, terms_of


def _opening(application: Any, day: datetime.date, styles: dict[str, Any], heading: str) -> list[Flowable]:
    return [
        *letterhead(application, day, styles),
        pdf.para(heading, styles["title"]),
        pdf.para(application.title, styles["subtitle"]),
    ]


def _award(grant_id: int) -> Award:
    award = (
        Award.objects.select_related("application__pool", "application__lead_municipality")
        .prefetch_related("application__partner_municipalities")
        .filter(pk=grant_id)
        .first()
    )
    if award is None:
        raise ValueError(_("The grant no longer exists."))
    return award


def _grant_facts(award: Award) -> list[tuple[Any, Any]]:
    application = award.application
    return [
        (_("Journal number"), application.journal_number),
        (_("Project title"), application.title),
        (_("Applicant municipality"), application.lead_municipality.name),
        (_("Pool"), application.pool.name),
        (_("Amount granted"), format_dkk(award.amount)),
        (_("Grant period"), period_text(award.start_date, award.end_date)),
        (_("Granted on"), date_text(timezone.localdate(award.granted_at))),
    ]


def _finish(story: list[Flowable], award: Award, styles: dict[str, Any], title: str, prefix: str) -> tuple[bytes, str]:
    story += appeal_guidance(award.application, styles)
    story.append(Spacer(1, 4 * mm))
    story.append(
        pdf.para(
            _("If you have questions about the decision, contact SIRI and quote journal number %(number)s.")
            % {"number": award.application.journal_number},
            styles["body"],
        )
    )
    story.append(signature(styles))
    return render_letter(story, title + " – " + award.application.title, award.application), file_name(
        prefix, award.application
    )


# The lapse ----------------------------------------------------------------------------------------


def render_lapse_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        award = _award(document.subject_id)
        entry = award.transitions.filter(transition="lapse").order_by("-at", "-id").first()
        if entry is None:
            raise ValueError(_("The grant has not lapsed."))
        terms = terms_of(award)
        progress(20)
        styles = letter_styles()
        story = _opening(award.application, timezone.localdate(entry.at), styles, _("The grant has lapsed"))
        story += [
            pdf.para(
                _(
                    "SIRI granted %(municipality)s %(amount)s for the project “%(title)s” on %(granted)s. The grant "
                    "had to be accepted by %(date)s. It was not, and so it has lapsed: nothing will be paid, "
                    "and the money returns to the pool."
                )
                % {
                    "municipality": award.application.lead_municipality.name,
                    "amount": format_dkk(award.amount),
                    "title": award.application.title,
                    "granted": date_text(timezone.localdate(award.granted_at)),
                    "date": date_text(terms.accept_by),
                },
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            letter_facts([*_grant_facts(award), (_("Accept by"), date_text(terms.accept_by))], styles),
            pdf.para(
                _("The municipality may apply to the pool again while it is open."),
                styles["body"],
            ),
        ]
        progress(60)
        return _finish(story, award, styles, _("Lapse"), "bortfald")


# The revocation -----------------------------------------------------------------------------------


def render_revocation_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        award = _award(document.subject_id)
        entry = award.transitions.filter(transition="revoke").order_by("-at", "-id").first()
        if entry is None:
            raise ValueError(_("The grant has not been revoked."))
        progress(20)
        styles = letter_styles()
        paid = paid_total(award)
        story = _opening(award.application, timezone.localdate(entry.at), styles, _("Revocation of the grant"))
        story += [
            pdf.para(
                _("SIRI has decided to revoke the grant to %(municipality)s for the project “%(title)s”.")
                % {"municipality": award.application.lead_municipality.name, "title": award.application.title},
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            letter_facts([*_grant_facts(award), (_("Paid so far"), format_dkk(paid))], styles),
            pdf.para(_("Reason"), styles["h1"]),
            *(pdf.paras(entry.reason, styles["body"]) or [pdf.para("–", styles["body"])]),
            pdf.para(_("What happens now"), styles["h1"]),
        ]
        if paid > 0:
            story.append(
                pdf.para(
                    _(
                        "Nothing more is paid. The %(paid)s paid out must be paid back, less what SIRI approves as "
                        "spent on the project; SIRI sends a claim with a due date."
                    )
                    % {"paid": format_dkk(paid)},
                    styles["body"],
                )
            )
        else:
            story.append(pdf.para(_("Nothing has been paid, and nothing will be."), styles["body"]))
        basis = award.application.pool.legal_basis
        if basis:
            story.append(
                pdf.para(
                    _("The decision is made under %(rules)s and the conditions of the grant (forvaltningsloven § 22).")
                    % {"rules": basis},
                    styles["body"],
                )
            )
        progress(60)
        return _finish(story, award, styles, _("Revocation"), "tilbagekaldelse")


# The decision on a change request -----------------------------------------------------------------


def _version_story(change: ChangeRequest, version: GrantVersion, styles: dict[str, Any]) -> list[Flowable]:
    """What the approved change made: the version of the budget and plan it created."""
    story: list[Flowable] = [
        pdf.para(_("The grant after the change (version %(number)s)") % {"number": version.number}, styles["h1"]),
        letter_facts(
            [
                (_("Amount granted"), format_dkk(version.amount)),
                (_("Grant period"), period_text(version.start_date, version.end_date)),
            ],
            styles,
        ),
    ]
    if change.kind == ChangeKind.BUDGET:
        rows: list[list[Any]] = [
            [
                pdf.para(_("Year"), styles["cell_bold"]),
                pdf.para(_("Category"), styles["cell_bold"]),
                pdf.para(_("Amount"), styles["cell_right_bold"]),
            ]
        ]
        rows += [
            [
                pdf.para(str(line.year), styles["cell"]),
                pdf.para(line.get_category_display(), styles["cell"]),
                pdf.para(format_dkk(line.amount), styles["cell_right"]),
            ]
            for line in version.lines.all()
        ]
        rows.append(
            [
                pdf.para(_("Total"), styles["cell_bold"]),
                pdf.para("", styles["cell"]),
                pdf.para(format_dkk(version.amount), styles["cell_right_bold"]),
            ]
        )
        story.append(Spacer(1, 3 * mm))
        story.append(letter_table(rows, [30 * mm, WIDTH - 80 * mm, 50 * mm], totals=1))
    elif change.kind == ChangeKind.GOALS:
        titles = {str(goal["goal"]): goal["title"] for goal in version.goals}
        rows = [[pdf.para(_("Goal"), styles["cell_bold"]), pdf.para(_("New target"), styles["cell_right_bold"])]]
        rows += [
            [
                pdf.para(titles.get(str(row["goal"]), str(row["goal"])), styles["cell"]),
                pdf.para(f"{Decimal(row['target_value']).normalize():f}".replace(".", ","), styles["cell_right"]),
            ]
            for row in change.goals
        ]
        story.append(Spacer(1, 3 * mm))
        story.append(letter_table(rows, [WIDTH - 40 * mm, 40 * mm]))
    elif change.kind == ChangeKind.MILESTONES:
        quarters = ", ".join(_("Q%(quarter)s %(year)s") % row for row in change.milestones)
        story.append(
            pdf.para(_("The milestones of %(quarters)s are changed as asked.") % {"quarters": quarters}, styles["body"])
        )
    story.append(
        pdf.para(
            _("Reported quarters are not changed. The previous versions of the budget and plan are kept in Puljeflow."),
            styles["body"],
        )
    )
    return story


def render_change_decision(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        change = ChangeRequest.objects.select_related("grant").filter(pk=document.subject_id).first()
        if change is None or change.state not in (ChangeState.APPROVED, ChangeState.REFUSED):
            raise ValueError(_("The change request has not been decided."))
        award = _award(change.grant_id)
        progress(20)
        styles = letter_styles()
        approved = change.state == ChangeState.APPROVED
        heading = _("Approval of a change to the grant") if approved else _("Refusal of a change to the grant")
        story = _opening(award.application, timezone.localdate(change.decided_at), styles, heading)
        values = {"kind": change.get_kind_display().lower(), "title": award.application.title}
        decision = (
            _("SIRI approves the change request (%(kind)s) for the project “%(title)s”.")
            if approved
            else _("SIRI refuses the change request (%(kind)s) for the project “%(title)s”.")
        )
        story += [
            pdf.para(decision % values, styles["body"]),
            Spacer(1, 4 * mm),
            letter_facts(
                [
                    (_("Journal number"), award.application.journal_number),
                    (_("Applicant municipality"), award.application.lead_municipality.name),
                    (_("Change asked for"), change.get_kind_display()),
                    (_("Asked for on"), date_text(timezone.localdate(change.submitted_at))),
                    (_("Decided on"), date_text(timezone.localdate(change.decided_at))),
                ],
                styles,
            ),
            pdf.para(_("The municipality's reason"), styles["h1"]),
            *pdf.paras(change.reason, styles["body"]),
        ]
        if change.kind == ChangeKind.PERIOD and change.end_date:
            story.append(
                pdf.para(_("New end date asked for: %(date)s") % {"date": date_text(change.end_date)}, styles["body"])
            )
        if change.decision_reason:
            story.append(pdf.para(_("SIRI's reason"), styles["h1"]))
            story += pdf.paras(change.decision_reason, styles["body"])
        version = GrantVersion.objects.filter(change_request=change).prefetch_related("lines").first()
        if approved and version is not None:
            story += _version_story(change, version, styles)
        progress(60)
        title = _("Decision on a change request")
        return _finish(story, award, styles, title, f"aendring-{change.pk}")
