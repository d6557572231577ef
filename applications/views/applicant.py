"""Municipality pages (placeholder while written)."""

from django.http import HttpResponse


def dashboard(request, **kwargs):
    return HttpResponse(status=501)


mine = create = detail = submit = receipt = withdraw = delete = dashboard
