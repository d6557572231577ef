"""The application form (placeholder while written)."""

from django.http import HttpResponse

ROW_KINDS = ("target-groups", "goals", "budget-lines")


def edit(request, **kwargs):
    return HttpResponse(status=501)


autosave = checklist = row_create = row_update = row_delete = approval = edit
