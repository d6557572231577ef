"""The quarters named under a goal chart's axis: evenly spaced, never two closer than the others
(the last quarter takes its neighbour's place), at most eight, and on a phone every other one
left out, the last always named."""

from __future__ import annotations

import itertools

import pytest

from monitoring.views.charts import MAX_X_LABELS, Tick, labelled_quarters


@pytest.mark.parametrize("count", range(1, 25))
def test_labels_are_evenly_spaced_and_include_the_last_quarter(count: int) -> None:
    indices = labelled_quarters(count)
    assert indices[0] == 0 and indices[-1] == count - 1
    assert len(indices) <= MAX_X_LABELS
    gaps = [b - a for a, b in itertools.pairwise(indices)]
    if gaps:
        assert min(gaps) >= -(-count // MAX_X_LABELS)


def test_a_quarter_label_has_the_year_on_its_own_line() -> None:
    assert Tick(0, "3. kvt. 2026").lines == ["3. kvt.", "2026"]
    assert Tick(0, "Q3 2026").lines == ["Q3", "2026"]
    assert Tick(0, "40").lines == ["40"]
