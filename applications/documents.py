"""The letters an application's transitions call for, and the submitted application as a PDF.

Receipt on submit (kvittering), grant letter on grant (tilsagnsbrev), rejection letter on reject
(afslagsbrev), and the application as submitted, which the municipal committees approve. They
are built by the documents app's task after the transition commits (see services.py), always in
Danish, and a municipality files them in its own case system.

Every piece of user text goes through documents.pdf.para/paras (escaped, NFC-normalised, no
markup, no images); only our own labels are put into paragraphs as they are.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from documents import pdf
from documents.registry import Kind, Progress, register

from .forms.application import SECTIONS, ApplicationForm
from .models import Application, ApprovalStatus, BudgetCategory, GoalKind, Measure, State
from .money import format_dkk

SENDER = "SIRI"
SENDER_NAME = "Styrelsen for International Rekruttering og Integration"
WIDTH = 170 * mm  # A4 less the template's margins
LABEL_WIDTH = 48 * mm
RULE = colors.HexColor("#cccccc")
# The grant letter names the first report deadlines; the whole plan lives in Puljeflow.
FIRST_REPORTS = 4
EMPTY = "–"


# Formats ---------------------------------------------------------------------------------------


def _date(day: datetime.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else EMPTY


def _moment(at: datetime.datetime | None) -> str:
    if at is None:
        return EMPTY
    local = timezone.localtime(at)
    return _("%(date)s at %(time)s") % {"date": f"{local:%d.%m.%Y}", "time": f"{local:%H:%M}"}


def _period(start: datetime.date | None, end: datetime.date | None) -> str:
    return f"{_date(start)} – {_date(end)}"


def _number(value: Decimal | int | None) -> str:
    """A figure in Danish: 1.234,5 (no decimals when whole)."""
    if value is None:
        return EMPTY
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else (1 if (value * 10) == (value * 10).to_integral_value() else 2)
    return f"{value:,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _plain(text: Any) -> str:
    """User text for the page header and the PDF's metadata (drawn as a string, not markup)."""
    value = unicodedata.normalize("NFC", str(text or ""))
    return "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")


def _file_name(prefix: str, application: Application) -> str:
    return f"{prefix}-{application.journal_number or application.pk}.pdf"


# Building blocks ---------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    styles = pdf.styles()
    styles["cell_right"] = ParagraphStyle("cell_right", parent=styles["cell"], alignment=TA_RIGHT)
    styles["cell_right_bold"] = ParagraphStyle("cell_right_bold", parent=styles["cell_bold"], alignment=TA_RIGHT)
    return styles


def _table(
    rows: list[list[Any]], widths: list[float], *, header: bool = True, totals: int = 0, gap_before: int | None = None
) -> Table:
    """A plain table; the header row repeats when it breaks across pages, `totals` rows at the
    bottom are set off by a rule."""
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, pdf.DARK))
    if totals:
        commands.append(("LINEABOVE", (0, -totals), (-1, -totals), 0.8, pdf.DARK))
    if gap_before is not None:  # text after a right-aligned figure needs air
        commands.append(("LEFTPADDING", (gap_before, 0), (gap_before, -1), 12))
    return Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT", style=TableStyle(commands))


def _facts(rows: list[tuple[Any, Any]], styles: dict[str, ParagraphStyle]) -> Table:
    """Label–value pairs; the values may be user text or flowables."""
    cells = [
        [
            pdf.para(label, styles["cell_bold"]),
            value if isinstance(value, Flowable) else pdf.para(value, styles["cell"]),
        ]
        for label, value in rows
    ]
    return _table(cells, [LABEL_WIDTH, WIDTH - LABEL_WIDTH], header=False)


def _recipient(application: Application) -> list[str]:
    lines = [application.applicant_unit or application.lead_municipality.name]
    if application.applicant_unit and application.applicant_unit != application.lead_municipality.name:
        lines.append(application.lead_municipality.name)
    lines.extend(line for line in application.applicant_address.splitlines() if line.strip())
    if application.grant_responsible_name:
        lines.append(_("Attn. %(name)s") % {"name": application.grant_responsible_name})
    return lines


