from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import closing, views

# Beside monitoring's `grants` (whose list and detail these actions add to) and the others'.
router = DefaultRouter()
router.include_root_view = False
router.register("grants", views.AwardViewSet, basename="award")
router.register("grants", closing.GrantClosingViewSet, basename="grant-closing")
router.register("final-accounts", closing.FinalAccountsViewSet, basename="final-accounts")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("change-requests", views.ChangeRequestViewSet, basename="change-request")

grant_children = DefaultRouter()
grant_children.include_root_view = False
grant_children.register("change-requests", views.GrantChangeRequestViewSet, basename="grant-change-request")

urlpatterns = [
    path("grants/<int:grant_pk>/", include(grant_children.urls)),
    path("", include(router.urls)),
]
