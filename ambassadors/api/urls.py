"""The ambassador part of the REST API (API.md): ambassadors, their reports, best practices."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_root_view = False  # the applications' router serves the API root
router.register("ambassadors", views.AmbassadorViewSet, basename="ambassador")
router.register("ambassador-reports", views.AmbassadorReportViewSet, basename="ambassador-report")
router.register("best-practices", views.BestPracticeViewSet, basename="best-practice")
router.register("network-meetings", views.NetworkMeetingViewSet, basename="network-meeting")

urlpatterns = [path("", include(router.urls))]
