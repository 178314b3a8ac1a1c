"""Consensus: rapporteur, drafting, proposing, approvals, admin confirmation, ranking, decision gate; discussion."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.competitions.phases import unmet_requirements
from app.core.models import AuditEvent, OutboxMessage
from app.extensions import db as _db
from app.jury.consensus import consensus_of, decision_requirement
from app.jury.models import Consensus, ConsensusApproval, DiscussionPost
from app.ranking.data import consensus_scores
from tests.builders.jury import assigned_juror, juror, pool_proposal
from tests.builders.scoring import form_version, review_competition, submitted_review
from tests.factories import AdminFactory, ConflictFactory, ReviewFactory
from tests.web import csrf_token, post_form


@pytest.fixture
def contested(db):
    """A proposal with three submitted reviews that disagree strongly, and a conflicted juror."""
    competition = review_competition(phase="consensus")
    proposal = pool_proposal(competition)
    a = assigned_juror(proposal, name="Anna Berichterstatterin", email="anna@uni.example")
    b = assigned_juror(proposal, name="Bernd Zweiter", email="bernd@ihk.example")
    c = assigned_juror(proposal, name="Clara Dritte", email="clara@sab.example")
    submitted_review(a, proposal, [4, 4])
    submitted_review(b, proposal, [1, 1.5])
    submitted_review(c, proposal, [5, 4.5])
    conflicted = juror(competition, name="Konrad Befangen", email="konrad@traeger.example")
    ConflictFactory(proposal=proposal, user=conflicted)
    return {"competition": competition, "proposal": proposal, "a": a, "b": b, "c": c, "conflicted": conflicted}


def _logout(client):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def _name_rapporteur(client, login_as, setting, user):
    login_as(AdminFactory())
    url = f"/jury/proposals/{setting['proposal'].id}/consensus"
    response = post_form(client, f"/admin/proposals/{setting['proposal'].id}/rapporteur",
                         {"rapporteur_id": user.id}, token_from=url)
    _logout(client)
    return response


def _consensus_data(competition, values, comments, report="Die Jury sieht ein tragfähiges Netzwerk.", **extra):
    data = {"report": report, "minority_view": extra.pop("minority_view", "")}
    for index, criterion in enumerate(competition.criteria):
        data[f"value_{criterion.id}"] = values[index] if index < len(values) else ""
        data[f"comment_{criterion.id}"] = comments[index] if index < len(comments) else ""
        data[f"minority_{criterion.id}"] = ""
    data.update(extra)
    return data


# --- rapporteur ---------------------------------------------------------------------------------------


def test_admin_names_a_rapporteur_audited_and_mailed(client, login_as, contested):
    response = _name_rapporteur(client, login_as, contested, contested["a"])
    assert response.status_code == 302
    report = consensus_of(contested["proposal"].id)
    assert report.rapporteur_id == contested["a"].id and report.status == "draft"
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consensus.rapporteur_named"))
    mail = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "consensus_rapporteur"))
    assert mail.recipient == contested["a"].email


def test_a_conflicted_juror_cannot_be_rapporteur(client, login_as, contested):
    response = _name_rapporteur(client, login_as, contested, contested["conflicted"])
    assert response.status_code == 200
    assert consensus_of(contested["proposal"].id) is None


def test_rapporteur_choice_lists_no_conflicted_juror(client, login_as, contested):
    login_as(AdminFactory())
    body = client.get(f"/jury/proposals/{contested['proposal'].id}/consensus").get_data(as_text=True)
    assert "Anna Berichterstatterin" in body and "Konrad Befangen" not in body


# --- drafting, proposing, approving -------------------------------------------------------------------


def test_only_the_rapporteur_may_write_the_report(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    login_as(contested["b"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus"
    data = _consensus_data(contested["competition"], ["3", "3"], ["x", "y"], version="1", save_draft="1")
    assert post_form(client, url, data).status_code == 403
    assert consensus_of(contested["proposal"].id).report == ""


def test_proposing_needs_scores_comments_and_report(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    login_as(contested["a"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus"
    version = form_version(client.get(url).get_data(as_text=True))
    response = post_form(client, url, _consensus_data(contested["competition"], ["3.5", ""], ["Gut belegt."],
                                                      version=version, propose="1"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie die vereinbarte Punktzahl an." in body and "Gut belegt." in body
    assert consensus_of(contested["proposal"].id).status == "draft"


def test_off_scale_agreed_score_is_refused(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    login_as(contested["a"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus"
    version = form_version(client.get(url).get_data(as_text=True))
    response = post_form(client, url, _consensus_data(contested["competition"], ["3.3", "3"], ["a", "b"],
                                                      version=version, save_draft="1"))
    assert "Schritten von 0,5" in response.get_data(as_text=True)
    assert consensus_of(contested["proposal"].id).scores == []


def test_proposing_waits_for_every_assigned_review(client, login_as, contested):
    late = assigned_juror(contested["proposal"], name="Lukas Spät")
    ReviewFactory(proposal=contested["proposal"], user=late, status="draft")
    _name_rapporteur(client, login_as, contested, contested["a"])
    login_as(contested["a"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus"
    version = form_version(client.get(url).get_data(as_text=True))
    response = post_form(client, url, _consensus_data(contested["competition"], ["3.5", "3"], ["a", "b"],
                                                      version=version, propose="1"))
    assert "noch nicht eingereicht" in response.get_data(as_text=True)
    assert consensus_of(contested["proposal"].id).status == "draft"


def test_full_flow_propose_approve_and_the_ranking_uses_the_agreed_scores(client, login_as, contested):
    proposal, competition = contested["proposal"], contested["competition"]
    _name_rapporteur(client, login_as, contested, contested["a"])
    login_as(contested["a"])
    url = f"/jury/proposals/{proposal.id}/consensus"
    version = form_version(client.get(url).get_data(as_text=True))
    response = post_form(client, url, _consensus_data(
        competition, ["3.5", "3"], ["Potenzial belegt, aber Zulieferer wenige.", "Maßnahmen solide."],
        version=version, minority_view="Ein Jurymitglied hält das Netzwerk für zu klein.", propose="1"))
    assert response.status_code == 302
    report = consensus_of(proposal.id)
    assert report.status == "proposed"
    mails = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "consensus_proposed")).all()
    assert sorted(m.recipient for m in mails) == sorted([contested["b"].email, contested["c"].email])
    assert consensus_scores(competition.id) == {}  # not yet approved

    # The conflicted juror cannot approve (not even see), the rapporteur need not.
    _logout(client)
    login_as(contested["conflicted"])
    assert post_form(client, url + "/approve", {"version": report.version}, token_from="/").status_code == 404
    _logout(client)

    login_as(contested["b"])
    page = client.get(url).get_data(as_text=True)
    assert "Potenzial belegt" in page and "Dem Konsensbericht zustimmen" in page
    post_form(client, url + "/approve", {"version": form_version(page)}, token_from="/")
    _db.session.expire_all()
    assert consensus_of(proposal.id).status == "proposed"
    _logout(client)

    login_as(contested["c"])
    page = client.get(url).get_data(as_text=True)
    response = post_form(client, url + "/approve", {"version": form_version(page)}, token_from="/",
                         follow_redirects=True)
    assert "Konsensbericht ist angenommen" in response.get_data(as_text=True)
    _db.session.expire_all()
    report = consensus_of(proposal.id)
    assert report.status == "approved" and report.approved_at is not None
    first, second = competition.criteria
    assert consensus_scores(competition.id) == {(proposal.id, first.id): 3.5, (proposal.id, second.id): 3.0}
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consensus.approved"))
    approved_mails = _db.session.scalars(select(OutboxMessage.recipient)
                                         .where(OutboxMessage.template == "consensus_approved")).all()
    assert sorted(approved_mails) == sorted([contested["a"].email, contested["b"].email, contested["c"].email])

    # Individual reviews stay visible beside the agreed scores.
    reviews = client.get(f"/jury/proposals/{proposal.id}/reviews").get_data(as_text=True)
    assert "Bewertung von Jurymitglied" in reviews


def test_double_approval_is_refused(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    report = consensus_of(contested["proposal"].id)
    _propose_directly(report, contested)
    login_as(contested["b"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus/approve"
    post_form(client, url, {"version": report.version}, token_from="/")
    response = post_form(client, url, {"version": report.version}, token_from="/", follow_redirects=True)
    assert "bereits zugestimmt" in response.get_data(as_text=True)
    assert len(_db.session.scalars(select(ConsensusApproval)).all()) == 1


def test_approving_an_outdated_version_is_refused(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    report = consensus_of(contested["proposal"].id)
    _propose_directly(report, contested)
    login_as(contested["b"])
    response = post_form(client, f"/jury/proposals/{contested['proposal'].id}/consensus/approve",
                         {"version": report.version - 1}, token_from="/", follow_redirects=True)
    assert "an anderer Stelle geändert" in response.get_data(as_text=True)
    assert _db.session.scalars(select(ConsensusApproval)).all() == []


def _propose_directly(report, setting):
    """Fill the report and put it to the vote without going through the form."""
    from app.jury.models import ConsensusScore

    for criterion in setting["competition"].criteria:
        report.scores.append(ConsensusScore(criterion_id=criterion.id, value=Decimal("3"), comment="Einig."))
    report.report = "Bericht"
    report.status = "proposed"
    _db.session.commit()


def test_revising_lets_approvals_lapse(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    report = consensus_of(contested["proposal"].id)
    _propose_directly(report, contested)
    _db.session.add(ConsensusApproval(consensus_id=report.id, user_id=contested["b"].id))
    _db.session.commit()
    login_as(contested["a"])
    response = post_form(client, f"/jury/proposals/{contested['proposal'].id}/consensus/revise", {},
                         token_from="/")
    assert response.status_code == 302
    _db.session.expire_all()
    report = consensus_of(contested["proposal"].id)
    assert report.status == "draft" and report.approvals == []
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consensus.revised"))


def test_admin_confirms_without_every_approval(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    report = consensus_of(contested["proposal"].id)
    _propose_directly(report, contested)
    login_as(AdminFactory())
    response = post_form(client, f"/admin/proposals/{contested['proposal'].id}/consensus/confirm", {},
                         token_from="/")
    assert response.status_code == 302
    _db.session.expire_all()
    assert consensus_of(contested["proposal"].id).status == "approved"
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consensus.approved"))
    assert event.after["confirmed_by_admin"] is True


def test_consensus_work_is_closed_after_the_consensus_phase(client, login_as, contested):
    _name_rapporteur(client, login_as, contested, contested["a"])
    contested["competition"].phase = "decision"
    _db.session.commit()
    login_as(contested["a"])
    url = f"/jury/proposals/{contested['proposal'].id}/consensus"
    data = _consensus_data(contested["competition"], ["3", "3"], ["a", "b"], version="1", save_draft="1")
    assert "Bewertungs- und der Konsensphase" in post_form(client, url, data).get_data(as_text=True)
    assert consensus_of(contested["proposal"].id).report == ""


# --- the decision phase gate ------------------------------------------------------------------------


def test_decision_needs_an_approved_consensus_for_contested_proposals(app, contested):
    calm = pool_proposal(contested["competition"])
    submitted_review(contested["a"], calm, [3, 3])
    submitted_review(contested["b"], calm, [3.5, 3])
    with app.test_request_context():
        problems = [str(p) for p in decision_requirement(contested["competition"])]
        assert len(problems) == 1
        assert contested["proposal"].receipt_number in problems[0] and calm.receipt_number not in problems[0]
        assert any(contested["proposal"].receipt_number in str(p)
                   for p in unmet_requirements(contested["competition"], "decision"))
        _db.session.add(Consensus(proposal_id=contested["proposal"].id, rapporteur_id=contested["a"].id,
                                  status="approved", version=3, report="Einig", minority_view=""))
        _db.session.commit()
        assert decision_requirement(contested["competition"]) == []


def test_admin_overview_flags_the_contested_proposal(client, login_as, contested):
    login_as(AdminFactory())
    body = client.get(f"/admin/competitions/{contested['competition'].id}/consensus").get_data(as_text=True)
    assert contested["proposal"].network_name in body and "markiert" in body and "fehlt" in body


# --- discussion -----------------------------------------------------------------------------------------


def test_posting_notifies_the_other_involved_non_conflicted_jurors(client, login_as, contested):
    bystander = juror(contested["competition"], email="bystander@hwk.example")  # signed, not involved
    login_as(contested["a"])
    url = f"/jury/proposals/{contested['proposal'].id}/discussion"
    response = post_form(client, url, {"body": "Ich schlage 3,5 beim Clusterpotenzial vor."})
    assert response.status_code == 302
    post = _db.session.scalar(select(DiscussionPost))
    assert post.author_id == contested["a"].id
    recipients = sorted(_db.session.scalars(select(OutboxMessage.recipient)
                                            .where(OutboxMessage.template == "discussion_posted")).all())
    assert recipients == sorted([contested["b"].email, contested["c"].email])
    assert bystander.email not in recipients and contested["conflicted"].email not in recipients
    body = _db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.template == "discussion_posted"))
    assert "Ich schlage" not in body  # the text stays in the application
    assert "Jurymitglied A" in body
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "discussion.posted"))


def test_empty_message_is_refused(client, login_as, contested):
    login_as(contested["a"])
    response = post_form(client, f"/jury/proposals/{contested['proposal'].id}/discussion", {"body": "   "})
    assert response.status_code == 200
    assert _db.session.scalars(select(DiscussionPost)).all() == []


def test_admin_posts_and_jurors_see_the_funding_office(client, login_as, contested):
    admin = AdminFactory(name="Katrin Vogel")
    login_as(admin)
    post_form(client, f"/jury/proposals/{contested['proposal'].id}/discussion", {"body": "Bitte bis Freitag."})
    _logout(client)
    login_as(contested["b"])
    body = client.get(f"/jury/proposals/{contested['proposal'].id}/discussion").get_data(as_text=True)
    assert "Bitte bis Freitag." in body and "Katrin Vogel" in body and "Förderstelle" in body
