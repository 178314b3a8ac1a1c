"""Every ranking figure equals, to 1e-12, what the code computed before it was vectorised.

The reference snapshots (tests/unit/data/aggregate_reference.json.gz, see aggregate_reference.py)
hold, for a benchmark-sized S design and three small designs with uneven review counts,
disconnected components and many ties: the aggregates of every method with their notes,
leniency and components, the evaluations, the ranking with its draws, the funding line, the
discussion flags, reliability, distributions and the bootstrap rank intervals and P(top K) for a
fixed seed. Recorded intervals must stay reproducible, so the bootstrap has to match exactly.
"""

from __future__ import annotations

import gzip
import json
import math

import pytest

from tests.unit.aggregate_reference import FIXTURE, designs, snapshot

TOLERANCE = 1e-12


@pytest.fixture(scope="module")
def reference() -> dict:
    with gzip.open(FIXTURE, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def differences(expected, actual, path: str = "") -> list[str]:
    """Where two snapshots differ: floats by more than TOLERANCE, anything else at all."""
    if isinstance(expected, float) or isinstance(actual, float):
        if isinstance(expected, bool) or isinstance(actual, bool) or not isinstance(actual, int | float):
            return [f"{path}: {expected!r} != {actual!r}"]
        if math.isnan(expected) and math.isnan(actual):
            return []
        return [] if abs(expected - actual) <= TOLERANCE else [f"{path}: {expected!r} != {actual!r}"]
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return [f"{path}: keys {sorted(expected)} != {sorted(actual)}"]
        return [d for key in expected for d in differences(expected[key], actual[key], f"{path}.{key}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: length {len(expected)} != {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{path}[{i}]")]
    return [] if type(expected) is type(actual) and expected == actual else [f"{path}: {expected!r} != {actual!r}"]


@pytest.mark.parametrize("name", ["S", "uneven", "components", "ties"])
def test_every_figure_matches_the_reference(reference, name):
    actual = json.loads(json.dumps(snapshot(designs()[name])))
    found = differences(reference[name], actual, name)
    assert not found, f"{len(found)} differences, first: {found[:5]}"


def test_the_comparison_notices_a_changed_figure(reference):
    # Guards the comparison itself: a bootstrap interval one rank off or a score off by 1e-9 is caught.
    changed = json.loads(json.dumps(reference["ties"]))
    entry = changed["methods"]["mean"]["bootstrap"]["proposals"]["@map"][0][1]
    entry["rank_high"] += 1
    changed["methods"]["median"]["aggregation"]["scores"]["@map"][0][1]["@map"][0][1] += 1e-9
    assert len(differences(reference["ties"], changed)) == 2
