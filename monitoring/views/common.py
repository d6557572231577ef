"""What the monitoring pages share: finding a grant or a report the user may see (another
municipality's is a 404, a visible one the user may not change a 403), and rendering pages
whose htmx partial shares the URL."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from applications.models import Grant
from core.views import get_visible

from ..models import QuarterlyReport
from ..progress import prefetch_flat

CHANGE_MILESTONE = "monitoring.change_milestone"
ADD_REPORT = "monitoring.add_report"
VIEW_REPORT = "monitoring.view_report"
CHANGE_REPORT = "monitoring.change_report"
SUBMIT_REPORT = "monitoring.submit_report"
DECIDE_REPORT = "monitoring.decide_report"
VIEW_DASHBOARD = "monitoring.view_pool_dashboard"


def get_grant(request: HttpRequest, pk: int, permission: str | None = None, *, reading: bool = False) -> Grant:
    """The grant if the user may see it (else 404) and, if given, may do `permission` (else 403).
    With `reading`, it comes with everything `progress.read_project` reads, outcomes included
    (`prefetch_flat`: a quarter of the project page's reading went to a queryset per milestone
    and per report)."""
    grants = Grant.objects.select_related("application__pool", "application__lead_municipality")
    if reading:
        grants = grants.prefetch_related("application__partner_municipalities")
    grant = get_visible(request, grants, pk, permission)
    if reading:
        prefetch_flat([grant], outcomes=True)
    return grant


def get_report(request: HttpRequest, grant: Grant, pk: int, permission: str | None = None) -> QuarterlyReport:
    """A report of the grant if the user may see it (SIRI sees it once handed in), else 404."""
    report = get_visible(request, QuarterlyReport.objects.filter(grant=grant), pk)
    report.grant = grant  # the rules read report.grant.application: no second query
    if permission and not request.user.has_perm(permission, report):
        raise PermissionDenied
    return report
