"""The preconditions this package knows for a competition's phase changes.

Importing this module registers them with app.competitions.phases; higher packages add
their own requirements the same way.
"""

from __future__ import annotations

from app.competitions.models import Competition
from app.competitions.rules import HUNDRED, funding_share_total
from app.core.formatting import Quantity
from app.core.i18n import lazy_gettext as _l
from app.core.time import utcnow


class _DeadlineText:
    """The deadline in the competition's zone, formatted when the message is shown."""

    def __init__(self, competition: Competition):
        self.value = competition.submission_deadline
        self.zone = competition.timezone

    def __str__(self) -> str:
        from app.competitions.display import format_in_zone

        return format_in_zone(self.value, self.zone)


def call_has_title(competition: Competition) -> list:
    """A published call needs a title."""
    return [] if (competition.title or "").strip() else [_l("The title is missing.")]


def call_has_text(competition: Competition) -> list:
    """A published call needs its text."""
    return [] if (competition.call_text or "").strip() else [_l("The call text is missing.")]


def deadline_in_future(competition: Competition) -> list:
    """Applicants need time: the submission deadline must be set and lie ahead."""
    if competition.submission_deadline is None:
        return [_l("The submission deadline is missing.")]
    if competition.submission_deadline <= utcnow():
        return [_l("The submission deadline (%(deadline)s) must lie in the future.",
                   deadline=_DeadlineText(competition))]
    return []


def has_criteria(competition: Competition) -> list:
    """The published criteria are what the jury may judge by, so there must be some."""
    return [] if competition.criteria else [_l("At least one evaluation criterion is needed.")]


def funding_shares_complete(competition: Competition) -> list:
    """The funding shares must sum to exactly 100 % before contracts can be split by them."""
    total = funding_share_total(competition.funding_sources or [])
    if total == HUNDRED:
        return []
    return [_l("The funding shares must add up to 100 %% (now: %(total)s %%).", total=Quantity(total))]


def submission_deadline_passed(competition: Competition) -> list:
    """The pre-check starts only once no more proposals can come in."""
    if competition.submission_deadline is None:
        return [_l("The submission deadline is missing.")]
    if not competition.deadline_passed():
        return [_l("The submission deadline (%(deadline)s) has not passed yet.",
                   deadline=_DeadlineText(competition))]
    return []

