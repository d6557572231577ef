"""The pages. Each view starts from `Application.objects.visible_to(user)` (views/common.py)."""

from django.urls import path, register_converter

from .views import applicant, attachments, editor, pools, review
from .views.editor import ROW_KINDS


class RowKindConverter:
    """The parts of an application edited as rows: target-groups, goals, budget-lines."""

    regex = "|".join(ROW_KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RowKindConverter, "rowkind")

app_name = "applications"

urlpatterns = [
    # Municipalities
    path("applications/", applicant.mine, name="mine"),
    path("pools/<int:pool_pk>/apply/", applicant.create, name="create"),
    path("applications/<int:pk>/", applicant.detail, name="detail"),
    path("applications/<int:pk>/submit/", applicant.submit, name="submit"),
    path("applications/<int:pk>/receipt/", applicant.receipt, name="receipt"),
    path("applications/<int:pk>/withdraw/", applicant.withdraw, name="withdraw"),
    path("applications/<int:pk>/delete/", applicant.delete, name="delete"),
    path("applications/<int:pk>/edit/", editor.edit, name="edit"),
    path("applications/<int:pk>/edit/<slug:step>/", editor.edit, name="edit_step"),
    path("applications/<int:pk>/autosave/", editor.autosave, name="autosave"),
    path("applications/<int:pk>/checklist/", editor.checklist, name="checklist"),
    path("applications/<int:pk>/<rowkind:kind>/", editor.row_create, name="row_create"),
    path("applications/<int:pk>/<rowkind:kind>/<int:row_pk>/", editor.row_update, name="row_update"),
    path("applications/<int:pk>/<rowkind:kind>/<int:row_pk>/delete/", editor.row_delete, name="row_delete"),
    path("applications/<int:pk>/approvals/<int:municipality_pk>/", editor.approval, name="approval"),
    path("applications/<int:pk>/attachments/", attachments.upload, name="attachment_upload"),
    path("applications/<int:pk>/attachments/<int:attachment_pk>/", attachments.download, name="attachment"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.delete,
        name="attachment_delete",
    ),
    # SIRI's reviewers
    path("review/", review.queue, name="queue"),
    path("applications/<int:pk>/history/", review.history, name="history"),
    path("applications/<int:pk>/score/", review.score, name="score"),
    path("applications/<int:pk>/score/total/", review.score_total, name="score_total"),
    path("applications/<int:pk>/decide/<str:decision>/", review.decide, name="decide"),
    path("applications/<int:pk>/reviewers/", review.assign, name="assign"),
    path("applications/<int:pk>/reviewers/<int:assignment_pk>/remove/", review.unassign, name="unassign"),
    path("pools/<int:pool_pk>/ranking/", review.ranking, name="ranking"),
    # Pool administration
    path("pools/", pools.pool_list, name="pools"),
    path("pools/new/", pools.pool_create, name="pool_create"),
    path("pools/<int:pool_pk>/", pools.pool_edit, name="pool_edit"),
]
