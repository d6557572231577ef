"""SIRI's reviewer desk (placeholder until written)."""

from django.http import HttpResponse


def queue(request, **kwargs):
    return HttpResponse(status=501)


history = score = score_total = decide = queue
