"""Assignment of reviewers to proposals as a min-cost flow (METHOD.md, "Assignment of reviewers").

Pure Python + numpy + OR-Tools: no Flask, no database. Callers pass plain dataclasses or
mappings and get an :class:`AssignmentResult` back.

Network::

    source --(cap = juror's remaining load, convex cost)--> juror
    juror  --(cap 1, cost = -affinity * SCALE; no arc for a conflict)--> proposal
    proposal --(cap = k - reviewers already fixed)--> sink

We solve max-flow-with-min-cost, so the number of filled review slots is maximal first
(fewest proposals short), the total affinity is maximal second, and load balance is only a
tie-breaker (see ``scale`` in ``_solve_flow`` for why that ordering is strict).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Id = int | str
Pair = tuple[Id, Id]

# A shared sector is a broader, more reliable signal than one shared keyword, so it weighs more.
SECTOR_WEIGHT = 2
KEYWORD_WEIGHT = 1


@dataclass(frozen=True)
class Proposal:
    """A proposal as the assignment sees it: id plus declared sectors and keywords."""

    id: Id
    sectors: Collection[str] = ()
    keywords: Collection[str] = ()


@dataclass(frozen=True)
class Juror:
    """A juror as the assignment sees them: id plus declared sectors and keywords."""

    id: Id
    sectors: Collection[str] = ()
    keywords: Collection[str] = ()


@dataclass(frozen=True)
class AssignmentResult:
    """Outcome of an assignment run; every collection is ordered by id for stable output."""

    assignments: list[Pair]  # (juror_id, proposal_id), sorted by proposal then juror
    loads: dict[Id, int]  # every juror, including those with load 0
    short: dict[Id, int]  # proposal_id -> reviewers it got, for proposals below k
    k: int
    cap: int | None  # max load per juror; None in full-panel mode (no cap applies)
    total_affinity: int
    dropped_existing: list[Pair] = field(default_factory=list)  # fixed pairs we could not keep

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable plain-dict view of the result."""
        return {
            "assignments": [list(p) for p in self.assignments],
            "loads": {str(j): n for j, n in self.loads.items()},
            "short": {str(p): n for p, n in self.short.items()},
            "k": self.k,
            "cap": self.cap,
            "total_affinity": self.total_affinity,
            "dropped_existing": [list(p) for p in self.dropped_existing],
        }


def id_sort_key(value: Id) -> tuple[int, Any]:
    """Sort key that orders ints numerically and strings lexically, ints first."""
    # Mixed int/str ids must not raise TypeError when sorted; this keeps ordering total.
    if isinstance(value, int):
        return (0, value)
    return (1, str(value))


