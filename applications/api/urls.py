from django.urls import include, path
from rest_framework.routers import DefaultRouter

from core.auth import TokenView

from . import views

router = DefaultRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("pools", views.PoolViewSet, basename="pool")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("reviewers", views.ReviewerViewSet, basename="reviewer")

children = DefaultRouter()
children.include_root_view = False
children.register("target-groups", views.TargetGroupViewSet, basename="target-group")
children.register("goals", views.GoalViewSet, basename="goal")
children.register("budget-lines", views.BudgetLineViewSet, basename="budget-line")
children.register("political-approvals", views.PoliticalApprovalViewSet, basename="political-approval")
children.register("reviews", views.ReviewViewSet, basename="review")
children.register("assignments", views.AssignmentViewSet, basename="assignment")
children.register("attachments", views.AttachmentViewSet, basename="attachment")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("applications/<int:application_pk>/", include(children.urls)),
    path("", include(router.urls)),
]
