"""The ranking of a competition: the one function every ranking figure comes from.

`compute_ranking` loads the submitted scores (data.py), aggregates them with the chosen
method, checks the thresholds, ranks with the tie-break chain and the recorded draw,
adds the bootstrap rank intervals, the discussion flags and the funding line
(aggregate.py, METHOD.md), and returns a `RankingView` of plain values. Pages, decisions,
the protocol and the exports all read that view, so they can never disagree.

Who may see a ranking
---------------------
Administrators always. Jurors only once the competition has reached the *decision*
phase (the model has no separate switch; from then on the jury discusses the ranking),
only as signed jury members, and only the rows of proposals they have no conflict with:
`filter_for_viewer` removes those rows and everything that would let the hidden
proposals' numbers be inferred (see its docstring).
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from itertools import compress
from typing import NamedTuple

import numpy as np
from sqlalchemy import select

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.audit import record_event
from app.core.cache import cached, lookup
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.extensions import db
from app.jury.models import Review, Score
from app.jury.permissions import is_signed_juror
from app.jury.queries import counted_review
from app.proposals.models import Proposal
from app.ranking import aggregate, data
from app.ranking.aggregate import Method
from app.ranking.models import RankingDraw

METHODS: tuple[Method, ...] = tuple(Method)
DEFAULT_METHOD = Method.MEAN
# The phase from which jurors may see the ranking (see the module docstring).
JUROR_RANKING_PHASE = "decision"


# ------------------------------------------------------------------ the view


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion as the ranking used it (weight possibly a what-if weight)."""

    id: int
    name_de: str
    name_en: str
    weight: Decimal
    threshold: Decimal
    priority: int

    def name(self, locale: str) -> str:
        """The criterion's name in the given language (German as fallback)."""
        return self.name_en if locale == "en" and self.name_en else self.name_de


@dataclass(frozen=True)
class RankingRow:
    """One proposal's line in the ranking, with every figure the pages show."""

    rank: int
    # 1 + number of proposals better on (passed, T_p to two decimals): equal for ties.
    shared_rank: int
    # True when another proposal shown has the same shared rank.
    tied: bool
    # "total", "criterion:<id>" (the criterion that broke the tie) or "draw".
    decided_by: str
    proposal_id: int
    title: str
    sector: str
    requested_cents: int
    scores: dict[int, float]
    # Criterion id -> aggregate.Note value, where the method did something special.
    notes: dict[int, str]
    total: float
    passed: bool
    failing_criteria: tuple[CriterionInfo, ...]
    below_overall_threshold: bool
    reviews: int
    # max - min of the jurors' weighted totals of this proposal (METHOD.md "spread").
    spread: float
    criterion_spreads: dict[int, float]
    disagreement: bool
    disagreement_criteria: tuple[CriterionInfo, ...]
    totals_disagreement: bool
    rank_low: int | None
    rank_high: int | None
    p_top_k: float | None
    near_line: bool
    cumulative_cents: int | None
    above_funding_line: bool

    @property
    def rank_label(self) -> str:
        """The rank as shown: "3=" when the proposal shares its total with another."""
        return f"{self.shared_rank}=" if self.tied else str(self.rank)

    @property
    def tie_broken_by_criterion(self) -> int | None:
        """Id of the criterion that decided this proposal's place within a tie, if one did."""
        if self.decided_by.startswith("criterion:"):
            return int(self.decided_by.split(":", 1)[1])
        return None

    @property
    def decided_by_draw(self) -> bool:
        """True when a draw by lot decided this proposal's place."""
        return self.decided_by == "draw"

    def failing_names(self, locale: str) -> list[str]:
        """Names of the criteria below their threshold."""
        return [c.name(locale) for c in self.failing_criteria]

    def disagreement_names(self, locale: str) -> list[str]:
        """Names of the criteria flagged for discussion."""
        return [c.name(locale) for c in self.disagreement_criteria]

    @property
    def flags(self) -> tuple[str, ...]:
        """Codes of the flags shown: below_threshold, disagreement, near_line."""
        return tuple(name for name, on in (("below_threshold", not self.passed),
                                           ("disagreement", self.disagreement),
                                           ("near_line", self.near_line)) if on)