def normalise_term(term: str) -> str:
    """Normalise a sector/keyword for comparison: NFKC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", term).casefold().split())


def _field(obj: Any, name: str) -> Any:
    # Accept both dataclass-like objects and plain dicts, as the callers' data comes in both forms.
    if isinstance(obj, Mapping):
        return obj.get(name, ())
    return getattr(obj, name, ())


def _terms(obj: Any, name: str) -> frozenset[str]:
    values = _field(obj, name) or ()
    if isinstance(values, str):
        values = [values]
    return frozenset(t for t in (normalise_term(v) for v in values) if t)


def affinity(juror: Any, proposal: Any) -> int:
    """Integer affinity of one juror for one proposal from shared sectors and keywords."""
    return SECTOR_WEIGHT * len(_terms(juror, "sectors") & _terms(proposal, "sectors")) + (
        KEYWORD_WEIGHT * len(_terms(juror, "keywords") & _terms(proposal, "keywords"))
    )


def load_cap(n_proposals: int, n_jurors: int, k: int, slack: int) -> int:
    """Maximum load per juror: ceil(P*k/J) + slack (0 when there are no jurors)."""
    if n_jurors <= 0:
        return 0
    return math.ceil(n_proposals * k / n_jurors) + slack


def _sorted_ids(items: Iterable[Any], kind: str) -> list[Id]:
    ids = [_field(x, "id") for x in items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {kind} ids")
    return sorted(ids, key=id_sort_key)


def _affinity_matrix(jurors: list[Any], proposals: list[Any]) -> np.ndarray:
    """Return the J x P integer affinity matrix, computed as incidence-matrix products."""
    total = np.zeros((len(jurors), len(proposals)), dtype=np.int64)
    for name, weight in (("sectors", SECTOR_WEIGHT), ("keywords", KEYWORD_WEIGHT)):
        j_terms = [_terms(j, name) for j in jurors]
        p_terms = [_terms(p, name) for p in proposals]
        # Sorted vocabulary keeps column order independent of input order (determinism).
        vocab = {t: i for i, t in enumerate(sorted(set().union(*j_terms, *p_terms)))}
        if not vocab:
            continue
        jm = np.zeros((len(jurors), len(vocab)), dtype=np.float64)
        pm = np.zeros((len(proposals), len(vocab)), dtype=np.float64)
        for row, terms in enumerate(j_terms):
            jm[row, [vocab[t] for t in terms]] = 1.0
        for row, terms in enumerate(p_terms):
            pm[row, [vocab[t] for t in terms]] = 1.0
        # float64 BLAS matmul is exact for these small counts and far faster than int matmul.
        total += weight * np.rint(jm @ pm.T).astype(np.int64)
    return total


def assign_reviewers(
    proposals: Iterable[Any],
    jurors: Iterable[Any],
    conflicts: Iterable[Pair] = (),
    k: int = 3,
    slack: int = 1,
    full_panel: bool = False,
    existing: Iterable[Pair] | None = None,
) -> AssignmentResult:
    """Assign k non-conflicted reviewers per proposal within the load cap, maximising affinity."""
    if k < 0:
        raise ValueError("k must be >= 0")
    if slack < 0:
        raise ValueError("slack must be >= 0")

    # Sort everything by id first: the flow network, and hence the solver's tie-breaking,
    # then depends only on the content of the input, never on its order.
    proposals = list(proposals)
    jurors = list(jurors)
    p_ids = _sorted_ids(proposals, "proposal")
    j_ids = _sorted_ids(jurors, "juror")
    prop_by_id = {_field(p, "id"): p for p in proposals}
    juror_by_id = {_field(j, "id"): j for j in jurors}
    p_index = {pid: i for i, pid in enumerate(p_ids)}
    j_index = {jid: i for i, jid in enumerate(j_ids)}
    n_p, n_j = len(p_ids), len(j_ids)

    conflict_set = {(j, p) for j, p in conflicts if j in j_index and p in p_index}

    # Fixed pairs are kept unless they name unknown people/proposals or have since become
    # conflicted: a conflicted juror must never review, whatever was decided earlier.
    kept: set[Pair] = set()
    dropped: set[Pair] = set()
    for pair in existing or ():
        j, p = pair
        if j in j_index and p in p_index and (j, p) not in conflict_set:
            kept.add((j, p))
        else:
            dropped.add((j, p))

    allowed = np.ones((n_j, n_p), dtype=bool)
    for j, p in conflict_set:
        allowed[j_index[j], p_index[p]] = False

    aff = _affinity_matrix([juror_by_id[j] for j in j_ids], [prop_by_id[p] for p in p_ids])

    if full_panel:
        chosen = allowed
        cap: int | None = None
    else:
        cap = load_cap(n_p, n_j, k, slack)
        chosen = _solve_flow(aff, allowed, kept, j_index, p_index, k, cap, n_p, n_j)

    for j, p in kept:
        chosen[j_index[j], p_index[p]] = True

    ji, pi = np.nonzero(chosen)
    order = np.lexsort((ji, pi))  # by proposal, then juror (indices already follow id order)
    assignments = [(j_ids[ji[o]], p_ids[pi[o]]) for o in order]
    per_juror = chosen.sum(axis=1)
    per_proposal = chosen.sum(axis=0)
    return AssignmentResult(
        assignments=assignments,
        loads={jid: int(per_juror[i]) for i, jid in enumerate(j_ids)},
        short={pid: int(per_proposal[i]) for i, pid in enumerate(p_ids) if per_proposal[i] < k},
        k=k,
        cap=cap,
        total_affinity=int(aff[chosen].sum()),
        dropped_existing=sorted(dropped, key=lambda x: (id_sort_key(x[1]), id_sort_key(x[0]))),
    )


def _solve_flow(
    aff: np.ndarray,
    allowed: np.ndarray,
    kept: set[Pair],
    j_index: dict[Id, int],
    p_index: dict[Id, int],
    k: int,
    cap: int,
    n_p: int,
    n_j: int,
) -> np.ndarray:
    """Solve the min-cost flow and return a J x P bool matrix of the newly chosen pairs."""
    # Imported here so that full-panel mode and mere imports of this module stay cheap.
    from ortools.graph.python import min_cost_flow

    chosen = np.zeros((n_j, n_p), dtype=bool)
    fixed_load = np.zeros(n_j, dtype=np.int64)
    fixed_count = np.zeros(n_p, dtype=np.int64)
    free = allowed.copy()
    for j, p in kept:
        fixed_load[j_index[j]] += 1
        fixed_count[p_index[p]] += 1
        free[j_index[j], p_index[p]] = False  # already counted; must not be chosen twice
    need = np.maximum(0, k - fixed_count)
    free[:, need == 0] = False
    total_need = int(need.sum())
    if total_need == 0 or n_j == 0:
        return chosen

    source, sink = 0, 1 + n_j + n_p
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    caps: list[np.ndarray] = []
    costs: list[np.ndarray] = []

    def add(t: Any, h: Any, c: Any, w: Any) -> None:
        tails.append(np.asarray(t, dtype=np.int32))
        heads.append(np.asarray(h, dtype=np.int32))
        caps.append(np.asarray(c, dtype=np.int64))
        costs.append(np.asarray(w, dtype=np.int64))

    # Source -> juror. Loads up to floor(P*k/J) are free; each unit above costs one more than
    # the previous (convex), so when affinities tie the solver spreads work evenly.
    base = (n_p * k) // n_j
    penalty_max = max(0, cap - base)
    src_t: list[int] = []
    src_h: list[int] = []
    src_c: list[int] = []
    src_w: list[int] = []
    for ji in range(n_j):
        node = 1 + ji
        room = cap - int(fixed_load[ji])
        if room <= 0:
            continue
        free_units = max(0, min(base, cap) - int(fixed_load[ji]))
        if free_units:
            src_t.append(source)
            src_h.append(node)
            src_c.append(free_units)
            src_w.append(0)
        for level in range(max(base, int(fixed_load[ji])) + 1, cap + 1):
            src_t.append(source)
            src_h.append(node)
            src_c.append(1)
            src_w.append(level - base)
    add(src_t, src_h, src_c, src_w)

    # Juror -> proposal. `scale` exceeds the largest load penalty, so any residual cycle that
    # gains one unit of affinity outweighs any change in load penalty: affinity is maximised
    # strictly before balance (a simple cycle touches at most two source arcs).
    scale = penalty_max + 1
    ji_arr, pi_arr = np.nonzero(free)  # row-major: sorted by juror, then proposal
    pair_first = sum(len(t) for t in tails)
    add(1 + ji_arr, 1 + n_j + pi_arr, np.ones(len(ji_arr), dtype=np.int64), -scale * aff[ji_arr, pi_arr])

    # Proposal -> sink with capacity equal to the reviewers still needed.
    needy = np.nonzero(need)[0]
    add(1 + n_j + needy, np.full(len(needy), sink), need[needy], np.zeros(len(needy), dtype=np.int64))

    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    smcf.set_nodes_supplies(
        np.array([source, sink], dtype=np.int32), np.array([total_need, -total_need], dtype=np.int64)
    )
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status}")

    arc_ids = np.arange(pair_first, pair_first + len(ji_arr), dtype=np.int32)
    used = smcf.flows(arc_ids) > 0
    chosen[ji_arr[used], pi_arr[used]] = True
    return chosen