def _letterhead(application: Application, day: datetime.date, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Sender, recipient, date and journal number, as a letter a case system files."""
    left = [pdf.para(f"{SENDER} – {SENDER_NAME}", styles["small"]), Spacer(1, 3 * mm)]
    left += [pdf.para(line, styles["body"]) for line in _recipient(application)]
    right = [
        pdf.para(_("Date: %(date)s") % {"date": _date(day)}, styles["body"]),
        pdf.para(_("Journal number: %(number)s") % {"number": application.journal_number or EMPTY}, styles["body"]),
    ]
    table = Table([[left, right]], colWidths=[WIDTH - 60 * mm, 60 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [table, Spacer(1, 10 * mm)]


def _signature(styles: dict[str, ParagraphStyle]) -> Flowable:
    return KeepTogether(
        [
            Spacer(1, 8 * mm),
            pdf.para(_("Kind regards"), styles["body"]),
            Spacer(1, 4 * mm),
            pdf.para(SENDER, styles["h2"]),
            pdf.para(SENDER_NAME, styles["small"]),
        ]
    )


def _application(document: Any) -> Application:
    application = (
        Application.objects.select_related("pool", "lead_municipality")
        .prefetch_related("partner_municipalities")
        .filter(pk=document.subject_id)
        .first()
    )
    if application is None:
        raise ValueError(_("The application no longer exists."))
    return application


def _partners(application: Application) -> str:
    return ", ".join(m.name for m in application.partner_municipalities.all())


def _render(story: list[Flowable], title: str, application: Application) -> bytes:
    return pdf.render(story, title=_plain(title), journal_number=application.journal_number or "")


# The receipt --------------------------------------------------------------------------------------


def render_receipt(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        if application.journal_number is None:
            raise ValueError(_("The application has not been submitted."))
        progress(20)
        styles = _styles()
        story: list[Flowable] = _letterhead(application, timezone.localdate(application.submitted_at), styles)
        story += [
            pdf.para(_("Receipt for your application"), styles["title"]),
            pdf.para(application.title, styles["subtitle"]),
            pdf.para(
                _("SIRI has received the application “%(title)s” from %(municipality)s.")
                % {"title": application.title, "municipality": application.lead_municipality.name},
                styles["body"],
            ),
            Spacer(1, 4 * mm),
        ]
        facts: list[tuple[Any, Any]] = [
            (_("Journal number"), application.journal_number),
            (_("Received"), _moment(application.submitted_at)),
            (_("Project title"), application.title),
            (_("Applicant municipality"), application.lead_municipality.name),
        ]
        if partners := _partners(application):
            facts.append((_("Partner municipalities"), partners))
        facts += [
            (_("Pool"), application.pool.name),
            (_("Amount applied for"), format_dkk(application.requested_total)),
            (_("Project period"), _period(application.start_date, application.end_date)),
        ]
        story += [_facts(facts, styles), pdf.para(_("What happens now"), styles["h1"])]
        story.append(
            pdf.para(
                _(
                    "SIRI reviews the application against the criteria of the pool. You will find the "
                    "decision in Puljeflow and receive it as a letter. Quote the journal number when you "
                    "contact SIRI about the application."
                ),
                styles["body"],
            )
        )
        missing = application.missing_political_approvals()
        if missing:
            story.append(Spacer(1, 3 * mm))
            story.append(
                pdf.para(
                    _("SIRI still needs the political approval of %(names)s. Record it in Puljeflow when it is given.")
                    % {"names": ", ".join(m.name for m in missing)},
                    styles["body"],
                )
            )
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Receipt") + " – " + application.title, application), _file_name(
            "kvittering", application
        )


# The grant letter ---------------------------------------------------------------------------------


def _first_reports(award: Any) -> list[tuple[int, int, datetime.date]]:
    """(year, quarter, due date) of the first quarterly reports, when the grant has milestones.

    Milestones belong to monitoring, which depends on applications and not the other way round:
    they are read through the reverse relation, if it is there, with plain attributes.
    """
    milestones = getattr(award, "milestones", None)
    if milestones is None or not hasattr(milestones, "all"):
        return []
    return [(m.year, m.quarter, m.report_due_on) for m in milestones.all()[:FIRST_REPORTS]]


def _goal_target(goal: Any) -> str:
    unit = " %" if goal.kind == GoalKind.PERCENTAGE else (f" {goal.unit}" if goal.unit else "")
    return f"{_number(goal.target_value)}{unit}"


def render_grant_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        award = getattr(application, "award", None)  # the reverse one-to-one raises AttributeError
        if award is None or application.state != State.GRANTED:
            raise ValueError(_("The application has not been granted."))
        progress(20)
        styles = _styles()
        story: list[Flowable] = _letterhead(application, timezone.localdate(award.granted_at), styles)
        story += [
            pdf.para(_("Grant letter"), styles["title"]),
            pdf.para(application.title, styles["subtitle"]),
            pdf.para(
                _("SIRI grants %(municipality)s %(amount)s for the project “%(title)s” from the pool %(pool)s.")
                % {
                    "municipality": application.lead_municipality.name,
                    "amount": format_dkk(award.amount),
                    "title": application.title,
                    "pool": application.pool.name,
                },
                styles["body"],
            ),
            Spacer(1, 4 * mm),
        ]
        facts: list[tuple[Any, Any]] = [
            (_("Journal number"), application.journal_number),
            (_("Project title"), application.title),
            (_("Applicant municipality"), application.lead_municipality.name),
        ]
        if partners := _partners(application):
            facts.append((_("Partner municipalities"), partners))
        facts.append((_("Pool"), application.pool.name))
        if application.pool.legal_basis:
            facts.append((_("Legal basis"), application.pool.legal_basis))
        facts += [
            (_("Amount granted"), format_dkk(award.amount)),
            (_("Amount applied for"), format_dkk(application.requested_total)),
            (_("Grant period"), _period(award.start_date, award.end_date)),
        ]
        story.append(_facts(facts, styles))

        story.append(pdf.para(capfirst(_("conditions")), styles["h1"]))
        conditions = pdf.paras(award.conditions, styles["body"])
        story += conditions or [pdf.para(_("The grant has no special conditions."), styles["body"])]

        goals = list(application.goals.all())
        if goals:
            story.append(pdf.para(_("Goals of the project"), styles["h1"]))
            rows: list[list[Any]] = [
                [pdf.para(_("Goal"), styles["cell_bold"]), pdf.para(_("Target"), styles["cell_right_bold"])]
            ]
            rows += [
                [pdf.para(goal.title, styles["cell"]), pdf.para(_goal_target(goal), styles["cell_right"])]
                for goal in goals
            ]
            story.append(_table(rows, [WIDTH - 40 * mm, 40 * mm]))

        story.append(pdf.para(_("Quarterly reporting"), styles["h1"]))
        story.append(
            pdf.para(
                _(
                    "The municipality reports on the project to SIRI every quarter in Puljeflow, at the latest "
                    "%(days)s days after the quarter ends: the progress towards each goal, the money spent and "
                    "how the project is going."
                )
                % {"days": application.pool.reporting_delay_days},
                styles["body"],
            )
        )
        reports = _first_reports(award)
        if reports:
            story.append(Spacer(1, 3 * mm))
            story.append(pdf.para(_("The first reports are due:"), styles["body"]))
            rows = [[pdf.para(_("Quarter"), styles["cell_bold"]), pdf.para(_("Report due"), styles["cell_bold"])]]
            rows += [
                [
                    pdf.para(_("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}, styles["cell"]),
                    pdf.para(_date(due), styles["cell"]),
                ]
                for year, quarter, due in reports
            ]
            story.append(_table(rows, [50 * mm, 50 * mm]))

        story.append(pdf.para(_("Acceptance and changes"), styles["h1"]))
        story.append(
            pdf.para(
                _(
                    "The municipality accepts the grant and its conditions in Puljeflow. Changes to the budget "
                    "or the period during the project need SIRI's approval of a change request."
                ),
                styles["body"],
            )
        )
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Grant letter") + " – " + application.title, application), _file_name(
            "tilsagnsbrev", application
        )


# The rejection letter -----------------------------------------------------------------------------


def render_rejection_letter(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        entry = application.transitions.filter(transition="reject").order_by("-at", "-id").first()
        if entry is None or application.state != State.REJECTED:
            raise ValueError(_("The application has not been rejected."))
        progress(20)
        styles = _styles()
        story: list[Flowable] = _letterhead(application, timezone.localdate(entry.at), styles)
        story += [
            pdf.para(_("Rejection of your application"), styles["title"]),
            pdf.para(application.title, styles["subtitle"]),
            pdf.para(
                _(
                    "SIRI has decided not to grant the application “%(title)s” from %(municipality)s "
                    "to the pool %(pool)s."
                )
                % {
                    "title": application.title,
                    "municipality": application.lead_municipality.name,
                    "pool": application.pool.name,
                },
                styles["body"],
            ),
            Spacer(1, 4 * mm),
            _facts(
                [
                    (_("Journal number"), application.journal_number),
                    (_("Project title"), application.title),
                    (_("Applicant municipality"), application.lead_municipality.name),
                    (_("Pool"), application.pool.name),
                    (_("Amount applied for"), format_dkk(application.requested_total)),
                    (_("Decided on"), _date(timezone.localdate(entry.at))),
                ],
                styles,
            ),
            pdf.para(_("Reason"), styles["h1"]),
        ]
        story += pdf.paras(entry.reason, styles["body"]) or [pdf.para(EMPTY, styles["body"])]
        story.append(Spacer(1, 4 * mm))
        story.append(
            pdf.para(
                _("If you have questions about the decision, contact SIRI and quote journal number %(number)s.")
                % {"number": application.journal_number},
                styles["body"],
            )
        )
        story.append(_signature(styles))
        progress(60)
        return _render(story, _("Rejection") + " – " + application.title, application), _file_name(
            "afslagsbrev", application
        )


# The application as submitted ---------------------------------------------------------------------


def _field_value(application: Application, name: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    body = styles["cell"]
    if name == "measures":
        labels = [Measure(code).label for code in application.measures if code in Measure.values]
        return [pdf.para(f"• {label}", body) for label in labels] or [pdf.para(EMPTY, body)]
    if name == "partner_municipalities":
        return [pdf.para(_partners(application) or EMPTY, body)]
    value = getattr(application, name)
    if isinstance(value, datetime.date):
        return [pdf.para(_date(value), body)]
    return pdf.paras(value, body) or [pdf.para(EMPTY, body)]


def _form_sections(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """SIRI's form, section by section, with the labels the applicant saw."""
    story: list[Flowable] = []
    for _anchor, heading, names in SECTIONS:
        story.append(pdf.para(heading, styles["h1"]))
        rows = [
            [
                pdf.para(ApplicationForm.base_fields[name].label, styles["cell_bold"]),
                _field_value(application, name, styles),
            ]
            for name in names
        ]
        story.append(_table(rows, [LABEL_WIDTH, WIDTH - LABEL_WIDTH], header=False))
    return story


def _target_groups(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    groups = list(application.target_groups.all())
    story: list[Flowable] = [pdf.para(_("Target groups"), styles["h1"])]
    if not groups:
        return [*story, pdf.para(EMPTY, styles["body"])]
    rows: list[list[Any]] = [
        [
            pdf.para(_("Target group"), styles["cell_bold"]),
            pdf.para(_("Number of people"), styles["cell_right_bold"]),
            pdf.para(_("Characteristics"), styles["cell_bold"]),
        ]
    ]
    rows += [
        [
            pdf.para(group.name, styles["cell"]),
            pdf.para(_number(group.size), styles["cell_right"]),
            pdf.paras(group.description, styles["cell"]) or pdf.para(EMPTY, styles["cell"]),
        ]
        for group in groups
    ]
    rows.append(
        [
            pdf.para(_("Total"), styles["cell_bold"]),
            pdf.para(_number(sum(group.size for group in groups)), styles["cell_right_bold"]),
            "",
        ]
    )
    return [*story, _table(rows, [60 * mm, 30 * mm, WIDTH - 90 * mm], totals=1, gap_before=2)]


def _goals(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    goals = list(application.goals.select_related("target_group"))
    story: list[Flowable] = [pdf.para(_("Goals"), styles["h1"])]
    if not goals:
        return [*story, pdf.para(EMPTY, styles["body"])]
    headings = [_("Goal"), _("Kind"), _("Target"), _("Baseline"), _("Target group"), capfirst(_("cumulative"))]
    rows: list[list[Any]] = [
        [pdf.para(text, styles["cell_right_bold" if i in (2, 3) else "cell_bold"]) for i, text in enumerate(headings)]
    ]
    for goal in goals:
        baseline = EMPTY if goal.baseline is None else _number(goal.baseline)
        rows.append(
            [
                pdf.para(goal.title, styles["cell"]),
                pdf.para(goal.get_kind_display(), styles["cell"]),
                pdf.para(_goal_target(goal), styles["cell_right"]),
                pdf.para(baseline, styles["cell_right"]),
                pdf.para(str(goal.target_group) if goal.target_group else EMPTY, styles["cell"]),
                pdf.para(_("Yes") if goal.cumulative else _("No"), styles["cell"]),
            ]
        )
    widths = [36 * mm, 22 * mm, 20 * mm, 30 * mm, 36 * mm, 26 * mm]
    return [*story, _table(rows, widths, gap_before=4)]


def _budget(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Per year, a line per category with its FTE, the year's subtotal, and the grand total."""
    lines = list(application.budget_lines.all())
    story: list[Flowable] = [pdf.para(_("Budget"), styles["h1"])]
    if not lines:
        return [*story, pdf.para(EMPTY, styles["body"])]
    order = {code: i for i, code in enumerate(BudgetCategory.values)}
    by_year: dict[int, list[Any]] = defaultdict(list)
    for line in lines:
        by_year[line.year].append(line)
    cell, bold, right, right_bold = (
        styles["cell"],
        styles["cell_bold"],
        styles["cell_right"],
        styles["cell_right_bold"],
    )
    rows: list[list[Any]] = [
        [
            pdf.para(_("Year"), bold),
            pdf.para(_("Category"), bold),
            pdf.para(_("Amount"), right_bold),
            pdf.para(_("FTE"), right_bold),
        ]
    ]
    subtotal_rows: list[int] = []
    for year in sorted(by_year):
        year_lines = sorted(by_year[year], key=lambda line: order.get(line.category, len(order)))
        for line in year_lines:
            rows.append(
                [
                    pdf.para(str(year), cell),
                    pdf.para(line.get_category_display(), cell),
                    pdf.para(format_dkk(line.amount), right),
                    pdf.para(_number(line.fte), right),
                ]
            )
        subtotal_rows.append(len(rows))
        rows.append(
            [
                pdf.para(_("Total %(year)s") % {"year": year}, bold),
                "",
                pdf.para(format_dkk(sum(line.amount for line in year_lines)), right_bold),
                pdf.para(_number(sum(line.fte for line in year_lines)), right_bold),
            ]
        )
    rows.append(
        [
            pdf.para(_("Total"), bold),
            "",
            pdf.para(format_dkk(sum(line.amount for line in lines)), right_bold),
            pdf.para(_number(sum(line.fte for line in lines)), right_bold),
        ]
    )
    table = _table(rows, [35 * mm, 65 * mm, 45 * mm, 25 * mm], totals=1)
    table.setStyle(
        TableStyle([("BACKGROUND", (0, row), (-1, row), colors.HexColor("#f2f2f2")) for row in subtotal_rows])
    )
    over = application.requested_total > application.pool.max_grant
    story.append(table)
    if over:
        story.append(
            pdf.para(
                _("The budget exceeds the pool's maximum grant of %(maximum)s.")
                % {"maximum": format_dkk(application.pool.max_grant)},
                styles["body"],
            )
        )
    return story


def _approvals(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    recorded = {a.municipality_id: a for a in application.political_approvals.all()}
    story: list[Flowable] = [pdf.para(_("Political approval"), styles["h1"])]
    if not application.pool.requires_political_approval:
        story.append(pdf.para(_("The pool does not require political approval."), styles["body"]))
    rows: list[list[Any]] = [
        [
            pdf.para(capfirst(_("municipality")), styles["cell_bold"]),
            pdf.para(_("Political approval"), styles["cell_bold"]),
            pdf.para(_("Political body"), styles["cell_bold"]),
            pdf.para(_("Reference"), styles["cell_bold"]),
        ]
    ]
    for municipality in application.participating_municipalities():
        approval = recorded.get(municipality.pk)
        if approval is None:
            status = _("Nothing recorded yet.")
        elif approval.status == ApprovalStatus.APPROVED:
            status = _("Approved on %(date)s") % {"date": _date(approval.decided_on)}
        else:
            status = approval.get_status_display()
        rows.append(
            [
                pdf.para(municipality.name, styles["cell"]),
                pdf.para(status, styles["cell"]),
                pdf.para(approval.body if approval and approval.body else EMPTY, styles["cell"]),
                pdf.para(approval.reference if approval and approval.reference else EMPTY, styles["cell"]),
            ]
        )
    story.append(_table(rows, [40 * mm, 45 * mm, 45 * mm, 40 * mm]))
    return story


def _attachments(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Named only: the files themselves are filed beside the application, not inside the PDF."""
    attachments = list(application.attachments.all())
    story: list[Flowable] = [pdf.para(_("Attachments"), styles["h1"])]
    if not attachments:
        return [*story, pdf.para(_("No attachments."), styles["body"])]
    for attachment in attachments:
        text = attachment.name + (f" – {attachment.description}" if attachment.description else "")
        story.append(pdf.para(f"• {text}", styles["body"]))
    return story


def render_application_pdf(document: Any, progress: Progress) -> tuple[bytes, str]:
    with translation.override("da"):
        application = _application(document)
        progress(10)
        styles = _styles()
        story: list[Flowable] = [
            pdf.para(application.title, styles["title"]),
            pdf.para(
                _("Application from %(municipality)s to %(pool)s")
                % {"municipality": application.lead_municipality.name, "pool": application.pool.name},
                styles["subtitle"],
            ),
            _facts(
                [
                    (_("Journal number"), application.journal_number or EMPTY),
                    (_("Submitted"), _moment(application.submitted_at)),
                    (_("Amount applied for"), format_dkk(application.requested_total)),
                    (_("Project period"), _period(application.start_date, application.end_date)),
                ],
                styles,
            ),
        ]
        story += _form_sections(application, styles)
        progress(30)
        story += _target_groups(application, styles)
        story += _goals(application, styles)
        story += _budget(application, styles)
        story += _approvals(application, styles)
        story += _attachments(application, styles)
        progress(50)
        return _render(story, _("Application") + " – " + application.title, application), _file_name(
            "ansoegning", application
        )


# Registration -------------------------------------------------------------------------------------


def may_have(user: Any, application: Any) -> bool:
    """Whoever may see the application may have its letters: its municipalities, their
    committees and SIRI once it is submitted."""
    return isinstance(application, Application) and user.has_perm("applications.view_application", application)


KINDS = [
    Kind("receipt", gettext_lazy("Receipt"), render_receipt, may_have),
    Kind("grant_letter", gettext_lazy("Grant letter"), render_grant_letter, may_have),
    Kind("rejection_letter", gettext_lazy("Rejection letter"), render_rejection_letter, may_have),
    Kind("application_pdf", gettext_lazy("Application (PDF)"), render_application_pdf, may_have),
]


def register_kinds() -> None:
    for kind in KINDS:
        register(kind)
