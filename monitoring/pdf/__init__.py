"""The PDFs of monitoring: the committee's quarterly briefing on a project and SIRI's portfolio
report of a pool. The shared machinery (fonts, page template, the background task) is the
`documents` app's; here are the stories and who may have them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from documents.registry import Kind, register

from . import briefing, portfolio
from .briefing import BRIEFING_SECTIONS, briefing_section

__all__ = ["BRIEFING_SECTIONS", "briefing_section", "register_kinds"]


def register_kinds() -> None:
    """Called from MonitoringConfig.ready()."""
    for story, label, describe in (
        (briefing, _("Committee briefing"), _briefing_title),
        (portfolio, _("Portfolio report"), None),
    ):
        register(
            Kind(
                code=story.KIND,
                label=label,
                render=story.render,
                may_have=story.may_have,
                subjects=story.subjects,
                describe=describe,
            )
        )


def _briefing_title(document: Any) -> str:
    """A briefing is listed by its quarter: "Committee briefing, Q1 2027"."""
    try:
        period = briefing.period_of(document.params or {})
    except briefing.Refused:
        return str(_("Committee briefing"))
    return _("Committee briefing, %(quarter)s") % {"quarter": period}