@dataclass(frozen=True)
class RankingView:
    """A competition's ranking under one method and set of weights."""

    competition_id: int
    method: Method
    criteria: tuple[CriterionInfo, ...]
    # False when the weights are what-if weights that are not saved.
    weights_saved: bool
    overall_threshold: float
    rows: tuple[RankingRow, ...]
    budget_cents: int
    winners_min: int
    winners_max: int
    # Seed of the draw by lot used for remaining ties, and whether it is a recorded one.
    seed: int
    draw_id: int | None
    draw_recorded_at: datetime | None
    # The draws this ranking needed (still tied after every criterion).
    draws: tuple[aggregate.TieDraw, ...]
    # True when ties need a draw and no recorded draw settles exactly these groups.
    unresolved_ties: bool
    has_consensus: bool
    with_uncertainty: bool
    bootstrap_seed: int
    bootstrap_resamples: int
    # Jury-pool proposals without any submitted review (not ranked).
    unscored_ids: tuple[int, ...]
    # Proposals with a submitted review that does not score every criterion (left out).
    incomplete_ids: tuple[int, ...]
    # Normalised: (juror id, criterion id) -> why the juror's raw scores were kept.
    raw_kept: dict[tuple[int, int], str] = field(default_factory=dict)
    # Calibrated: juror id -> aggregate.JurorLeniency.
    leniency: dict[int, aggregate.JurorLeniency] = field(default_factory=dict)
    # True when rows were removed for the viewer (conflicts of interest).
    filtered: bool = False

    # The views are cached and shown again and again: what the page derives from all rows is
    # worked out once per view (cached_property writes past the frozen dataclass's __setattr__).
    @cached_property
    def funded_rows(self) -> tuple[RankingRow, ...]:
        """Rows above the funding line."""
        return tuple(r for r in self.rows if r.above_funding_line)

    @property
    def funded_count(self) -> int:
        """Number of proposals above the funding line."""
        return len(self.funded_rows)

    @property
    def funded_cents(self) -> int:
        """Requested funding of the proposals above the funding line."""
        return sum(r.requested_cents for r in self.funded_rows)

    @property
    def remaining_cents(self) -> int:
        """Budget left above the funding line."""
        return self.budget_cents - self.funded_cents

    @cached_property
    def passing_count(self) -> int:
        """Number of proposals passing every threshold."""
        return sum(1 for r in self.rows if r.passed)

    @property
    def target_status(self) -> str:
        """"below", "within" or "above" the target number of winners (proposals above the line)."""
        if self.funded_count < self.winners_min:
            return "below"
        if self.funded_count > self.winners_max:
            return "above"
        return "within"

    @property
    def line_index(self) -> int | None:
        """Index of the first row below the funding line (None when all or none are above)."""
        for i, row in enumerate(self.rows):
            if not row.above_funding_line:
                return i if i > 0 else None
        return None

    @cached_property
    def notes_in_use(self) -> list[str]:
        """The method notes that occur in the rows (for the legend)."""
        return sorted({note for r in self.rows for note in r.notes.values()})

    @cached_property
    def _rows_by_proposal(self) -> dict[int, RankingRow]:
        """Proposal id -> row (the tie list looks rows up by proposal)."""
        return {r.proposal_id: r for r in self.rows}

    def row_for(self, proposal_id: int) -> RankingRow | None:
        """The row of one proposal, if it is in the view."""
        return self._rows_by_proposal.get(proposal_id)

    def criterion(self, criterion_id: int) -> CriterionInfo | None:
        """A criterion of the view by id."""
        return next((c for c in self.criteria if c.id == criterion_id), None)

    @property
    def weights(self) -> dict[int, Decimal]:
        """The weights the ranking used, by criterion id."""
        return {c.id: c.weight for c in self.criteria}


# ---------------------------------------------------------------- permissions


def can_view_ranking(user, competition: Competition) -> bool:
    """Admins always; signed jurors once the competition reached the decision phase."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    return competition.phase_at_least(JUROR_RANKING_PHASE) and is_signed_juror(user, competition.id)


def can_see_individual_scores(user, competition: Competition, reviewer_ids) -> bool:
    """Admins always; jurors as the competition's visibility rule for other reviews says."""
    if user.is_admin:
        return True
    rule = competition.other_reviews_visibility
    return rule == "always" or (rule == "after_own" and user.id in set(reviewer_ids))


