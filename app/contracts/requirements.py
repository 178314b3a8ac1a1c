"""The precondition the contracts package adds to a competition's phase changes.

A competition closes only when every contract of it is completed (its networks have
delivered and been paid what they earned). Importing this module registers it.
"""

from __future__ import annotations

from sqlalchemy import select

from app.competitions.models import Competition
from app.contracts.models import Contract
from app.core.i18n import lazy_gettext as _l
from app.extensions import db


def contracts_completed(competition: Competition) -> list:
    """Every contract of the competition must be completed before it closes."""
    open_numbers = list(db.session.scalars(
        select(Contract.number).where(Contract.competition_id == competition.id, Contract.status != "completed")
        .order_by(Contract.number)))
    if not open_numbers:
        return []
    return [_l("These contracts are not completed yet: %(numbers)s.", numbers=", ".join(open_numbers))]


