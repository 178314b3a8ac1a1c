"""Pseudonyms for jurors: "Juror A", "Juror B", ... per proposal.

Jurors see each other's reviews and posts under letters, administrators see names. Letters
are handed out per proposal in the order in which jurors first took part (first review
saved, first post), so a letter never changes once given, and the same person usually
carries different letters on different proposals.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.jury.models import DiscussionPost, JuryMembership, Review
from app.proposals.models import Proposal

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(index: int) -> str:
    """Spreadsheet-style letters: 0 -> A, 25 -> Z, 26 -> AA, 27 -> AB."""
    if index < 0:
        raise ValueError("index must not be negative")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(ALPHABET))
        letters = ALPHABET[rest] + letters
    return letters


def assign_letters(first_seen: Iterable[tuple[int, datetime]]) -> dict[int, str]:
    """Letters by first appearance (ties by user id); a user listed twice keeps the earlier time."""
    earliest: dict[int, datetime] = {}
    for user_id, seen in first_seen:
        if user_id not in earliest or seen < earliest[user_id]:
            earliest[user_id] = seen
    order = sorted(earliest, key=lambda user_id: (earliest[user_id], user_id))
    return {user_id: letter(index) for index, user_id in enumerate(order)}


def proposal_pseudonyms(proposal: Proposal) -> dict[int, str]:
    """The letters of every juror who reviewed or discussed the proposal (jury members only)."""
    members = select(JuryMembership.user_id).where(JuryMembership.competition_id == proposal.competition_id)
    reviews = db.session.execute(
        select(Review.user_id, Review.created_at).where(Review.proposal_id == proposal.id,
                                                        Review.user_id.in_(members))
    ).all()
    posts = db.session.execute(
        select(DiscussionPost.author_id, func.min(DiscussionPost.created_at))
        .where(DiscussionPost.proposal_id == proposal.id, DiscussionPost.author_id.in_(members))
        .group_by(DiscussionPost.author_id)
    ).all()
    return assign_letters([*((u, t) for u, t in reviews), *((u, t) for u, t in posts)])
