"""The grant administration's pages."""

from django.urls import path

from .views import changes, closing, payments, project

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
    # The end: final report, final accounts, SIRI's decisions on them, repayment and closing
    path("projects/<int:grant_pk>/final-report/", closing.final_report, name="final_report"),
    path("projects/<int:grant_pk>/final-accounts/", closing.final_accounts, name="final_accounts"),
    path(
        "projects/<int:grant_pk>/final-accounts/auditor-statement.pdf",
        closing.auditor_statement,
        name="auditor_statement",
    ),
    path("projects/<int:grant_pk>/end/<str:what>/<str:decision>/", closing.decide, name="final_decide"),
    path("projects/<int:grant_pk>/repayment/pay/", closing.pay_repayment, name="repayment_pay"),
    path("projects/<int:grant_pk>/close/", closing.close, name="close"),
    # SIRI's payments and their CSV export for the finance system
    path("payments/", payments.overview, name="payments"),
    path("payments/export.csv", payments.export, name="payments_export"),
    path("payments/<int:pk>/pay/", payments.pay, name="pay"),
]
