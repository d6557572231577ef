from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from applications.models import Municipality

from ..conftest import client_for


@pytest.mark.django_db
def test_the_98_municipalities_exist_after_migrate(committee: Any) -> None:
    body = client_for(committee).get("/api/v1/municipalities/?page_size=200").json()
    assert body["count"] == 98
    by_code = {m["code"]: m["name"] for m in body["results"]}
    assert (by_code["330"], by_code["270"], by_code["101"]) == ("Slagelse", "Gribskov", "København")
    assert Counter(Municipality.objects.values_list("region", flat=True)) == {
        "hovedstaden": 29,
        "sjaelland": 17,
        "syddanmark": 22,
        "midtjylland": 19,
        "nordjylland": 11,
    }


@pytest.mark.django_db
def test_municipalities_filter_by_region(committee: Any) -> None:
    body = client_for(committee).get("/api/v1/municipalities/?region=sjaelland&page_size=200").json()
    assert body["count"] == 17
    assert all(m["region"] == "sjaelland" for m in body["results"])
