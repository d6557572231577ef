"""Two API clients on one draft ambassador report: `ETag` on GET, `If-Match` on PATCH."""

from __future__ import annotations

import pytest

from ambassadors import services
from ambassadors.models import Ambassador
from monitoring.quarters import Quarter
from tests.autosave import conditional_round_trip
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_stale_if_match_is_refused_and_writes_nothing(slagelse_ambassador: Ambassador) -> None:
    quarter = Quarter.of(slagelse_ambassador.grant.start_date)
    user = slagelse_ambassador.user
    report = services.create_report(user, {"year": quarter.year, "quarter": quarter.quarter, "company_contacts": 4})

    def obstacles() -> str:
        report.refresh_from_db()
        return report.obstacles

    conditional_round_trip(
        client_for(user),
        client_for(user),
        f"/api/v1/ambassador-reports/{report.pk}/",
        "obstacles",
        ("Sygdom i teamet.", "Ferie i juli."),
        obstacles,
    )
