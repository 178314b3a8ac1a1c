"""The demo's decision step: the Leipzig winners, a reserve list, rejections and letters; skipped without reviews."""

from __future__ import annotations

from sqlalchemy import func, select

from app.competitions.models import Competition
from app.core import cache
from app.core.models import AuditEvent, OutboxMessage
from app.decisions.models import Decision
from app.demo import decisions, jury, people, proposals
from app.proposals.models import Proposal

WINNERS = {"NAZ", "VPE", "EUT"}


def test_the_demo_reaches_its_decision_with_the_leipzig_winners(runner, db):
    cache.clear()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    competition = db.session.scalar(select(Competition))
    assert competition.phase_at_least("decision")
    pool = db.session.scalars(select(Proposal).where(Proposal.status == "submitted",
                                                     Proposal.eligibility == "eligible")).all()
    outcomes = {d.proposal.short_name: d for d in db.session.scalars(select(Decision))}
    assert len(outcomes) == len(pool)
    assert {name for name, d in outcomes.items() if d.outcome == "awarded"} == WINNERS
    assert sum(d.outcome == "reserve" for d in outcomes.values()) == 3
    assert sum(d.outcome == "rejected" for d in outcomes.values()) == len(pool) - 6
    assert all(d.rationale and d.letter_sent_at and d.decided_by_id for d in outcomes.values())
    assert all(d.award_date is not None for d in outcomes.values() if d.outcome == "awarded")
    assert "Netzwerk" in outcomes["NAZ"].rationale and "Nachrückliste" not in outcomes["NAZ"].rationale
    letters = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "decision_letter")).all()
    assert len(letters) == len(pool) and all(m.locale == "de" for m in letters)
    ineligible = db.session.scalars(select(Proposal).where(Proposal.eligibility == "not_eligible")).all()
    assert ineligible and all(p.ineligibility_letter_id for p in ineligible)
    notices = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "ineligibility_letter")).all()
    assert len(notices) == len(ineligible) and all("Widerspruch" in m.body for m in notices)
    phase_events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "competition.phase_changed")
                                      .order_by(AuditEvent.id)).all()
    assert phase_events[-1].after["phase"] == "decision"


def test_the_step_does_nothing_before_any_review(db):
    people.create_people()
    proposals.create_demo_call()
    jury.create_demo_jury()
    db.session.commit()
    assert decisions.decide_demo_competition() == 0
    assert db.session.scalar(select(func.count(Decision.id))) == 0
