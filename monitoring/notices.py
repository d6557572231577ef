"""SIRI's decisions on a quarterly report (accepted, returned) by e-mail to the project's people:
the municipality's applicants (as the reminders) and whoever wrote the report. Once per decision,
recorded under the decision's log entry (`core.notices.send_once`)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.notices import addresses, send_once, site_url

from .models import ReportLog
from .reminders import project_people

NOTIFIED_DECISIONS = ("accept", "return_to_draft")


def _text(entry: ReportLog) -> tuple[str, str]:
    report = entry.report
    application = report.grant.application
    values = {
        "project": application.title,
        "quarter": str(report.period),
        "municipality": application.lead_municipality.name,
        "reason": entry.reason,
    }
    if entry.transition == "accept":
        link = site_url(reverse("monitoring:report", args=[report.grant_id, report.pk]))
        subject = _("Report accepted: %(quarter)s of “%(project)s”") % values
        lines = [
            _("SIRI has accepted the quarterly report for %(quarter)s of the project “%(project)s”.") % values,
            _("The report:\n%(link)s") % {"link": link},
        ]
    else:
        link = site_url(reverse("monitoring:report_edit", args=[report.grant_id, report.pk]))
        subject = _("Report returned: %(quarter)s of “%(project)s”") % values
        lines = [
            _(
                "SIRI has returned the quarterly report for %(quarter)s of the project “%(project)s”. "
                "Correct it and hand it in again."
            )
            % values,
            _("SIRI's reason:\n%(reason)s") % values,
            _("Correct the report here:\n%(link)s") % {"link": link},
        ]
    lines.append(_("This is an automatic notice from Puljeflow to the applicants of %(municipality)s.") % values)
    return subject, "\n\n".join(lines)


def notify_decision(log_id: int) -> bool:
    entry = (
        ReportLog.objects.select_related("report__grant__application__lead_municipality", "report__created_by")
        .filter(pk=log_id, transition__in=NOTIFIED_DECISIONS)
        .first()
    )
    if entry is None:
        return False
    report = entry.report
    municipality_id = report.grant.application.lead_municipality_id
    recipients = addresses([*project_people(municipality_id), getattr(report.created_by, "email", "")])
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _text(entry)
    return send_once(f"report-decision:{entry.pk}", recipients, subject, body)
