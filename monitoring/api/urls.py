"""The monitoring part of the REST API (API.md): grants, milestones, reports and progress."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [path("", include(router.urls))]
