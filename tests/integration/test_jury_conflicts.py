"""Conflicts of interest: declared by jurors, detected, added and lifted by admins, kept out of the scores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.jury.conflicts import declare_conflict, detect_and_store_conflicts, lift_conflict
from app.jury.models import Assignment, Conflict, Review
from app.proposals.models import ProposalPartner
from app.ranking.data import score_rows
from tests.builders.jury import (
    add_review,
    juror,
    pool_proposal,
    review_competition,
)
from tests.factories import AdminFactory, AssignmentFactory, ConflictFactory, UserFactory
from tests.web import login, post_form


def conflicts_of(db, user):
    db.session.expire_all()
    return db.session.scalars(select(Conflict).where(Conflict.user_id == user.id).order_by(Conflict.id)).all()


def actions(db, prefix="jury.conflict"):
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like(f"{prefix}%"))
                              .order_by(AuditEvent.id)).all()


# --- the juror's conflicts page --------------------------------------------------------

def test_juror_declares_a_conflict_with_a_reason_and_it_is_audited(db, client):
    competition = review_competition()
    proposal = pool_proposal(competition, network_name="Netzwerk Gießerei", lead_name="Gießerei Plagwitz GmbH")
    member = juror(competition)
    login(client, member.email)

    page = client.get(f"/jury/competitions/{competition.id}/conflicts").get_data(as_text=True)
    assert "Netzwerk Gießerei" in page and "Gießerei Plagwitz GmbH" in page
    response = post_form(client, f"/jury/competitions/{competition.id}/conflicts",
                         {"proposal_id": str(proposal.id), f"p{proposal.id}-reason": "Ich berate den Träger."})

    assert response.status_code == 302
    [conflict] = conflicts_of(db, member)
    assert (conflict.proposal_id, conflict.source, conflict.reason, conflict.status) == (
        proposal.id, "declared", "Ich berate den Träger.", "active")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.conflict_declared"))
    assert event.actor_id == member.id and event.after["reason"] == "Ich berate den Träger."


def test_a_conflict_without_a_reason_is_refused_and_nothing_is_stored(db, client):
    competition = review_competition()
    proposal = pool_proposal(competition)
    member = juror(competition)
    login(client, member.email)
    response = post_form(client, f"/jury/competitions/{competition.id}/conflicts",
                         {"proposal_id": str(proposal.id), f"p{proposal.id}-reason": "   "})
    assert response.status_code == 200
    assert "Bitte geben Sie einen Grund an." in response.get_data(as_text=True)
    assert conflicts_of(db, member) == []


def test_blind_review_shows_titles_only(db, client):
    competition = review_competition(blind_review=True)
    proposal = pool_proposal(competition, network_name="Netzwerk Anonym", lead_name="Geheimträger GmbH")
    db.session.add(ProposalPartner(proposal_id=proposal.id, organisation="Verborgene Partner AG", position=1))
    db.session.commit()
    login(client, juror(competition).email)
    page = client.get(f"/jury/competitions/{competition.id}/conflicts").get_data(as_text=True)
    assert "Netzwerk Anonym" in page
    assert "Geheimträger" not in page and "Verborgene Partner" not in page


def test_only_the_jury_pool_is_listed(db, client):
    competition = review_competition()
    pool_proposal(competition, network_name="Netzwerk Förderfähig")
    pool_proposal(competition, network_name="Netzwerk Abgelehnt", eligibility="not_eligible")
    login(client, juror(competition).email)
    page = client.get(f"/jury/competitions/{competition.id}/conflicts").get_data(as_text=True)
    assert "Netzwerk Förderfähig" in page and "Netzwerk Abgelehnt" not in page


def test_a_juror_without_signed_declaration_sees_no_proposal(db, client):
    competition = review_competition()
    pool_proposal(competition, network_name="Netzwerk Geheim")
    member = juror(competition, signed=False)
    login(client, member.email)

    response = client.get(f"/jury/competitions/{competition.id}/conflicts")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jury/competitions/{competition.id}/declaration")
    page = client.get(f"/jury/competitions/{competition.id}/declaration").get_data(as_text=True)
    assert "Netzwerk Geheim" not in page
    assert "Vertraulichkeits- und Unbefangenheitserklärung" in page


def test_declaring_after_assignment_removes_the_assignment_and_flags_the_proposal(app, db, client):
    admin = AdminFactory()
    competition = review_competition(reviews_per_proposal=1)
    proposal = pool_proposal(competition, network_name="Netzwerk Nachträglich")
    member = juror(competition)
    AssignmentFactory(proposal=proposal, user=member)
    draft = add_review(db, proposal, member, status="draft")

    login(client, member.email)
    response = post_form(client, f"/jury/competitions/{competition.id}/conflicts",
                         {"proposal_id": str(proposal.id), f"p{proposal.id}-reason": "Neue Beteiligung."},
                         follow_redirects=True)
    assert "Ihre Zuweisung zu diesem Antrag wurde aufgehoben" in response.get_data(as_text=True)
    assert db.session.scalars(select(Assignment)).all() == []
    assert db.session.get(Review, draft.id) is not None  # kept for the record, hidden from everyone's figures
    assert actions(db, "jury.") == ["jury.conflict_declared", "jury.assignment_removed"]

    admin_client = app.test_client()
    login(admin_client, admin.email)
    page = admin_client.get(f"/admin/competitions/{competition.id}/assignments").get_data(as_text=True)
    assert "Anträge mit zu wenigen Jurymitgliedern" in page and "Netzwerk Nachträglich" in page


def test_a_conflicted_jurors_submitted_review_is_excluded_from_the_score_rows(db, in_request):
    competition = review_competition()
    proposal = pool_proposal(competition)
    honest, conflicted = juror(competition), juror(competition)
    add_review(db, proposal, honest, values=(4,))
    add_review(db, proposal, conflicted, values=(1,))
    assert {r.juror_id for r in score_rows(competition.id)} == {honest.id, conflicted.id}

    declare_conflict(conflicted, proposal, reason="Spät bemerkt: Mein Arbeitgeber ist Partner.")
    db.session.commit()
    assert {r.juror_id for r in score_rows(competition.id)} == {honest.id}

    lift_conflict(conflicts_of(db, conflicted)[0], reason="Irrtum", actor=AdminFactory())
    db.session.commit()
    assert {r.juror_id for r in score_rows(competition.id)} == {honest.id, conflicted.id}


def test_a_juror_cannot_declare_for_a_proposal_outside_the_pool(db, client):
    competition = review_competition()
    outside = pool_proposal(competition, eligibility="not_eligible")
    member = juror(competition)
    login(client, member.email)
    response = post_form(client, f"/jury/competitions/{competition.id}/conflicts",
                         {"proposal_id": str(outside.id), f"p{outside.id}-reason": "x"})
    assert response.status_code == 404
    assert conflicts_of(db, member) == []


# --- detection -------------------------------------------------------------------------

def test_detection_stores_conflicts_once_and_never_re_adds_a_lifted_one(db, in_request):
    admin = AdminFactory()
    competition = review_competition()
    proposal = pool_proposal(competition, lead_name="Maschinenbau Leutzsch GmbH",
                             lead_contact_email="info@maschinenbau-leutzsch.example")
    partner_case = pool_proposal(competition)
    db.session.add(ProposalPartner(proposal_id=partner_case.id, organisation="Druckerei West e.V.", position=1))
    db.session.commit()
    colleague = juror(competition, organisation="Maschinenbau Leutzsch mbH", email="a@andere.example")
    same_domain = juror(competition, organisation="Privat", email="chef@maschinenbau-leutzsch.example")
    partner = juror(competition, organisation="Druckerei West")
    free_mail = juror(competition, organisation="Privat", email="someone@web.de")
    pool_proposal(competition, lead_contact_email="kontakt@web.de")

    created = detect_and_store_conflicts(competition, actor=admin)
    db.session.commit()

    found = {(c.user_id, c.proposal_id): c.reason_code for c in created}
    assert found == {(colleague.id, proposal.id): "same_organisation",
                     (same_domain.id, proposal.id): "same_email_domain",
                     (partner.id, partner_case.id): "named_partner"}
    assert all(c.source == "detected" and c.status == "active" for c in created)
    assert conflicts_of(db, free_mail) == []
    assert actions(db).count("jury.conflict_detected") == 3

    lift_conflict(conflicts_of(db, colleague)[0], reason="Andere Niederlassung, kein Kontakt.", actor=admin)
    db.session.commit()
    assert detect_and_store_conflicts(competition, actor=admin) == []
    db.session.commit()
    assert [c.status for c in conflicts_of(db, colleague)] == ["lifted"]


def test_detection_button_and_admin_add_and_lift_are_audited(db, client):
    admin = AdminFactory()
    competition = review_competition()
    proposal = pool_proposal(competition, network_name="Netzwerk Prüfung", lead_name="Holzbau Kleinzschocher GmbH")
    insider = juror(competition, name="Ida Insider", organisation="Holzbau Kleinzschocher")
    other = juror(competition, name="Otto Anders", organisation="Universität Leipzig")
    AssignmentFactory(proposal=proposal, user=other)
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/conflicts"

    response = post_form(client, f"{base}/detect", {}, token_from=base, follow_redirects=True)
    assert "1 neue Befangenheit gefunden" in response.get_data(as_text=True)
    assert [c.source for c in conflicts_of(db, insider)] == ["detected"]

    response = post_form(client, f"{base}/add", {"proposal_id": str(proposal.id), "user_id": str(other.id),
                                                 "reason": ""}, token_from=base)
    assert response.status_code == 200 and conflicts_of(db, other) == []
    response = post_form(client, f"{base}/add", {"proposal_id": str(proposal.id), "user_id": str(other.id),
                                                 "reason": "Hat den Antrag mitgeschrieben."}, token_from=base)
    assert response.status_code == 302
    [added] = conflicts_of(db, other)
    assert (added.source, added.created_by_id, added.reason) == ("admin", admin.id, "Hat den Antrag mitgeschrieben.")
    assert db.session.scalars(select(Assignment)).all() == []  # the conflicted juror's assignment went

    lift_page = f"{base}/{added.id}/lift"
    response = post_form(client, lift_page, {"reason": ""})
    assert response.status_code == 200 and conflicts_of(db, other)[0].status == "active"
    response = post_form(client, lift_page, {"reason": "Nur Korrektur gelesen."})
    assert response.status_code == 302
    lifted = conflicts_of(db, other)[0]
    assert (lifted.status, lifted.lifted_by_id, lifted.lift_reason) == ("lifted", admin.id, "Nur Korrektur gelesen.")

    recorded = actions(db)
    assert "jury.conflict_detected" in recorded and "jury.conflict_detection_run" in recorded
    assert recorded[-2:] == ["jury.conflict_added", "jury.conflict_lifted"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.conflict_lifted"))
    assert event.before["status"] == "active" and event.after["lift_reason"] == "Nur Korrektur gelesen."

    page = client.get(base).get_data(as_text=True)
    assert "Ida Insider" in page and "Gleiche Organisation wie der Netzwerkträger" in page


def test_admin_add_refuses_someone_outside_the_jury(db, in_request):
    from app.jury.conflicts import add_conflict

    competition = review_competition()
    with pytest.raises(DomainError):
        add_conflict(pool_proposal(competition), UserFactory(), reason="x", actor=AdminFactory())


def test_a_conflict_of_another_competition_is_not_found(db, client):
    admin = AdminFactory()
    competition, other = review_competition(), review_competition()
    conflict = ConflictFactory(proposal=pool_proposal(other), user=juror(other))
    login(client, admin.email)
    assert client.get(f"/admin/competitions/{competition.id}/conflicts/{conflict.id}/lift").status_code == 404
    assert client.get(f"/admin/competitions/{other.id}/conflicts/{conflict.id}/lift").status_code == 200


def test_declaring_twice_is_refused(db, in_request):
    competition = review_competition()
    proposal = pool_proposal(competition)
    member = juror(competition)
    declare_conflict(member, proposal, reason="a")
    with pytest.raises(DomainError):
        declare_conflict(member, proposal, reason="b")
