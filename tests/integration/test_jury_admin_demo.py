"""The demo jury step: signed jurors with expertise, declared conflicts, review phase, three reviewers each."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from app.competitions.models import Competition
from app.demo import jury as demo_jury
from app.demo import people
from app.jury.models import Assignment, Conflict, JuryMembership
from app.proposals.models import Proposal


def test_demo_seats_the_jury_declares_conflicts_and_assigns_three_reviewers(runner, db):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    db.session.expire_all()

    competition = db.session.scalar(select(Competition))
    assert competition.phase_at_least("review")
    memberships = db.session.scalars(select(JuryMembership)).all()
    assert sorted(m.user.email for m in memberships) == sorted(email for email, _n, _o in people.JURORS)
    assert all(m.has_signed_declaration and m.sectors and m.keywords for m in memberships)
    assert all(set(m.sectors) <= set(competition.sectors) for m in memberships)

    declared = db.session.scalars(select(Conflict).where(Conflict.source == "declared")).all()
    assert len(declared) == len(demo_jury.DECLARED_CONFLICTS)
    assert all(c.reason and c.status == "active" for c in declared)

    eligible = db.session.scalars(select(Proposal.id).where(Proposal.status == "submitted",
                                                            Proposal.eligibility == "eligible")).all()
    assignments = db.session.scalars(select(Assignment)).all()
    per_proposal = Counter(a.proposal_id for a in assignments)
    assert set(per_proposal) == set(eligible)
    assert set(per_proposal.values()) == {3}
    conflicted = {(c.user_id, c.proposal_id) for c in db.session.scalars(select(Conflict))}
    assert not conflicted & {(a.user_id, a.proposal_id) for a in assignments}
    loads = Counter(a.user_id for a in assignments)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_demo_jury_step_does_nothing_without_a_competition(db):
    people.create_people()
    demo_jury.create_demo_jury()
    assert db.session.scalars(select(JuryMembership)).all() == []