# ------------------------------------------------------------------- loading


class _ProposalInfo(NamedTuple):
    """What the ranking shows of a proposal besides its scores (a named tuple: 2,000 of them per ranking)."""

    id: int
    title: str
    sector: str
    requested_cents: int


@dataclass(frozen=True)
class _Inputs:
    """Everything the maths reads, loaded once."""

    # Scores of the complete submitted reviews of the jury pool, as NumPy columns.
    scores: data.ScoreColumns
    consensus: dict[tuple[int, int], float]
    proposals: dict[int, _ProposalInfo]
    incomplete_ids: tuple[int, ...]


def _load_proposals(competition_id: int) -> dict[int, _ProposalInfo]:
    """Title, sector and requested funding of the jury pool (one query)."""
    result = data.plain_tuples(
        select(Proposal.id, Proposal.network_name, Proposal.sector, Proposal.requested_funding_cents)
        .where(Proposal.competition_id == competition_id, Proposal.in_jury_pool)
        .order_by(Proposal.id)
    )
    return {pid: _ProposalInfo(pid, name or f"#{pid}", sector or "", cents or 0)
            for pid, name, sector, cents in result}


def _complete_reviews(scores: data.ScoreColumns, criterion_ids: set[int]):
    """Scores of reviews that score every criterion, and proposals with incomplete reviews."""
    p, j, c, _ = scores
    wanted = np.array(sorted(criterion_ids), dtype=np.int64)
    # A review is (proposal, juror), each scoring a criterion at most once (unique constraints), so
    # it is complete when it has len(criterion_ids) scores, all on those criteria.
    _, review, per_review = np.unique(p * (int(j.max(initial=0)) + 1) + j, return_inverse=True, return_counts=True)
    known = np.bincount(review, weights=np.isin(c, wanted), minlength=per_review.size)
    incomplete = (per_review != len(wanted)) | (known != per_review)
    kept = ~incomplete[review]
    columns = data.ScoreColumns(*(column[kept] for column in scores))
    return columns, tuple(np.unique(p[~kept]).tolist())


def _load_inputs(competition: Competition, criterion_ids: set[int]) -> _Inputs:
    """Score columns, approved consensus scores and proposal facts of the jury pool."""
    proposals = _load_proposals(competition.id)
    scores = data.score_columns(competition.id)
    in_pool = np.isin(scores.proposal_ids, np.fromiter(proposals, dtype=np.int64, count=len(proposals)))
    scores = data.ScoreColumns(*(column[in_pool] for column in scores))
    # A review that misses a criterion (added after scoring began) cannot enter the
    # totals; it is left out and reported rather than failing the whole ranking.
    scores, incomplete = _complete_reviews(scores, criterion_ids)
    scored = set(np.unique(scores.proposal_ids).tolist())
    consensus = {key: value for key, value in data.consensus_scores(competition.id).items()
                 if key[0] in scored and key[1] in criterion_ids}
    return _Inputs(scores, consensus, proposals, incomplete)


