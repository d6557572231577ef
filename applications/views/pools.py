"""Pool administration (placeholder until written)."""

from django.http import HttpResponse


def pool_list(request, **kwargs):
    return HttpResponse(status=501)


pool_create = pool_edit = pool_list
