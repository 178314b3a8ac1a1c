"""Cache of computed rankings and statistics, keyed by what they were computed from.

Why this never serves a stale ranking
-------------------------------------
Nothing is ever invalidated by hand. Instead every cache key contains a *data version*:
a fingerprint of everything the computation reads, taken with one cheap aggregate query
(`data_version`) on every request:

- the submitted reviews: their count, the newest `Review.updated_at` of any review of
  the competition (submitting, reopening and every autosave bump it), and the count and
  sum of the scores of submitted reviews (so even a score edited without touching its
  review changes the key);
- the approved consensus reports: the newest `Consensus.updated_at`, the number of
  approved reports and the sum of their agreed scores;
- the proposals: their number and newest `updated_at` (status, pre-check result, title
  and requested funding change it);
- the conflicts of interest: the number of active ones and the newest id (a conflicted
  juror's review does not count, see data.score_rows);
- the recorded draws: the newest `RankingDraw.id` (a new draw changes the seed);
- the competition's settings that enter the maths (budget, target winners, overall
  threshold, `updated_at`) and every criterion's weight, threshold, priority and names.

A score, consensus or weight change therefore yields a new key: the next request misses
the cache and recomputes, and the old entry is simply never asked for again (it ages out
of the in-process LRU and expires in Redis). Several gunicorn workers stay consistent
without any message between them, because each one derives the key from the database
itself. The method, the what-if weights and the options are part of the key too.

Two layers: a small in-process LRU (fast, per worker) and, when `REDIS_URL` is set, Redis
(shared by all workers and hosts, so a ranking is computed once per data version). Redis
failures are logged and ignored: the cache is an optimisation, never a source of truth.
"""

from __future__ import annotations

import hashlib
import logging
import pickle  # noqa: S403 - only our own objects, written by this module to our own Redis
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import func, select

from app.competitions.models import Competition
from app.extensions import db
from app.jury.models import Conflict, Consensus, ConsensusScore, Review, Score
from app.proposals.models import Proposal
from app.ranking.models import RankingDraw

log = logging.getLogger(__name__)

LOCAL_MAX_ENTRIES = 32
REDIS_TTL_SECONDS = 24 * 3600
# Bump when the cached classes change shape, so old pickles in Redis are never read.
KEY_SCHEMA = "ranking-cache-v1"

T = TypeVar("T")


class LruCache:
    """A small thread-safe least-recently-used map (gunicorn threads share one per worker)."""

    def __init__(self, maxsize: int = LOCAL_MAX_ENTRIES):
        self.maxsize = maxsize
        self._data: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        """The value for key (and mark it as recently used), or None."""
        with self._lock:
            if key not in self._data:
                return None
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: str, value: Any) -> None:
        """Store a value, dropping the least recently used entry when full."""
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


local_cache = LruCache()


def data_version(competition: Competition) -> tuple:
    """Fingerprint of every input of the ranking maths, from one aggregate query."""
    cid = competition.id
    in_competition = Proposal.competition_id == cid
    reviews = (select(func.count(Review.id)).join(Proposal, Proposal.id == Review.proposal_id)
               .where(in_competition, Review.status == "submitted").scalar_subquery())
    reviews_changed = (select(func.max(Review.updated_at)).join(Proposal, Proposal.id == Review.proposal_id)
                       .where(in_competition).scalar_subquery())
    scores_count = (select(func.count(Score.id)).join(Review, Review.id == Score.review_id)
                    .join(Proposal, Proposal.id == Review.proposal_id)
                    .where(in_competition, Review.status == "submitted").scalar_subquery())
    scores_sum = (select(func.sum(Score.value)).join(Review, Review.id == Score.review_id)
                  .join(Proposal, Proposal.id == Review.proposal_id)
                  .where(in_competition, Review.status == "submitted").scalar_subquery())
    consensus_changed = (select(func.max(Consensus.updated_at)).join(Proposal, Proposal.id == Consensus.proposal_id)
                         .where(in_competition).scalar_subquery())
    consensus_approved = (select(func.count(Consensus.id)).join(Proposal, Proposal.id == Consensus.proposal_id)
                          .where(in_competition, Consensus.status == "approved").scalar_subquery())
    consensus_sum = (select(func.sum(ConsensusScore.value))
                     .join(Consensus, Consensus.id == ConsensusScore.consensus_id)
                     .join(Proposal, Proposal.id == Consensus.proposal_id)
                     .where(in_competition, Consensus.status == "approved").scalar_subquery())
    # Reviews of a juror with an active conflict do not count (data.score_rows).
    conflicts = (select(func.count(Conflict.id)).join(Proposal, Proposal.id == Conflict.proposal_id)
                 .where(in_competition, Conflict.status == "active").scalar_subquery())
    conflicts_changed = (select(func.max(Conflict.id)).join(Proposal, Proposal.id == Conflict.proposal_id)
                         .where(in_competition).scalar_subquery())
    proposals = select(func.count(Proposal.id)).where(in_competition).scalar_subquery()
    proposals_changed = select(func.max(Proposal.updated_at)).where(in_competition).scalar_subquery()
    latest_draw = select(func.max(RankingDraw.id)).where(RankingDraw.competition_id == cid).scalar_subquery()
    settings = (select(Competition.updated_at, Competition.budget_cents, Competition.winners_min,
                       Competition.winners_max, Competition.overall_threshold)
                .where(Competition.id == cid).subquery())
    row = db.session.execute(
        select(reviews, reviews_changed, scores_count, scores_sum, consensus_changed, consensus_approved,
               consensus_sum, conflicts, conflicts_changed, proposals, proposals_changed, latest_draw,
               *settings.c)
    ).one()
    criteria = tuple((c.id, str(c.weight), str(c.threshold), c.priority, c.name_de, c.name_en)
                     for c in competition.criteria)
    # str() so that Decimal/float/datetime render the same way whatever the driver returns.
    return tuple(str(value) for value in row) + (criteria,)


def make_key(kind: str, competition_id: int, options: tuple, version: tuple) -> str:
    """A short stable key from what was asked for and the data version it was computed on."""
    digest = hashlib.sha256(repr((KEY_SCHEMA, kind, competition_id, options, version)).encode()).hexdigest()
    return f"{KEY_SCHEMA}:{kind}:{competition_id}:{digest}"


def _redis():
    """The Redis client when REDIS_URL is configured (created once per app), else None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    client = current_app.extensions.get("ranking_cache_redis")
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        current_app.extensions["ranking_cache_redis"] = client
    return client


def get(key: str) -> Any | None:
    """A cached value from the local LRU, then from Redis; None on a miss."""
    value = local_cache.get(key)
    if value is not None:
        return value
    client = _redis()
    if client is None:
        return None
    try:
        raw = client.get(key)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("ranking cache: Redis read failed", exc_info=True)
        return None
    if raw is None:
        return None
    # Safe (bandit B301): the bytes are written by put() below under our namespaced key on our own Redis.
    value = pickle.loads(raw)  # noqa: S301  # nosec B301
    local_cache.put(key, value)
    return value


def put(key: str, value: Any) -> None:
    """Store a value in the local LRU and, when configured, in Redis with a time to live."""
    local_cache.put(key, value)
    client = _redis()
    if client is None:
        return
    try:
        client.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ex=REDIS_TTL_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not break the page
        log.warning("ranking cache: Redis write failed", exc_info=True)


def get_or_compute(key: str, compute: Callable[[], T]) -> T:
    """The cached value for key, computing and storing it on a miss."""
    value = get(key)
    if value is None:
        value = compute()
        put(key, value)
    return value
