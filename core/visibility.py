"""What a person may see, as a query: every model a person can see has a queryset with
``visible_to(user)``, which answers its ``view_*`` rule for many objects at once. Every list, page
and viewset starts from it, so that a rule and its query cannot drift apart
(tests/core/test_visibility_parity.py holds each query to its rule, for every persona).

The two answers that are the same for every model are given here, once: an anonymous user sees
nothing, and a superuser, who passes every rule (django's ModelBackend), sees everything. The rest
is each model's `_visible_to_person`.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from .roles import sees_everything


class VisibleQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> Self:
        """The objects `user` may see (their model's ``view_*`` rule)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self.all()
        return self._visible_to_person(user)

    def _visible_to_person(self, user: Any) -> Self:
        """The objects a logged-in person who is not a superuser may see."""
        raise NotImplementedError(f"{type(self).__name__} must say what a person may see")