def default_seed(competition_id: int) -> int:
    """The provisional seed for ties before a draw is recorded: fixed per competition."""
    digest = hashlib.sha256(f"ranking-draw:{competition_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def latest_draw(competition_id: int, method: Method | str) -> RankingDraw | None:
    """The most recent recorded draw of a competition for one method."""
    return db.session.scalar(
        select(RankingDraw).where(RankingDraw.competition_id == competition_id,
                                  RankingDraw.method == Method(method).value)
        .order_by(RankingDraw.id.desc()).limit(1)
    )


def _draw_outcome(draws) -> list[dict]:
    """Draws as JSON for the RankingDraw record and the audit trail."""
    return [{"proposal_ids": list(d.proposal_ids), "drawn_order": list(d.drawn_order), "ranks": list(d.ranks)}
            for d in draws]


def _settles(draw: RankingDraw | None, draws) -> bool:
    """True when a recorded draw was made for exactly these tie groups at these ranks."""
    if draw is None:
        return False
    recorded = [(sorted(d["proposal_ids"]), list(d["ranks"])) for d in draw.outcome]
    return recorded == [(sorted(d.proposal_ids), list(d.ranks)) for d in draws]


# -------------------------------------------------------------------- compute


def _criteria_infos(competition: Competition, weights: Mapping[int, Decimal | float] | None):
    """The competition's criteria with what-if weights applied (validated)."""
    overrides: dict[int, Decimal] = {}
    known = {c.id for c in competition.criteria}
    for cid, weight in (weights or {}).items():
        if cid not in known:
            raise ValueError(f"unknown criterion {cid!r}")
        value = Decimal(str(weight))
        if not value > 0:
            raise ValueError(f"criterion {cid!r}: weight must be > 0")
        overrides[cid] = value
    return tuple(CriterionInfo(c.id, c.name_de, c.name_en, overrides.get(c.id, c.weight), c.threshold, c.priority)
                 for c in competition.criteria)


def _overall_threshold(competition: Competition, infos: tuple[CriterionInfo, ...]) -> float:
    """H: the competition's own value, else Σ w_c h_c with the weights in use."""
    if competition.overall_threshold is not None:
        return float(competition.overall_threshold)
    return float(sum((c.weight * c.threshold for c in infos), Decimal("0")))


def _maths_criteria(infos: tuple[CriterionInfo, ...]) -> list[aggregate.Criterion]:
    """Criteria as the pure module takes them."""
    return [aggregate.Criterion(id=c.id, weight=float(c.weight), threshold=float(c.threshold), priority=c.priority)
            for c in infos]


def compute_ranking(
    competition: Competition,
    method: str = "mean",
    weights: Mapping[int, Decimal | float] | None = None,
    with_uncertainty: bool = True,
) -> RankingView:
    """The ranking of a competition (cached per version of its inputs; see app/core/cache.py)."""
    method = Method(method)
    infos = _criteria_infos(competition, weights)
    weights_key = tuple(sorted((cid, str(Decimal(str(w)))) for cid, w in (weights or {}).items()))
    if not with_uncertainty:
        # A view with uncertainty holds everything one without it has.
        fuller = lookup("ranking", competition, (method.value, weights_key, True))
        if fuller is not None:
            return fuller
    return cached("ranking", competition, (method.value, weights_key, with_uncertainty),
                  lambda: _compute(competition, method, infos, not weights_key, with_uncertainty))


def _ranked(inputs: _Inputs, crit: list[aggregate.Criterion], method: Method, overall: float, seed: int):
    """(table, aggregation, evaluation, ranking) of the inputs under one method and draw seed."""
    table = aggregate.table_from_columns(*inputs.scores, crit)
    agg = aggregate.aggregate_scores(table, crit, method, inputs.consensus)
    scores = agg.cells.scores
    evaluation = aggregate.evaluate_cells(scores, crit, overall)
    ranking = aggregate.rank_cells(table.proposals, evaluation.passed, evaluation.totals, scores, crit, seed)
    return table, agg, evaluation, ranking


def _compute(competition: Competition, method: Method, infos: tuple[CriterionInfo, ...], weights_saved: bool,
             with_uncertainty: bool) -> RankingView:
    """Compute the view from the database (cache miss)."""
    with cycle_collector_paused():
        return _compute_view(competition, method, infos, weights_saved, with_uncertainty)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the ranking allocates its rows.

    Why: a view at 2,000 proposals is ~30,000 short-lived, cycle-free objects; each allocation
    burst would start a collection that scans the worker's whole heap (measured: ~40 ms of
    ~150 ms). Reference counting frees everything as usual. A thread that found the collector
    already paused leaves resuming it to the one that paused it.
    """
    was_running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_running:
            gc.enable()


def _compute_view(competition: Competition, method: Method, infos: tuple[CriterionInfo, ...], weights_saved: bool,
                  with_uncertainty: bool) -> RankingView:
    """_compute without the collector pause."""
    inputs = _load_inputs(competition, {c.id for c in infos})
    draw = latest_draw(competition.id, method)
    seed = draw.seed if draw is not None else default_seed(competition.id)
    overall = _overall_threshold(competition, infos)
    scored = set(np.unique(inputs.scores.proposal_ids).tolist())
    unscored = tuple(pid for pid in inputs.proposals if pid not in scored and pid not in inputs.incomplete_ids)
    base = dict(
        competition_id=competition.id, method=method, criteria=infos, weights_saved=weights_saved,
        overall_threshold=overall, budget_cents=competition.budget_cents, winners_min=competition.winners_min,
        winners_max=competition.winners_max, seed=seed, draw_id=draw.id if draw else None,
        draw_recorded_at=draw.created_at if draw else None, has_consensus=bool(inputs.consensus),
        with_uncertainty=with_uncertainty, bootstrap_seed=aggregate.BOOTSTRAP_SEED,
        bootstrap_resamples=aggregate.BOOTSTRAP_RESAMPLES, unscored_ids=unscored,
        incomplete_ids=inputs.incomplete_ids,
    )
    if not infos or not scored:
        return RankingView(rows=(), draws=(), unresolved_ties=False, **base)

    crit = _maths_criteria(infos)
    table, agg, evaluation, ranking = _ranked(inputs, crit, method, overall, seed)
    flags = aggregate.disagreement_table(table)
    uncertainty = (aggregate.rank_intervals(table, agg.cells, k=competition.winners_max, overall_threshold=overall)
                   if with_uncertainty else None)
    requested = {pid: inputs.proposals[pid].requested_cents for pid in table.proposals}
    line = aggregate.funding_line(ranking, requested, competition.budget_cents).rows
    leniency = aggregate.juror_leniency(agg, crit) if method is Method.CALIBRATED else {}
    rows = _rows(table, infos, agg, evaluation, flags, uncertainty, ranking, line, inputs.proposals)
    unresolved = bool(ranking.draws) and not _settles(draw, ranking.draws)
    return RankingView(
        rows=rows, draws=ranking.draws, unresolved_ties=unresolved,
        raw_kept={key: kept.value for key, kept in agg.raw_kept.items()}, leniency=leniency, **base,
    )


def _rows(table, infos, agg, evaluation, flags, uncertainty, ranking, line, proposals) -> tuple[RankingRow, ...]:
    """The ranking's rows in rank order, from the arrays (indexed by the table's proposal order)."""
    position = {pid: i for i, pid in enumerate(table.proposals)}
    ids = [c.id for c in infos]
    # Every proposal of the table has every criterion (table_from_columns checks complete reviews).
    spreads = [dict(zip(ids, row, strict=True)) for row in flags.cell_spread.tolist()]

    def chosen(mask: np.ndarray) -> list[tuple[CriterionInfo, ...]]:
        """Per proposal, the criteria where the mask is set (most proposals have none)."""
        out: list[tuple[CriterionInfo, ...]] = [()] * mask.shape[0]
        for i in np.flatnonzero(mask.any(axis=1)).tolist():
            out[i] = tuple(compress(infos, mask[i]))
        return out

    failing = chosen(~evaluation.criteria_ok)
    flagged = chosen(flags.cell_flagged)
    notes_of: list[dict[int, str]] = [{} for _ in table.proposals]
    value = {note: note.value for note in aggregate.Note}  # Enum.value is a slow property; 16,000 notes at scale
    for (pid, cid), note in agg.notes.items():
        notes_of[position[pid]][cid] = value[note]
    totals, passed = evaluation.totals.tolist(), evaluation.passed.tolist()
    below = (~evaluation.total_ok).tolist()
    reviews, spread = flags.reviews.tolist(), (flags.totals_high - flags.totals_low).tolist()
    disagreement, totals_flagged = flags.flagged.tolist(), flags.totals_flagged.tolist()
    if uncertainty is not None:
        low, high = uncertainty.low.tolist(), uncertainty.high.tolist()
        p_top, near = uncertainty.p_top_k.tolist(), uncertainty.near_line.tolist()
    else:
        low = high = p_top = [None] * len(table.proposals)
        near = [False] * len(table.proposals)
    tied_ranks = _tied_shared_ranks(e.shared_rank for e in ranking.entries)
    rows = []
    for entry, funding in zip(ranking.entries, line, strict=True):
        pid = entry.proposal_id
        i, info = position[pid], proposals[pid]
        rows.append(RankingRow(
            rank=entry.rank, shared_rank=entry.shared_rank, tied=entry.shared_rank in tied_ranks,
            decided_by=entry.decided_by, proposal_id=pid, title=info.title, sector=info.sector,
            requested_cents=info.requested_cents, scores=agg.scores[pid], notes=notes_of[i], total=totals[i],
            passed=passed[i], failing_criteria=failing[i], below_overall_threshold=below[i], reviews=reviews[i],
            spread=spread[i], criterion_spreads=spreads[i], disagreement=disagreement[i],
            disagreement_criteria=flagged[i], totals_disagreement=totals_flagged[i], rank_low=low[i],
            rank_high=high[i], p_top_k=p_top[i], near_line=near[i], cumulative_cents=funding.cumulative_cents,
            above_funding_line=funding.above_line,
        ))
    return tuple(rows)


def _tied_shared_ranks(shared_ranks) -> set[int]:
    """Shared ranks held by more than one proposal."""
    return {rank for rank, count in Counter(shared_ranks).items() if count > 1}


# ------------------------------------------------------------- viewer filter


# Methods whose figures for a proposal come from that proposal's own reviews (or consensus) alone.
# Normalised and calibrated scores use each juror's scores on every proposal, so they depend on
# proposals a conflicted viewer may not see (docs/security.md).
ISOLATED_METHODS: frozenset[Method] = frozenset({Method.MEAN, Method.MEDIAN, Method.TRIMMED, Method.CONSENSUS})


def visible_to(view: RankingView, user) -> set[int] | None:
    """The pool proposals of the competition the user may see; None when nothing is hidden from them."""
    if user is not None and user.is_authenticated and user.is_admin:
        return None  # admins see every proposal (data.visible_proposal_ids), so nothing is hidden
    competition = db.session.get(Competition, view.competition_id)
    everything = [r.proposal_id for r in view.rows] + list(view.unscored_ids) + list(view.incomplete_ids)
    visible = data.visible_proposal_ids(user, competition, everything)
    return None if len(visible) == len(set(everything)) else visible


_ASK = object()


def filter_for_viewer(view: RankingView, user, visible: set[int] | None | object = _ASK) -> RankingView:
    """The view as a user may see it: as if the proposals they are conflicted with had never been submitted.

    Removing a row is not enough: the gap in the ranks, the funding line, the cumulative
    funding, the rank intervals and the tie groups would still tell where the hidden proposal
    stands or what it requested. The rule of docs/security.md: a viewer with hidden proposals
    gets only the shown rows with ranks counted among them; no funding line, above-the-line or
    near-the-line flags, sums, remaining budget or target status; no rank intervals or P(top K);
    only the methods of ISOLATED_METHODS (another one falls back to the mean); draws among shown
    proposals only; "consensus" offered only when a shown proposal has one. Admins and jurors
    without conflicts get the view unchanged.
    """
    if visible is _ASK:  # a caller filtering several views of one competition asks visible_to once
        visible = visible_to(view, user)
    if visible is None:
        return view
    competition = db.session.get(Competition, view.competition_id)
    if view.method not in ISOLATED_METHODS:
        view = compute_ranking(competition, DEFAULT_METHOD, with_uncertainty=False)
    shown = [r for r in view.rows if r.proposal_id in visible]
    keys = [(not r.passed, -int(aggregate.hundredths(r.total))) for r in shown]
    shared: list[int] = []
    for i, key in enumerate(keys):
        shared.append(shared[-1] if i and key == keys[i - 1] else i + 1)
    tied = _tied_shared_ranks(shared)
    rows = tuple(
        replace(r, rank=i + 1, shared_rank=shared[i], tied=shared[i] in tied, rank_low=None, rank_high=None,
                p_top_k=None, cumulative_cents=None, above_funding_line=False, near_line=False,
                decided_by=r.decided_by if shared[i] in tied else "total")
        for i, r in enumerate(shown)
    )
    # A draw among shown proposals keeps its order, but its ranks are counted among the shown rows too:
    # the full ranking's numbers would tell how many hidden proposals stand above the tie.
    rank_of = {r.proposal_id: r.rank for r in rows}
    draws = tuple(replace(d, ranks=tuple(sorted(rank_of[pid] for pid in d.proposal_ids)))
                  for d in view.draws if set(d.proposal_ids) <= visible)
    has_consensus = view.has_consensus and any(pid in visible for pid, _c in data.consensus_scores(competition.id))
    return replace(
        view, rows=rows, draws=draws, unresolved_ties=view.unresolved_ties and bool(draws),
        unscored_ids=tuple(p for p in view.unscored_ids if p in visible),
        incomplete_ids=tuple(p for p in view.incomplete_ids if p in visible),
        with_uncertainty=False, filtered=True, has_consensus=has_consensus, raw_kept={}, leniency={},
    )


def methods_for_viewer(view: RankingView) -> list[Method]:
    """The methods a viewer may switch to: all for an unfiltered view, the isolated ones otherwise."""
    return [m for m in METHODS if (m is not Method.CONSENSUS or view.has_consensus or view.method is m)
            and (not view.filtered or m in ISOLATED_METHODS)]


# ---------------------------------------------------------------------- draws


def record_draw(competition: Competition, method: str, actor: User) -> RankingDraw:
    """Settle the remaining ties of a method's ranking by a recorded draw (audited)."""
    method = Method(method)
    current = compute_ranking(competition, method, with_uncertainty=False)
    if not current.draws:
        raise DomainError(_l("No ties are left that a draw by lot would have to settle."))
    if not current.unresolved_ties:
        raise DomainError(_l("These ties have already been settled by a recorded draw."))
    infos = _criteria_infos(competition, None)
    crit = _maths_criteria(infos)
    inputs = _load_inputs(competition, {c.id for c in infos})
    seed = aggregate.new_draw_seed()
    ranking = _ranked(inputs, crit, method, _overall_threshold(competition, infos), seed)[3]
    outcome = _draw_outcome(ranking.draws)
    draw = RankingDraw(competition_id=competition.id, method=method.value, seed=seed, outcome=outcome,
                       created_by_id=actor.id)
    db.session.add(draw)
    db.session.flush()
    record_event("ranking.draw_recorded", draw, actor=actor,
                 after={"competition_id": competition.id, "method": method.value, "seed": str(seed),
                        "outcome": outcome})
    return draw


