"""Keys of the contract page's body and of the portfolio for app/core/render_cache.

The body (facts, milestones, payments, charts) digests the contract, its competition and all
children it has just loaded; it also depends on the language, the funder's today (overdue
marks, the timeline's today line), whether the admin or the operator looks and whether the
operator may report. The portfolio digests every contract line, source sum and award it has
just loaded, and depends on the language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from app.contracts.models import Contract
from app.contracts.queries import Portfolio
from app.core.render_cache import digest_of, part_key


def _loaded_objects(contract: Contract) -> Iterable[object]:
    """The contract, its competition and every child the contract page loaded with it."""
    yield contract
    yield contract.competition
    for collection in (contract.operators, contract.funding_shares, contract.approval_steps, contract.team_members,
                       contract.documents, contract.amendments):
        yield from collection
    for payment in contract.payments:
        yield payment
        yield from payment.parts
    for milestone in contract.milestones:
        yield milestone
        for report in milestone.reports:
            yield report
            yield from report.files


def body_key(contract: Contract, *, language: str, today: date, admin_view: bool, may_report: bool) -> str:
    """The key of a contract's body as this viewer sees it today."""
    return part_key(f"contract-body:{contract.id}", digest_of(_loaded_objects(contract)),
                    language, today.isoformat(), int(admin_view), int(may_report))


def portfolio_key(data: Portfolio, *, competition_id: int | None, language: str) -> str:
    """The key of the portfolio's content (all contracts, or one competition's)."""
    objects = []
    for line in data.lines:
        objects += [line.contract, line.contract.competition, line.contract.proposal]
    for decision in data.awaiting:
        objects += [decision, decision.proposal, decision.proposal.competition]
    figures = ([(line.paid_cents, line.open_reports, line.next_due) for line in data.lines],
               [(source.source, source.committed_cents, source.paid_cents) for source in data.sources])
    return part_key(f"portfolio:{competition_id or 'all'}", digest_of(objects, *figures), language)
