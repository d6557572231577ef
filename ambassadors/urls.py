"""The ambassador network's pages."""

from django.urls import path

from .views import catalogue, meetings, network, reports

app_name = "ambassadors"

urlpatterns = [
    # The ambassador's own page and reports
    path("ambassador/", reports.home, name="home"),
    path("ambassador/reports/new/", reports.report_create, name="report_create"),
    path("ambassador/reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("ambassador/reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    # A report as everyone who may see it reads it, and SIRI's decisions on it
    path("ambassador-reports/<int:pk>/", reports.report_detail, name="report"),
    path("ambassador-reports/<int:pk>/decide/<str:decision>/", reports.report_decide, name="report_decide"),
    # SIRI's network overview and the network meetings
    path("network/", network.network, name="network"),
    path("network/meetings/", meetings.meeting_list, name="meetings"),
    path("network/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("network/meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("network/meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    # The best-practice catalogue
    path("best-practices/", catalogue.catalogue, name="catalogue"),
    path("best-practices/new/", catalogue.practice_propose, name="practice_propose"),
    path("best-practices/<int:pk>/", catalogue.practice_detail, name="practice"),
    path("best-practices/<int:pk>/publish/", catalogue.practice_publish, name="practice_publish"),
    path("best-practices/<int:pk>/attachments/", catalogue.practice_attachment_upload, name="practice_attach"),
    path(
        "best-practices/<int:pk>/attachments/<int:attachment_pk>/",
        catalogue.practice_attachment,
        name="practice_attachment",
    ),
]