# ---------------------------------------------------------------- one proposal


@dataclass(frozen=True)
class JurorScores:
    """One review of a proposal as the detail page shows it."""

    label: str
    scores: dict[int, float]
    total: float


@dataclass(frozen=True)
class ProposalDetail:
    """A proposal's figures under every method, and its individual scores."""

    proposal_id: int
    title: str
    sector: str
    requested_cents: int
    view: RankingView
    row: RankingRow | None
    # Method -> the proposal's row under that method (saved weights).
    by_method: dict[Method, RankingRow | None]
    # None when the viewer may not see individual scores.
    jurors: tuple[JurorScores, ...] | None
    consensus: dict[int, float]


def proposal_detail(competition: Competition, proposal_id: int, viewer, method: str = "mean") -> ProposalDetail | None:
    """The detail of one ranked proposal for a viewer, or None when it is not theirs to see."""
    full = compute_ranking(competition, method)
    visible = visible_to(full, viewer)  # the same pool under every method: asked once
    view = filter_for_viewer(full, viewer, visible)
    row = view.row_for(proposal_id)
    if row is None and proposal_id not in view.unscored_ids:
        return None
    proposal = db.session.get(Proposal, proposal_id)
    methods = [m for m in methods_for_viewer(view) if m is not Method.CONSENSUS or view.has_consensus]
    by_method = {}
    for m in methods:
        other = view if m is view.method else filter_for_viewer(
            compute_ranking(competition, m, with_uncertainty=False), viewer, visible)
        by_method[m] = other.row_for(proposal_id)
    reviews = _submitted_scores(proposal_id, {c.id for c in view.criteria})
    jurors = None
    if can_see_individual_scores(viewer, competition, reviews):
        names = _juror_labels(sorted(reviews), viewer.is_admin)
        weight = {c.id: float(c.weight) for c in view.criteria}
        jurors = tuple(JurorScores(names[j], reviews[j], sum(weight[c] * v for c, v in reviews[j].items()))
                       for j in sorted(reviews))
    consensus = {cid: value for (pid, cid), value in data.consensus_scores(competition.id).items()
                 if pid == proposal_id}
    return ProposalDetail(proposal_id, proposal.title, proposal.sector, proposal.requested_funding_cents or 0,
                          view, row, by_method, jurors, consensus)


