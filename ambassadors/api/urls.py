"""The ambassador part of the REST API (API.md): ambassadors, their reports, best practices."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [path("", include(router.urls))]
