"""Assignment of reviewers: automatic runs respect conflicts and name short proposals; manual changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.jury.assignment import add_assignment, assign_automatically, remove_assignment, replace_reviewer
from app.jury.models import Assignment, Conflict
from tests.builders.jury import (
    add_review,
    juror,
    pool_proposal,
    review_competition,
)
from tests.factories import AdminFactory, AssignmentFactory, ConflictFactory
from tests.web import login, post_form


def pairs(db, competition):
    db.session.expire_all()
    rows = db.session.scalars(select(Assignment).where(Assignment.proposal.has(competition_id=competition.id))).all()
    return {(a.user_id, a.proposal_id) for a in rows}


# --- automatic assignment --------------------------------------------------------------

def test_automatic_assignment_gives_k_reviewers_and_never_a_conflicted_pair(db, in_request):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=2)
    proposals = [pool_proposal(competition) for _ in range(4)]
    jurors = [juror(competition) for _ in range(3)]
    ConflictFactory(proposal=proposals[0], user=jurors[0])
    ConflictFactory(proposal=proposals[1], user=jurors[1])

    outcome = assign_automatically(competition, full_panel=False, actor=admin)
    db.session.commit()

    stored = pairs(db, competition)
    assert (jurors[0].id, proposals[0].id) not in stored
    assert (jurors[1].id, proposals[1].id) not in stored
    for proposal in proposals:
        assert sum(1 for _j, p in stored if p == proposal.id) == 2
    assert outcome.short == []
    assert len(outcome.created) == 8
    assert {a.source for a in db.session.scalars(select(Assignment))} == {"auto"}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.assigned_automatically"))
    assert event.actor_id == admin.id and len(event.after["created"]) == 8


def test_automatic_assignment_keeps_existing_assignments_and_skips_unsigned_jurors_and_other_proposals(db, in_request):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=2)
    proposal = pool_proposal(competition)
    not_eligible = pool_proposal(competition, eligibility="not_eligible")
    first, second = juror(competition), juror(competition)
    unsigned = juror(competition, signed=False)
    AssignmentFactory(proposal=proposal, user=first, source="manual")

    assign_automatically(competition, full_panel=False, actor=admin)
    db.session.commit()

    assert pairs(db, competition) == {(first.id, proposal.id), (second.id, proposal.id)}
    assert db.session.scalar(select(Assignment.source).where(Assignment.user_id == first.id)) == "manual"
    assert not any(u == unsigned.id or p == not_eligible.id for u, p in pairs(db, competition))


def test_proposals_that_cannot_get_k_reviewers_are_named(db, in_request, client):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=2)
    easy = pool_proposal(competition, network_name="Netzwerk Leichtbau")
    hard = pool_proposal(competition, network_name="Netzwerk Kreativwirtschaft")
    a, b = juror(competition), juror(competition)
    ConflictFactory(proposal=hard, user=a)

    login(client, admin.email)
    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/auto", {},
                         token_from=f"/admin/competitions/{competition.id}/assignments", follow_redirects=True)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "1 Antrag hat nicht genug Jurymitglieder erhalten: Netzwerk Kreativwirtschaft (1 von 2)" in page
    assert pairs(db, competition) == {(a.id, easy.id), (b.id, easy.id), (b.id, hard.id)}
    # The page keeps naming it as short until someone is found.
    again = client.get(f"/admin/competitions/{competition.id}/assignments").get_data(as_text=True)
    assert "Anträge mit zu wenigen Jurymitgliedern" in again and "Netzwerk Kreativwirtschaft" in again


def test_automatic_assignment_runs_conflict_detection_first(db, in_request):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=1)
    proposal = pool_proposal(competition, lead_name="Stahlbau Lindenau GmbH")
    insider = juror(competition, organisation="Stahlbau Lindenau")
    outsider = juror(competition, organisation="Universität Leipzig")

    outcome = assign_automatically(competition, full_panel=False, actor=admin)
    db.session.commit()

    assert outcome.new_conflicts == 1
    assert pairs(db, competition) == {(outsider.id, proposal.id)}
    conflict = db.session.scalar(select(Conflict).where(Conflict.user_id == insider.id))
    assert (conflict.source, conflict.reason_code) == ("detected", "same_organisation")


def test_full_panel_assigns_every_juror_without_a_conflict(db, in_request):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=1)
    proposals = [pool_proposal(competition) for _ in range(2)]
    jurors = [juror(competition) for _ in range(3)]
    ConflictFactory(proposal=proposals[1], user=jurors[2])

    assign_automatically(competition, full_panel=True, actor=admin)
    db.session.commit()

    expected = {(j.id, p.id) for j in jurors for p in proposals} - {(jurors[2].id, proposals[1].id)}
    assert pairs(db, competition) == expected


@pytest.mark.parametrize("phase", ["precheck", "consensus"])
def test_assignment_is_refused_outside_the_review_phase(db, in_request, phase):
    admin = AdminFactory()
    competition = review_competition(phase=phase)
    proposal = pool_proposal(competition)
    member = juror(competition)
    with pytest.raises(DomainError, match="Bewertungsphase|review phase"):
        assign_automatically(competition, full_panel=False, actor=admin)
    with pytest.raises(DomainError):
        add_assignment(proposal, member, actor=admin)
    assert pairs(db, competition) == set()


# --- manual changes --------------------------------------------------------------------

def test_manual_add_of_a_conflicted_juror_is_refused_with_a_message(db, client):
    admin = AdminFactory()
    competition = review_competition()
    proposal = pool_proposal(competition, network_name="Netzwerk Holz")
    member = juror(competition, name="Erika Befangen")
    ConflictFactory(proposal=proposal, user=member)

    login(client, admin.email)
    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/proposals/{proposal.id}/add",
                         {f"p{proposal.id}-user_id": str(member.id)},
                         token_from=f"/admin/competitions/{competition.id}/assignments")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "Erika Befangen ist bei diesem Antrag befangen und kann nicht zugewiesen werden." in page
    assert pairs(db, competition) == set()


def test_manual_add_and_remove_are_stored_as_manual_and_audited(db, client):
    admin = AdminFactory()
    competition = review_competition()
    proposal = pool_proposal(competition)
    member = juror(competition)

    login(client, admin.email)
    token_page = f"/admin/competitions/{competition.id}/assignments"
    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/proposals/{proposal.id}/add",
                         {f"p{proposal.id}-user_id": str(member.id)}, token_from=token_page)
    assert response.status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.user_id, assignment.source, assignment.created_by_id) == (member.id, "manual", admin.id)

    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/{assignment.id}/remove", {},
                         token_from=token_page)
    assert response.status_code == 302
    assert pairs(db, competition) == set()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("jury.assignment_%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["jury.assignment_added", "jury.assignment_removed"]


def test_unsigned_juror_cannot_be_assigned_by_hand(db, in_request):
    competition = review_competition()
    proposal = pool_proposal(competition)
    with pytest.raises(DomainError, match="Erklärung|declaration"):
        add_assignment(proposal, juror(competition, signed=False), actor=AdminFactory())


def test_an_assignment_with_a_submitted_review_cannot_be_removed(db, in_request):
    competition = review_competition()
    proposal = pool_proposal(competition)
    member = juror(competition)
    assignment = AssignmentFactory(proposal=proposal, user=member)
    add_review(db, proposal, member, status="submitted")
    with pytest.raises(DomainError):
        remove_assignment(assignment, actor=AdminFactory())


def test_an_assignment_of_another_competition_is_not_found(db, client):
    admin = AdminFactory()
    competition, other = review_competition(), review_competition()
    assignment = AssignmentFactory(proposal=pool_proposal(other), user=juror(other))
    login(client, admin.email)
    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/{assignment.id}/remove", {},
                         token_from=f"/admin/competitions/{competition.id}/assignments")
    assert response.status_code == 404
    assert db.session.get(Assignment, assignment.id) is not None


# --- replacement -----------------------------------------------------------------------

def test_replace_assigns_the_non_conflicted_juror_with_the_lowest_load(db, in_request):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=2)
    target = pool_proposal(competition)
    others = [pool_proposal(competition) for _ in range(2)]
    keeper, busy, idle, conflicted = (juror(competition) for _ in range(4))
    AssignmentFactory(proposal=target, user=keeper)
    for proposal in others:
        AssignmentFactory(proposal=proposal, user=busy)
    ConflictFactory(proposal=target, user=conflicted)

    assignment = replace_reviewer(target, actor=admin)
    db.session.commit()

    assert assignment.user_id == idle.id
    assert {u for u, p in pairs(db, competition) if p == target.id} == {keeper.id, idle.id}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.reviewer_replaced")) is not None


def test_replace_prefers_the_better_match_among_equally_loaded_jurors(db, in_request):
    competition = review_competition(reviews_per_proposal=1)
    target = pool_proposal(competition, sector="Medien", keywords="Film, Games")
    juror(competition)
    expert = juror(competition)
    from app.jury.models import JuryMembership

    membership = db.session.scalar(select(JuryMembership).where(JuryMembership.user_id == expert.id))
    membership.sectors, membership.keywords = ["Medien"], "Games"
    db.session.commit()

    assert replace_reviewer(target, actor=AdminFactory()).user_id == expert.id


def test_replace_after_a_declared_conflict_refills_the_proposal(db, client):
    from app.jury.conflicts import declare_conflict

    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=1)
    proposal = pool_proposal(competition, network_name="Netzwerk Ersatz")
    first, spare = juror(competition), juror(competition)
    AssignmentFactory(proposal=proposal, user=first)
    with client.application.test_request_context():
        declare_conflict(first, proposal, reason="Mein Bruder leitet den Träger.")
        db.session.commit()
    assert pairs(db, competition) == set()

    login(client, admin.email)
    page = client.get(f"/admin/competitions/{competition.id}/assignments").get_data(as_text=True)
    assert "Ersatz finden" in page and "0 von 1 Jurymitgliedern" in page
    response = post_form(client, f"/admin/competitions/{competition.id}/assignments/proposals/{proposal.id}/replace",
                         {}, token_from=f"/admin/competitions/{competition.id}/assignments")
    assert response.status_code == 302
    assert pairs(db, competition) == {(spare.id, proposal.id)}


def test_replace_without_a_free_juror_says_so(db, in_request):
    competition = review_competition(reviews_per_proposal=2)
    proposal = pool_proposal(competition)
    only = juror(competition)
    AssignmentFactory(proposal=proposal, user=only)
    with pytest.raises(DomainError, match="Jurymitglied|juror"):
        replace_reviewer(proposal, actor=AdminFactory())
