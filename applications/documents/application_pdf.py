"""The application as submitted, which the municipal committees approve."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, TableStyle

from core.money import format_dkk
from documents import pdf
from documents.registry import Progress

from ..forms.application import SECTIONS, ApplicationForm
from ..models import Application, ApprovalStatus, BudgetCategory, FormSection, Measure
from ..services.declaration import DECLARATION_TEXT
from .common import (
    EMPTY,
    LABEL_WIDTH,
    WIDTH,
    _application,
    _date,
    _facts,
    _file_name,
    _goal_target,
    _moment,
    _number,
    _partners,
    _period,
    _render,
    _styles,
    _table,
)

IMAGE_MAX_HEIGHT = 180 * mm  # an image keeps room for its name on the page

# The application as submitted ---------------------------------------------------------------------


def _field_value(application: Application, name: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    body = styles["cell"]
    if name == "measures":
        labels = [Measure(code).label for code in application.measures if code in Measure.values]
        return [pdf.para(f"• {label}", body) for label in labels] or [pdf.para(EMPTY, body)]
    if name == "partner_municipalities":
        return [pdf.para(_partners(application) or EMPTY, body)]
    value = getattr(application, name)
    if value is None:
        return [pdf.para(EMPTY, body)]
    if isinstance(value, datetime.date):
        return [pdf.para(_date(value), body)]
    if isinstance(value, int):
        return [pdf.para(_number(value), body)]
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
        if _anchor == FormSection.ORGANISATION and application.organisation:
            # Submitted before the section was divided: its one text, as it was submitted.
            label = capfirst(Application._meta.get_field("organisation").verbose_name)
            rows.append([pdf.para(label, styles["cell_bold"]), _field_value(application, "organisation", styles)])
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
    # The whole target group as the application gives it: its parts overlap it, so their sum
    # is no total (35 women and 15 youths of a target group of 340).
    total = application.target_group_total
    rows.append(
        [
            pdf.para(_("The whole target group"), styles["cell_bold"]),
            pdf.para(EMPTY if total is None else _number(total), styles["cell_right_bold"]),
            "",
        ]
    )
    return [*story, _table(rows, [60 * mm, 30 * mm, WIDTH - 90 * mm], totals=1, gap_before=2)]


def _goals(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    goals = list(application.goals.select_related("target_group"))
    story: list[Flowable] = [pdf.para(_("Goals"), styles["h1"])]
    if not goals:
        return [*story, pdf.para(EMPTY, styles["body"])]
    headings = [_("Goal"), _("Kind"), _("Target"), _("Baseline"), _("Target group"), _("How it is measured")]
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
                pdf.para(goal.measure_text, styles["cell"]),
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
    """A PDF attachment is named (it is filed beside the application); an image (the
    organisation chart) is shown, as the committee reads the application on paper."""
    attachments = list(application.attachments.all())
    story: list[Flowable] = [pdf.para(_("Attachments"), styles["h1"])]
    if not attachments:
        return [*story, pdf.para(_("No attachments."), styles["body"])]
    for attachment in attachments:
        text = attachment.name + (f" – {attachment.description}" if attachment.description else "")
        story.append(pdf.para(f"• {text}", styles["body"]))
        if attachment.is_image:
            story += _image(attachment, styles)
    return story


def _image(attachment: Any, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The image within the page's frame, its proportions kept; a file that is gone is said so."""
    try:
        with attachment.file.open("rb") as handle:
            data = io.BytesIO(handle.read())
        width, height = ImageReader(data).getSize()
    except (FileNotFoundError, OSError, ValueError):
        return [pdf.para(_("The image could not be read."), styles["small"])]
    data.seek(0)
    scale = min(WIDTH / width, IMAGE_MAX_HEIGHT / height, 1.0 if width > WIDTH / 4 else WIDTH / 4 / width)
    return [
        Spacer(1, 2 * mm),
        Image(data, width=width * scale, height=height * scale, hAlign="LEFT"),
        Spacer(1, 4 * mm),
    ]


def _declaration(application: Application, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The grant-responsible person's declaration, as confirmed at submit."""
    if not application.declared_at:
        return []
    return [
        pdf.para(_("Declaration"), styles["h1"]),
        pdf.para(DECLARATION_TEXT, styles["body"]),
        Spacer(1, 3 * mm),
        _facts(
            [
                (_("Grant-responsible person"), application.declared_by_name),
                (_("Title"), application.declared_by_title),
                (_("Confirmed"), _moment(application.declared_at)),
            ],
            styles,
        ),
    ]


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
        story += _declaration(application, styles)
        progress(50)
        return _render(story, _("Application") + " – " + application.title, application), _file_name(
            "ansoegning", application
        )
