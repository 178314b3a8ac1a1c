"""Unit tests for app.jury.assign (reviewer assignment as min-cost flow)."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.jury.assign import (
    AssignmentResult,
    Juror,
    Proposal,
    affinity,
    assign_reviewers,
    load_cap,
)

SECTORS = ["energy", "health", "mobility", "water", "digital", "food"]
KEYWORDS = [f"kw{i}" for i in range(15)]


def _instance(n_p: int, n_j: int, seed: int, conflict_rate: float = 0.05):
    rng = random.Random(seed)
    props = [
        Proposal(i, rng.sample(SECTORS, rng.randint(1, 2)), rng.sample(KEYWORDS, rng.randint(0, 4)))
        for i in range(1, n_p + 1)
    ]
    jurors = [
        Juror(100 + j, rng.sample(SECTORS, rng.randint(1, 3)), rng.sample(KEYWORDS, rng.randint(0, 5)))
        for j in range(n_j)
    ]
    conflicts = {(j.id, p.id) for j in jurors for p in props if rng.random() < conflict_rate}
    return props, jurors, conflicts


def _check_invariants(result: AssignmentResult, props, jurors, conflicts, k: int) -> None:
    pairs = result.assignments
    assert len(pairs) == len(set(pairs)), "a juror was assigned the same proposal twice"
    assert not set(pairs) & set(conflicts), "a conflicted juror was assigned"
    per_juror = Counter(j for j, _ in pairs)
    per_prop = Counter(p for _, p in pairs)
    assert result.loads == {j.id: per_juror.get(j.id, 0) for j in jurors}
    if result.cap is not None:
        assert max(result.loads.values(), default=0) <= result.cap
    assert all(n <= k for n in per_prop.values())
    assert result.short == {p.id: per_prop.get(p.id, 0) for p in props if per_prop.get(p.id, 0) < k}


def test_k_met_conflicts_respected_and_loads_within_cap() -> None:
    props, jurors, conflicts = _instance(60, 10, seed=1)
    result = assign_reviewers(props, jurors, conflicts, k=3, slack=1)
    _check_invariants(result, props, jurors, conflicts, 3)
    assert result.cap == math.ceil(60 * 3 / 10) + 1 == 19
    assert result.short == {}
    assert len(result.assignments) == 180


def test_load_cap_formula() -> None:
    assert load_cap(2000, 120, 3, 1) == 51
    assert load_cap(10, 3, 3, 0) == 10
    assert load_cap(7, 3, 2, 2) == 5 + 2
    assert load_cap(5, 0, 3, 1) == 0


def test_same_input_gives_same_output() -> None:
    props, jurors, conflicts = _instance(80, 12, seed=7)
    first = assign_reviewers(props, jurors, conflicts)
    second = assign_reviewers(props, jurors, conflicts)
    assert first == second


def test_shuffled_input_order_gives_same_output() -> None:
    props, jurors, conflicts = _instance(80, 12, seed=8)
    reference = assign_reviewers(props, jurors, conflicts)
    rng = random.Random(99)
    for _ in range(3):
        p2 = [Proposal(p.id, rng.sample(list(p.sectors), len(p.sectors)), list(reversed(p.keywords)))
              for p in rng.sample(props, len(props))]  # fmt: skip
        j2 = rng.sample(jurors, len(jurors))
        c2 = list(conflicts)
        rng.shuffle(c2)
        assert assign_reviewers(p2, j2, c2) == reference


def test_terms_are_compared_case_and_space_insensitively() -> None:
    j = Juror(1, ["Renewable  Energy"], ["Heat Pumps"])
    p = Proposal(1, ["renewable energy"], ["heat pumps ", "grid"])
    assert affinity(j, p) == 2 + 1


def test_expertise_preferred_when_capacity_allows() -> None:
    # Ids are chosen so that a naive first-come assignment would pair them the wrong way.
    jurors = [Juror("a", ["energy"], ["solar"]), Juror("b", ["health"], ["care"])]
    props = [Proposal(1, ["health"], ["care"]), Proposal(2, ["energy"], ["solar"])]
    result = assign_reviewers(props, jurors, set(), k=1, slack=0)
    assert sorted(result.assignments) == [("a", 2), ("b", 1)]
    assert result.total_affinity == 2 * (2 + 1)


def test_sector_outweighs_single_keyword() -> None:
    jurors = [Juror(1, ["water"], []), Juror(2, [], ["pumps"])]
    props = [Proposal(10, ["water"], ["pumps"])]
    result = assign_reviewers(props, jurors, set(), k=1, slack=0)
    assert result.assignments == [(1, 10)]


def test_expert_not_assigned_when_conflicted() -> None:
    jurors = [Juror(1, ["water"], ["pumps"]), Juror(2, [], [])]
    props = [Proposal(10, ["water"], ["pumps"])]
    result = assign_reviewers(props, jurors, {(1, 10)}, k=1, slack=0)
    assert result.assignments == [(2, 10)]


def test_infeasible_proposal_is_named_short() -> None:
    jurors = [Juror(1), Juror(2), Juror(3)]
    props = [Proposal(10), Proposal(11)]
    result = assign_reviewers(props, jurors, {(2, 11)}, k=3, slack=0)
    assert result.short == {11: 2}
    assert sorted(j for j, p in result.assignments if p == 10) == [1, 2, 3]
    assert sorted(j for j, p in result.assignments if p == 11) == [1, 3]


def test_k_larger_than_jury_and_empty_jury() -> None:
    props = [Proposal(1), Proposal(2)]
    assert assign_reviewers(props, [Juror(1), Juror(2)], set(), k=3).short == {1: 2, 2: 2}
    empty = assign_reviewers(props, [], set(), k=3)
    assert empty.short == {1: 0, 2: 0}
    assert empty.assignments == [] and empty.loads == {} and empty.cap == 0


def test_capacity_bound_leaves_proposals_short_rather_than_overloading() -> None:
    # Only juror 1 is free of conflicts with proposals 1..5; cap = ceil(5*1/2)+0 = 3.
    jurors = [Juror(1), Juror(2)]
    props = [Proposal(i) for i in range(1, 6)]
    conflicts = {(2, i) for i in range(1, 6)}
    result = assign_reviewers(props, jurors, conflicts, k=1, slack=0)
    assert result.cap == 3
    assert result.loads == {1: 3, 2: 0}
    assert len(result.short) == 2 and set(result.short.values()) == {0}


def test_loads_balanced_when_affinities_tie() -> None:
    # No expertise declared: the only thing left to optimise is balance, even with generous slack.
    jurors = [Juror(j) for j in range(4)]
    props = [Proposal(p) for p in range(10)]
    result = assign_reviewers(props, jurors, set(), k=2, slack=3)
    assert result.cap == 8
    assert sorted(result.loads.values()) == [5, 5, 5, 5]


def test_uneven_total_load_differs_by_at_most_one_when_tied() -> None:
    jurors = [Juror(j) for j in range(7)]
    props = [Proposal(p) for p in range(11)]
    result = assign_reviewers(props, jurors, set(), k=3, slack=2)
    assert max(result.loads.values()) - min(result.loads.values()) <= 1
    assert sum(result.loads.values()) == 33


def test_full_panel_assigns_every_non_conflicted_juror() -> None:
    jurors = [Juror(1), Juror(2), Juror(3)]
    props = [Proposal(10), Proposal(11)]
    result = assign_reviewers(props, jurors, {(3, 11), (1, 11)}, k=2, full_panel=True)
    assert result.assignments == [(1, 10), (2, 10), (3, 10), (2, 11)]
    assert result.cap is None
    assert result.loads == {1: 1, 2: 2, 3: 1}
    assert result.short == {11: 1}


def test_existing_assignments_are_kept_and_count() -> None:
    props, jurors, conflicts = _instance(30, 6, seed=3, conflict_rate=0.0)
    # Juror 105 has no declared match with proposal 1 necessarily; it must stay regardless.
    existing = {(105, 1), (104, 1), (100, 2)}
    result = assign_reviewers(props, jurors, conflicts, k=3, slack=1, existing=existing)
    assert existing <= set(result.assignments)
    assert sum(1 for _, p in result.assignments if p == 1) == 3
    assert result.dropped_existing == []
    _check_invariants(result, props, jurors, conflicts, 3)


def test_existing_assignment_now_conflicted_or_unknown_is_dropped() -> None:
    jurors = [Juror(1), Juror(2), Juror(3), Juror(4)]
    props = [Proposal(10)]
    result = assign_reviewers(props, jurors, {(1, 10)}, k=3, existing={(1, 10), (9, 10), (2, 99)})
    assert (1, 10) not in result.assignments
    assert result.dropped_existing == [(1, 10), (9, 10), (2, 99)]
    assert sorted(j for j, _ in result.assignments) == [2, 3, 4]


def test_existing_assignments_beyond_k_or_cap_are_kept() -> None:
    jurors = [Juror(1), Juror(2)]
    props = [Proposal(10), Proposal(11), Proposal(12)]
    existing = {(1, 10), (1, 11), (1, 12), (2, 10)}
    result = assign_reviewers(props, jurors, set(), k=1, slack=0, existing=existing)
    assert result.cap == 2
    assert set(result.assignments) == existing  # juror 1 is over cap by decision, not by solver
    assert result.short == {}


def test_accepts_plain_dicts_and_mixed_id_types() -> None:
    props = [{"id": "p-b", "sectors": ["food"]}, {"id": 7, "sectors": "water"}]
    jurors = [{"id": "x", "sectors": ["water"]}, {"id": 3, "sectors": ["food"]}]
    result = assign_reviewers(props, jurors, set(), k=1, slack=0)
    assert sorted(result.assignments, key=str) == sorted([(3, "p-b"), ("x", 7)], key=str)
    assert result.to_dict()["loads"] == {"3": 1, "x": 1}


def test_invalid_arguments_rejected() -> None:
    with pytest.raises(ValueError):
        assign_reviewers([Proposal(1), Proposal(1)], [Juror(1)], set())
    with pytest.raises(ValueError):
        assign_reviewers([Proposal(1)], [Juror(1)], set(), k=-1)
    with pytest.raises(ValueError):
        assign_reviewers([Proposal(1)], [Juror(1)], set(), slack=-1)


@st.composite
def instances(draw):
    n_p = draw(st.integers(0, 10))
    n_j = draw(st.integers(0, 6))
    props = [
        Proposal(p, draw(st.lists(st.sampled_from(SECTORS[:3]), max_size=2)),
                 draw(st.lists(st.sampled_from(KEYWORDS[:4]), max_size=2)))
        for p in range(n_p)
    ]  # fmt: skip
    jurors = [
        Juror(100 + j, draw(st.lists(st.sampled_from(SECTORS[:3]), max_size=2)),
              draw(st.lists(st.sampled_from(KEYWORDS[:4]), max_size=2)))
        for j in range(n_j)
    ]  # fmt: skip
    all_pairs = [(j.id, p.id) for j in jurors for p in props]
    conflicts = set(draw(st.lists(st.sampled_from(all_pairs), max_size=len(all_pairs)))) if all_pairs else set()
    return props, jurors, conflicts, draw(st.integers(0, 4)), draw(st.integers(0, 2))


@settings(max_examples=150, deadline=None)
@given(instances())
def test_property_no_conflict_assigned_and_no_juror_above_cap(inst) -> None:
    props, jurors, conflicts, k, slack = inst
    result = assign_reviewers(props, jurors, conflicts, k=k, slack=slack)
    _check_invariants(result, props, jurors, conflicts, k)
    assert result.cap == load_cap(len(props), len(jurors), k, slack)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_property_optimal_against_networkx(inst) -> None:
    # An independent solver must agree on both the number of filled slots and the affinity.
    nx = pytest.importorskip("networkx")
    props, jurors, conflicts, k, slack = inst
    result = assign_reviewers(props, jurors, conflicts, k=k, slack=slack)
    graph = nx.DiGraph()
    graph.add_nodes_from(["s", "t"])
    for j in jurors:
        graph.add_edge("s", ("j", j.id), capacity=result.cap, weight=0)
        for p in props:
            if (j.id, p.id) not in conflicts:
                graph.add_edge(("j", j.id), ("p", p.id), capacity=1, weight=-affinity(j, p))
    for p in props:
        graph.add_edge(("p", p.id), "t", capacity=k, weight=0)
    flow = nx.max_flow_min_cost(graph, "s", "t")
    assert len(result.assignments) == sum(flow["s"].values())
    assert result.total_affinity == -nx.cost_of_flow(graph, flow)