def _submitted_scores(proposal_id: int, criterion_ids: set[int]) -> dict[int, dict[int, float]]:
    """Juror id -> criterion id -> score of the proposal's complete submitted reviews (one query)."""
    result = db.session.execute(
        select(Review.user_id, Score.criterion_id, Score.value).join(Score, Score.review_id == Review.id)
        .where(Review.proposal_id == proposal_id, counted_review(), Score.value.is_not(None))
    )
    reviews: dict[int, dict[int, float]] = {}
    for juror, criterion, value in result:
        reviews.setdefault(juror, {})[criterion] = float(value)
    # The same rule as the ranking: only reviews scoring every criterion count.
    return {j: s for j, s in reviews.items() if set(s) == criterion_ids}


def juror_labels(juror_ids, with_names: bool) -> dict[int, str]:
    """Names for admins; "Juror 1", "Juror 2", ... for everyone else."""
    return _juror_labels(sorted(juror_ids), with_names)


def _juror_labels(juror_ids: list[int], with_names: bool) -> dict[int, str]:
    """Names (one query) or numbered anonymous labels, in the given order."""
    if with_names:
        result = db.session.execute(select(User.id, User.name).where(User.id.in_(juror_ids)))
        names = {uid: name for uid, name in result}
        return {j: names.get(j, f"#{j}") for j in juror_ids}
    return {j: str(_l("Juror %(num)s", num=i)) for i, j in enumerate(juror_ids, 1)}


