"""Attachments (placeholder while written)."""

from django.http import HttpResponse


def upload(request, **kwargs):
    return HttpResponse(status=501)


download = delete = upload
