from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import DocumentViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = [path("", include(router.urls))]
