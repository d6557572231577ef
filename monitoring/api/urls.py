from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import documents, economics, views

# The applications' router serves the API root; this one adds its resources beside it.
router = DefaultRouter()
router.include_root_view = False
router.register("grants", views.GrantViewSet, basename="grant")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("reports", views.ReportViewSet, basename="report")
router.register("national-kpis", views.NationalKpiViewSet, basename="national-kpi")

grant_children = DefaultRouter()
grant_children.include_root_view = False
grant_children.register("reports", views.GrantReportViewSet, basename="grant-report")
grant_children.register("follow-ups", views.GrantFollowUpViewSet, basename="grant-follow-up")

urlpatterns = [
    path("grants/<int:pk>/committee-report/", documents.CommitteeReportView.as_view(), name="committee-report"),
    path("grants/<int:pk>/economics/", economics.EconomicsView.as_view(), name="grant-economics"),
    path("pools/<int:pk>/portfolio-report/", documents.PortfolioReportView.as_view(), name="portfolio-report"),
    path("grants/<int:grant_pk>/", include(grant_children.urls)),
    path("", include(router.urls)),
]
