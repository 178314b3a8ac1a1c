"""The competition's stamps: tokens that change whenever an input of its ranking or of its progress counts changes.

Why a stamp written on change rather than a fingerprint read on every request
-------------------------------------------------------------------------------
The cache of computed figures (app/core/cache.py) needs a key that changes with every score,
consensus, conflict, weight or setting change. Reading a fingerprint of all those tables on
every request cost tens of milliseconds at 2,000 proposals (the sum of ~50,000 scores).
Instead, this module listens to every flush of the ORM session and, when the flush writes an
input, gives the competition a new random stamp in the same transaction. Reading the key is
then free: the competition row is loaded anyway. The stamp is random, not a counter, so a key
is never reused for different data, not even after a backup is restored or ids are reused.

Three stamps (columns of the competition):
- `ranking_stamp` changes with every input of the ranking and the statistics;
- `progress_stamp` changes with every ranking input and also with what the jury's progress
  counts read (assignments, seats, a new draft, a juror's name);
- `contracts_stamp` changes with every write of the competition's contracts and what their
  pages show besides (awards, the competition, the proposals, people's names).

Which rows are inputs is told by the packages that own them (`register_stamp_inputs`), as
phase requirements and navigation roles are: this package never imports them. A rule looks
at one new, changed or deleted object and marks the stamps it moves, either by competition id
or by the id of a row of a registered owner (`register_stamp_owner`, e.g. a proposal), whose
competitions are looked up after the flush in one statement.

The contract for code that writes input tables: write through the ORM unit of work (which
every service does). A Core UPDATE/DELETE of an input table bypasses this hook; the Core
updates in the app move optimistic-lock version numbers and write the scores of *draft*
reviews (jury.scoring.save_draft, whose claim requires status 'draft'), neither of which the
figures read; a draft is created, submitted or reopened through the ORM, so both stamps move.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any

from flask_sqlalchemy.session import Session
from sqlalchemy import Select, event, select, update

from app.competitions.models import Competition, Criterion, new_stamp

RANKING = "ranking_stamp"
PROGRESS = "progress_stamp"
BOTH = (RANKING, PROGRESS)
CONTRACTS = "contracts_stamp"
ALL = (*BOTH, CONTRACTS)

PENDING = "competition_stamps_pending"


@dataclass(frozen=True)
class Change:
    """How a flush writes one object."""

    new: bool
    deleted: bool


class Written:
    """What a flush writes, per stamp: competition ids, and ids of owner rows whose competitions are looked up later."""

    def __init__(self):
        self.ids: dict[str, dict[str | None, set[int]]] = {stamp: {} for stamp in ALL}

    def mark(self, stamps: Iterable[str], competition_id: int | None = None, *, owner: str | None = None,
             owner_id: int | None = None) -> None:
        """Move the stamps of a competition given by id, or of the competition of an owner row (e.g. a proposal)."""
        key, value = (None, competition_id) if owner is None else (owner, owner_id)
        if value is None:
            return
        for stamp in stamps:
            self.ids[stamp].setdefault(key, set()).add(value)

    def merge(self, other: Written) -> None:
        for stamp, by_owner in other.ids.items():
            for owner, ids in by_owner.items():
                self.ids[stamp].setdefault(owner, set()).update(ids)

    def __bool__(self) -> bool:
        return any(any(by_owner.values()) for by_owner in self.ids.values())


# A rule marks what writing one object moves: rule(session, obj, change, written).
Rule = Callable[[Session, Any, Change, Written], None]

_rules: dict[type, list[Rule]] = {}
# Owner name -> the statement selecting the competition ids of the given owner ids.
_owners: dict[str, Callable[[set[int]], Select]] = {}


def register_stamp_inputs(rule: Rule, *models: type) -> Rule:
    """Tell which models are inputs of the stamps, and how writing one of their rows moves them.

    Several packages may register rules for one model (a proposal moves the ranking's stamps and
    the contracts'): each rule is asked. Registering the same rule again changes nothing.
    """
    for model in models:
        rules = _rules.setdefault(model, [])
        if rule not in rules:
            rules.append(rule)
    return rule


def register_stamp_owner(name: str, competitions_of: Callable[[set[int]], Select]) -> None:
    """Tell how to find the competitions of rows marked by owner id (one statement for all ids)."""
    _owners[name] = competitions_of


def _rules_for(obj) -> list[Rule]:
    for cls in type(obj).__mro__:
        rules = _rules.get(cls)
        if rules:
            return rules
    return []


def _written(session) -> Written:
    """What this flush writes that the ranking, the progress counts or the contract pages read."""
    written = Written()
    deleted = set(session.deleted)
    for obj in chain(session.new, session.dirty, deleted):
        is_new, is_deleted = obj in session.new, obj in deleted
        if not is_new and not is_deleted and not session.is_modified(obj):
            continue  # in session.dirty without a real column change
        for rule in _rules_for(obj):
            rule(session, obj, Change(new=is_new, deleted=is_deleted), written)
    return written


def _collect(session, flush_context, instances) -> None:
    """Remember which competitions' stamped inputs this flush writes."""
    written = _written(session)
    if written:
        session.info.setdefault(PENDING, Written()).merge(written)


def _competition_ids(session, by_owner: dict[str | None, set[int]]) -> set[int]:
    competitions = set(by_owner.get(None, ()))
    for owner, ids in by_owner.items():
        if owner is not None and ids:
            competitions |= set(session.connection().scalars(_owners[owner](ids)))
    return competitions


def _stamp(session, flush_context) -> None:
    """Give every touched competition new stamps, in the flush's transaction."""
    written = session.info.pop(PENDING, None)
    if not written:
        return
    # Most writes mark both stamps through the same owners: look their competitions up once, then
    # renew the columns of each set of competitions with one UPDATE.
    found: dict[tuple, set[int]] = {}
    columns_by_competitions: dict[frozenset[int], list[str]] = {}
    for column in ALL:
        owners = written.ids[column]
        key = tuple(sorted((str(owner), tuple(sorted(ids))) for owner, ids in owners.items()))
        if key not in found:
            found[key] = _competition_ids(session, owners)
        if found[key]:
            columns_by_competitions.setdefault(frozenset(found[key]), []).append(column)
    table = Competition.__table__
    for competitions, columns in columns_by_competitions.items():
        session.connection().execute(
            update(table).where(table.c.id.in_(competitions)).values({column: new_stamp() for column in columns}))
        for obj in session.identity_map.values():
            if isinstance(obj, Competition) and obj.id in competitions:
                session.expire(obj, columns)


def _competition(session, obj: Competition, change: Change, written: Written) -> None:
    written.mark(ALL, obj.id)


def _criterion(session, obj: Criterion, change: Change, written: Written) -> None:
    # A criterion appended to competition.criteria has no competition_id before the flush.
    written.mark(BOTH, obj.competition_id if obj.competition_id is not None else getattr(obj.competition, "id", None))


class CombinedStamps:
    """Several competitions as one owner of a cached value: each stamp changes when one of theirs does."""

    def __init__(self, id: str, stamps: dict[str, str]):
        self.id = id
        self._stamps = stamps

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["_stamps"][name]
        except KeyError:
            raise AttributeError(name) from None


def combined_stamps(columns: Iterable[str], competition_id: int | None = None) -> CombinedStamps:
    """The stamps of every competition (or of one), combined, for a page over all of them (one statement)."""
    from app.extensions import db

    columns = tuple(columns)
    table = Competition.__table__
    statement = select(table.c.id, *(table.c[column] for column in columns)).order_by(table.c.id)
    if competition_id is not None:
        statement = statement.where(table.c.id == competition_id)
    rows = db.session.execute(statement).all()
    stamps = {column: hashlib.sha256("".join(f"{row[0]}:{row[i + 1]};" for row in rows).encode()).hexdigest()[:16]
              for i, column in enumerate(columns)}
    return CombinedStamps("all" if competition_id is None else str(competition_id), stamps)


def listen() -> None:
    """Renew the stamps in every flush that writes a registered input (idempotent: listens once)."""
    register_stamp_inputs(_competition, Competition)
    register_stamp_inputs(_criterion, Criterion)
    if not event.contains(Session, "before_flush", _collect):
        event.listen(Session, "before_flush", _collect)
        event.listen(Session, "after_flush_postexec", _stamp)
