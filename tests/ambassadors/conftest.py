"""Ambassadors for the tests: Slagelse's (the `ambassador` persona) on Slagelse's granted project,
and one of Gribskov's on Gribskov's."""

from __future__ import annotations

from typing import Any

import pytest

from ambassadors.models import Ambassador, FocusArea
from applications.accounts import set_person
from applications.models import Grant, Municipality

from ..monitoring.conftest import goals_of, granted_project, gribskov_project  # noqa: F401  (fixtures)
from ..shared_data import ModuleData


def make_ambassador(user: Any, grant: Grant, code: str) -> Ambassador:
    return Ambassador.objects.create(
        user=user,
        municipality=Municipality.objects.get(code=code),
        grant=grant,
        started_on=grant.start_date,
        focus_areas=[FocusArea.WOMEN, FocusArea.COMPANIES],
        email=user.email,
    )


@pytest.fixture
def slagelse_ambassador(ambassador: Any, granted_project: Grant) -> Ambassador:  # noqa: F811
    return make_ambassador(ambassador, granted_project, "330")


def gribskov_ambassador_on(grant: Grant) -> Ambassador:
    """Gribskov's ambassador (the fixture `gribskov_ambassador`) on Gribskov's project."""
    user, _created = set_person("ambassador_gribskov", "ambassador", ["270"], "amb@gribskov.test", "pw")
    return make_ambassador(user, grant, "270")


@pytest.fixture
def gribskov_ambassador(db: None, gribskov_project: Grant) -> Ambassador:  # noqa: F811
    return gribskov_ambassador_on(gribskov_project)


@pytest.fixture(scope="module")
def built_network(module_data: ModuleData) -> dict[str, Any]:
    """The API's network (`network.build_network`), built once per module that asks for it."""
    from .network import build_network  # which builds on this file's ambassadors

    return module_data.build(build_network)


@pytest.fixture
def network(db: None, module_data: ModuleData, built_network: dict[str, Any]) -> dict[str, Any]:
    """A copy of the module's network for one test; what the test writes is rolled back."""
    return module_data.copy(built_network)


__all__ = ["goals_of", "gribskov_ambassador_on", "make_ambassador"]
