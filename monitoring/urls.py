"""The monitoring pages. Every view starts from the grants the user may see (views/common.py)."""

from django.urls import path

from .views import dashboard, documents, economics, projects, reports

app_name = "monitoring"

urlpatterns = [
    # The municipality's projects, and SIRI's way in
    path("projects/", projects.project_list, name="projects"),
    path("monitoring/", projects.overview, name="overview"),
    path("projects/<int:grant_pk>/", projects.project, name="project"),
    path("projects/<int:grant_pk>/milestones/<int:milestone_pk>/", projects.milestone_edit, name="milestone_edit"),
    path("projects/<int:grant_pk>/economics/", economics.economics_edit, name="economics_edit"),
    path("projects/<int:grant_pk>/ramp/", projects.ramp_edit, name="ramp_edit"),
    # The follow-up after the end, at one point (after_3_months, after_12_months)
    path("projects/<int:grant_pk>/follow-ups/<str:point>/", projects.follow_up_create, name="follow_up_create"),
    # Quarterly reports
    path("projects/<int:grant_pk>/reports/new/", reports.report_create, name="report_create"),
    path("projects/<int:grant_pk>/reports/<int:report_pk>/", reports.report_detail, name="report"),
    path("projects/<int:grant_pk>/reports/<int:report_pk>/edit/", reports.report_edit, name="report_edit"),
    path("projects/<int:grant_pk>/reports/<int:report_pk>/save/", reports.report_save, name="report_save"),
    path("projects/<int:grant_pk>/reports/<int:report_pk>/submit/", reports.report_submit, name="report_submit"),
    path(
        "projects/<int:grant_pk>/reports/<int:report_pk>/decide/<str:decision>/",
        reports.report_decide,
        name="report_decide",
    ),
    # SIRI's pool dashboard
    path("pools/<int:pool_pk>/monitoring/", dashboard.pool_dashboard, name="dashboard"),
    # PDFs, built in the background
    path("projects/<int:grant_pk>/briefing/", documents.briefing, name="briefing"),
    path("pools/<int:pool_pk>/portfolio/", documents.portfolio, name="portfolio"),
]
