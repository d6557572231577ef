"""What the monitoring pages share: finding a grant or a report the user may see (another
municipality's is a 404, a visible one the user may not change a 403), and rendering pages
whose htmx partial shares the URL."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from applications.models import Grant
from core.views import get_visible

from ..extensions import PROJECT_GRANT_RELATED
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
    and per report), and what the other apps' panels read of it (`PROJECT_GRANT_RELATED`)."""
    grants = Grant.objects.select_related("application__pool", "application__lead_municipality")
    if reading:
        grants = grants.select_related(*PROJECT_GRANT_RELATED).prefetch_related("application__partner_municipalities")
    grant = get_visible(request, grants, pk, permission)
    if reading:
        prefetch_flat([grant], outcomes=True)
    return grant


def get_report(request: HttpRequest, grant_pk: int, pk: int, permission: str | None = None) -> QuarterlyReport:
    """A report of the grant `grant_pk` if the user may see it (SIRI sees it once handed in), else
    404, and if given, may do `permission` (else 403); with its grant (`report.grant`), the grant's
    application, pool and lead municipality, read in the same query.

    The report's rule alone decides: it asks what the grant's does and more (the grant's
    municipalities see its reports; SIRI, who sees every grant, those handed in), so whoever may
    see the report may see its grant. Finding the grant first was a second query and a second
    visibility to compile, 1 ms of every report page (issue 16)."""
    reports = QuarterlyReport.objects.filter(grant_id=grant_pk).select_related(
        "grant__application__pool", "grant__application__lead_municipality"
    )
    report = get_visible(request, reports, pk)
    if permission and not request.user.has_perm(permission, report):
        raise PermissionDenied
    return report
