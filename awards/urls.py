"""The grant administration's pages."""

from django.urls import path

from .views import changes, payments, project

app_name = "awards"

urlpatterns = [
    # A project's grant: acceptance, revocation, the versions of its budget and plan
    path("projects/<int:grant_pk>/accept/", project.accept, name="accept"),
    path("projects/<int:grant_pk>/revoke/", project.revoke, name="revoke"),
    path("projects/<int:grant_pk>/versions/", project.versions, name="versions"),
    # Change requests: asked for by the municipality, decided by SIRI
    path("projects/<int:grant_pk>/changes/new/<str:kind>/", changes.ask, name="change_ask"),
    path("change-requests/", changes.queue, name="changes"),
    path("change-requests/<int:pk>/", changes.detail, name="change"),
    path("change-requests/<int:pk>/decide/<str:decision>/", changes.decide, name="change_decide"),
    # SIRI's payments and their CSV export for the finance system
    path("payments/", payments.overview, name="payments"),
    path("payments/export.csv", payments.export, name="payments_export"),
    path("payments/<int:pk>/pay/", payments.pay, name="pay"),
]
