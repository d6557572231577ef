"""The committee briefing's section on the project's economics (monitoring.economics): the months
until the municipality's activation cost is neutralised, with the effects of the outcomes reported
by the end of the briefing's quarter. Registered with `briefing_section` in MonitoringConfig.ready();
a project whose economics are not entered gets no section."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from applications.models import Grant
from documents import pdf

from .. import economics as e
from ..models import COUNTING_STATES, QuarterlyReport
from ..progress import read_outcomes
from ..quarters import Quarter
from .common import FRAME_WIDTH, heading, money, number, table


def _outcomes_by(grant: Grant, period: Quarter) -> list[e.OutcomeFigures]:
    """The outcomes of the reports handed in for the quarter and before, as the briefing reads them."""
    reports = (
        QuarterlyReport.objects.filter(grant=grant, state__in=COUNTING_STATES)
        .order_by("year", "quarter")
        .prefetch_related("outcomes")
    )
    return list(read_outcomes(report for report in reports if report.period <= period))


def _percent(value: Decimal) -> str:
    return f"{number(value)} %"


def sentence(economics: e.Economics) -> str:
    shown = economics.shown
    if shown is None:
        return _("No outcome has been reported and no effect has been entered, so no months can be computed yet.")
    return _(
        "With a self-sufficiency effect of %(effect)s (%(source)s) the municipality's activation cost is "
        "neutralised after %(months)s."
    ) % {
        "effect": _percent(shown.percent),
        "source": e.source_label(shown).lower(),
        "months": e.months_text(shown.months),
    }


def economics_section(grant: Grant, year: int, quarter: int) -> list[Flowable]:
    reading = e.read_economics(grant, _outcomes_by(grant, Quarter(year, quarter)))
    economics = reading.economics
    if economics is None:
        return []
    styles = pdf.styles()
    effects: list[tuple[str, ...]] = [(_("Effect from"), _("Self-sufficiency effect"), _("Months"))]
    effects += [(e.source_label(x), _percent(x.percent), e.months_text(x.months)) for x in economics.effects]
    without, with_activation = economics.without_activation, economics.with_activation
    net_gain = money(with_activation.net_gain)
    if economics.net_gain_stated:
        net_gain += " " + _("(as stated; computed: %(computed)s)") % {"computed": money(economics.computed_net_gain)}
    inputs = economics.inputs
    rows: list[tuple[str, ...]] = [
        ("", _("Without activation"), _("With activation")),
        (_("Net support cost"), money(inputs.net_support_cost), money(inputs.net_support_cost)),
        (_("Activation cost"), money(without.activation_cost), money(with_activation.activation_cost)),
        (
            _("State refund"),
            f"{money(without.state_refund)} ({_percent(without.refund_rate)})",
            f"{money(with_activation.state_refund)} ({_percent(with_activation.refund_rate)})",
        ),
        (
            _("Municipal support cost"),
            money(without.municipal_support_cost),
            money(with_activation.municipal_support_cost),
        ),
        (_("Tax income from work"), money(inputs.tax_income), money(inputs.tax_income)),
        (_("The municipality's net gain from work"), money(without.net_gain), net_gain),
    ]
    months = [heading(_("The project's economics")), pdf.para(sentence(economics), styles["body"])]
    if economics.effects:
        months.append(table(effects, [70 * mm, 50 * mm, FRAME_WIDTH - 120 * mm]))
    per_person = [
        heading(_("Per person and month"), "h2"),
        table(rows, [62 * mm, 45 * mm, FRAME_WIDTH - 107 * mm], label_column=True),
        pdf.para(
            _(
                "Months = %(months)s × the activation cost ÷ (the effect × the municipality's net gain from work "
                "with activation), after the Gribskov model."
            )
            % {"months": inputs.activation_months},
            styles["small"],
        ),
    ]
    # Each table with its heading on one page.
    return [KeepTogether(months), KeepTogether(per_person)]