# ----------------------------------------------------------------- statistics


@dataclass(frozen=True)
class StatisticsView:
    """Reliability, juror leniency and score distributions of a competition."""

    competition_id: int
    criteria: tuple[CriterionInfo, ...]
    reviews: int
    jurors: int
    proposals: int
    reliability: aggregate.ReliabilityReport | None
    leniency: dict[int, aggregate.JurorLeniency]
    juror_names: dict[int, str]
    # Criterion id -> its components where the juror-proposal graph falls apart.
    components: dict[int, int]
    distributions: dict[int, aggregate.Distribution]


def competition_statistics(competition: Competition) -> StatisticsView:
    """Statistics for administrators (cached per version of the ranking's inputs)."""
    stats = cached("statistics", competition, (), lambda: _statistics(competition))
    # Names are not part of the data version, so they are looked up fresh, not cached.
    return replace(stats, juror_names=_juror_labels(sorted(stats.leniency), True))


def _statistics(competition: Competition) -> StatisticsView:
    """Compute the statistics (cache miss)."""
    infos = _criteria_infos(competition, None)
    inputs = _load_inputs(competition, {c.id for c in infos})
    scores = inputs.scores
    if not infos or not scores.values.size:
        return StatisticsView(competition.id, infos, 0, 0, 0, None, {}, {}, {}, {})
    crit = _maths_criteria(infos)
    table = aggregate.table_from_columns(*scores, crit)
    calibrated = aggregate.aggregate_scores(table, crit, Method.CALIBRATED)
    reviews = int(np.unique(table.p * len(table.jurors) + table.j).size)
    return StatisticsView(
        competition_id=competition.id, criteria=infos, reviews=reviews,
        jurors=len(table.jurors), proposals=len(table.proposals), reliability=aggregate.reliability(table, crit),
        leniency=aggregate.juror_leniency(calibrated, crit), juror_names={},
        components={cid: len(parts) for cid, parts in calibrated.components.items()},
        distributions=aggregate.score_distribution(table, crit),
    )


def contested_proposal_ids(competition: Competition) -> set[int]:
    """Pool proposals the computed ranking flags for discussion (read by the jury's progress and consensus)."""
    return {row.proposal_id for row in compute_ranking(competition, with_uncertainty=False).rows if row.disagreement}


