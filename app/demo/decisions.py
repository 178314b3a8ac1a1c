"""The demo competition reaches its decision: three networks awarded, three on the reserve list, letters sent.

As in the Leipzig case, the jury chose the automotive suppliers, the virtual product
development and the energy and environmental technology networks. The next three in the
mean ranking go on the reserve list; all others are rejected with a rationale drawn from
their ranking figures. The step does nothing until the scoring step has produced
submitted reviews.
"""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import func, select

from app.accounts.models import User
from app.competitions.models import Competition
from app.competitions.phases import advance_phase, next_phase
from app.core.audit import record_event
from app.core.errors import DomainError
from app.decisions.letters import send_decision_letters
from app.decisions.services import (
    compute_ranking_view,
    ranks_from,
    record_decision,
    today_in,
)
from app.demo import people
from app.demo.competition import TITLE
from app.extensions import db
from app.jury.models import Review
from app.proposals.ineligibility_letters import send_ineligibility_letters
from app.proposals.models import Proposal

log = logging.getLogger(__name__)

WINNERS = {
    "NAZ": ("Das Netzwerk bündelt die Zulieferer des Leipziger Westens um ein gemeinsames Demonstrationszentrum "
            "und ein Internetportal; die Jury sieht die stärkste Verankerung im Programmgebiet und klare, "
            "messbare Ziele für die Partnerunternehmen."),
    "VPE": ("Die virtuelle Produktentwicklung verbindet Konstruktionsbüros, Modellbau und Design zu einem "
            "Angebot, das einzelne Betriebe allein nicht machen können; der geplante Leipziger Designertag "
            "macht das Netzwerk früh sichtbar."),
    "EUT": ("Das Netzwerk Energie- und Umwelttechnik erschließt mit Flächenrecycling und Energieberatung ein "
            "Wachstumsfeld des Stadtteils; Maßnahmenkatalog und Kennzahlen sind schlüssig, der Träger hat "
            "Erfahrung mit Verbundprojekten."),
}
RESERVE_COUNT = 3
RESERVE_RATIONALE = ("Eine überzeugende Netzwerkidee knapp hinter den bezuschlagten Netzwerken. Sie rückt nach, "
                     "falls eines der bezuschlagten Netzwerke nicht zustande kommt.")


def _demo_competition() -> Competition | None:
    """The Leipzig call of the demo, if the earlier steps created it."""
    return db.session.scalar(select(Competition).where(Competition.title == TITLE))


def _submitted_reviews(competition: Competition) -> int:
    """How many reviews of the competition are submitted."""
    return db.session.scalar(
        select(func.count(Review.id)).join(Proposal, Proposal.id == Review.proposal_id)
        .where(Proposal.competition_id == competition.id, Review.status == "submitted")) or 0


def _reach_decision_phase(competition: Competition, admin: User) -> None:
    """Advance phase by phase; where another package's precondition blocks, set the phase and say so."""
    while not competition.phase_at_least("decision"):
        target = next_phase(competition)
        try:
            advance_phase(competition, target, admin)
        except DomainError as refused:
            log.info("demo: %s -> %s set directly (%s)", competition.phase, target, refused)
            before = competition.phase
            competition.phase = target
            record_event("competition.phase_changed", competition, before={"phase": before},
                         after={"phase": target, "note": "demo data: preconditions not checked"}, actor=admin)


def _rejection_rationale(row) -> str:
    """A German rationale from the proposal's ranking figures."""
    if row is None:
        return "Für diese Netzwerkidee liegt kein vollständiges Gutachten vor; sie konnte nicht berücksichtigt werden."
    if not row.passed:
        failing = ", ".join(c.name_de for c in row.failing_criteria) or "Gesamtschwellenwert"
        return f"Die Netzwerkidee erreicht den Schwellenwert nicht ({failing}) und kann daher nicht gefördert werden."
    total = f"{row.total:.2f}".replace(".", ",")
    return (f"Die Netzwerkidee ist förderfähig, liegt mit einem Gesamtwert von {total} aber hinter den "
            "bezuschlagten Netzwerken und der Nachrückliste; das Budget reicht nicht für weitere Netzwerke.")


def decide_demo_competition() -> int:
    """Record the demo's decisions and queue the letters; return the number of decisions (0 when skipped)."""
    # Services translate messages for the person acting; the CLI has no request, so it acts in one.
    with current_app.test_request_context():
        return _decide(_demo_competition())


def _decide(competition: Competition | None) -> int:
    """The decisions of the demo competition, as the jury took them in the Leipzig case."""
    if competition is None or _submitted_reviews(competition) == 0:
        return 0  # the scoring step has not run: nothing to decide yet
    admin = db.session.scalar(select(User).where(User.email == people.ADMIN[0]))
    _reach_decision_phase(competition, admin)
    if competition.phase != "decision":
        return 0
    view = compute_ranking_view(competition, "mean")
    ranks = ranks_from(view)
    pool = {p.id: p for p in db.session.scalars(
        select(Proposal).where(Proposal.competition_id == competition.id, Proposal.in_jury_pool))}
    winners = {p.id: WINNERS[p.short_name] for p in pool.values() if p.short_name in WINNERS}
    ranked = [row.proposal_id for row in view.rows]
    reserve = [pid for pid in ranked if pid not in winners][:RESERVE_COUNT]
    rows = {row.proposal_id: row for row in view.rows}
    award_date = today_in(competition)
    count = 0
    for proposal_id in [*ranked, *[pid for pid in pool if pid not in rows]]:
        proposal = pool[proposal_id]
        if proposal_id in winners:
            outcome, rationale = "awarded", winners[proposal_id]
        elif proposal_id in reserve:
            outcome, rationale = "reserve", RESERVE_RATIONALE
        else:
            outcome, rationale = "rejected", _rejection_rationale(rows.get(proposal_id))
        # The jury followed the Leipzig case; budget warnings are confirmed and so recorded.
        record_decision(proposal, outcome=outcome, rationale=rationale, actor=admin, award_date=award_date,
                        meeting_note="Jurysitzung: Entscheidung einstimmig." if outcome == "awarded" else "",
                        confirm_warnings=True, rank=ranks.get(proposal_id))
        count += 1
    send_decision_letters(competition, admin)
    send_ineligibility_letters(competition, admin)
    return count
