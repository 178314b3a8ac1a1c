"""Scoring: who reaches which jury page, the form, validation, deadline, two tabs, autosave, reopening."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import select

from app.core import uploads
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.extensions import db as _db
from app.jury.models import Consensus, DiscussionPost, Review, ReviewHistory
from app.proposals.models import Attachment, ProposalPartner
from app.proposals.snapshot import build_snapshot
from tests.builders.jury import assigned_juror, juror, pool_proposal
from tests.builders.scoring import form_version, review_competition, review_payload, submitted_review
from tests.factories import AdminFactory, AssignmentFactory, ConflictFactory, ReviewFactory, UserFactory
from tests.web import csrf_token, post_form

GOOD = ["Überzeugende Analyse der Zulieferstruktur im Leipziger Westen.",
        "Maßnahmen sind konkret, terminiert und mit Kosten hinterlegt."]


@pytest.fixture
def setting(db):
    """A review-phase competition, one pool proposal, an assigned juror and a conflicted assigned juror."""
    competition = review_competition()
    proposal = pool_proposal(competition)
    other = pool_proposal(competition)
    me = assigned_juror(proposal, email="me@uni.example")
    conflicted = assigned_juror(proposal, email="conflicted@firma.example")
    ConflictFactory(proposal=proposal, user=conflicted)
    submitted_review(conflicted, proposal, [4, 4])  # written before the conflict came to light
    rapporteur = assigned_juror(proposal, email="rapporteur@ihk.example")
    db.session.add(Consensus(proposal_id=proposal.id, rapporteur_id=rapporteur.id, status="draft", version=1,
                             report="", minority_view=""))
    db.session.add(DiscussionPost(proposal_id=proposal.id, author_id=rapporteur.id, body="Geheime Diskussion"))
    db.session.commit()
    return {"competition": competition, "proposal": proposal, "other": other, "me": me,
            "conflicted": conflicted, "rapporteur": rapporteur}


def _urls(proposal_id: int) -> list[tuple[str, str]]:
    base = f"/jury/proposals/{proposal_id}"
    return [("GET", base), ("GET", f"{base}/review"), ("GET", f"{base}/review/submit"),
            ("GET", f"{base}/reviews"), ("GET", f"{base}/discussion"), ("GET", f"{base}/consensus"),
            ("POST", f"{base}/review"), ("POST", f"{base}/review/autosave"), ("POST", f"{base}/review/submit"),
            ("POST", f"{base}/discussion"), ("POST", f"{base}/consensus"), ("POST", f"{base}/consensus/approve"),
            ("POST", f"{base}/consensus/revise")]


URL_INDEXES = list(range(13))


def _request(client, method: str, url: str, data: dict | None = None):
    if method == "GET":
        return client.get(url)
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, "/")
    return client.post(url, data=payload)


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("index", URL_INDEXES)
def test_anonymous_is_sent_to_login(client, setting, index):
    method, url = _urls(setting["proposal"].id)[index]
    response = client.get(url) if method == "GET" else client.post(url, data={})
    # POSTs without a session fail the CSRF check first; nothing is revealed either way.
    assert response.status_code in ((302,) if method == "GET" else (302, 400))
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("index", URL_INDEXES)
def test_conflicted_juror_reaches_nothing_of_the_proposal(client, login_as, setting, index):
    login_as(setting["conflicted"])
    method, url = _urls(setting["proposal"].id)[index]
    data = review_payload(setting["competition"], [5, 5], GOOD, version="1", body="Hallo")
    response = _request(client, method, url, data)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert setting["proposal"].network_name not in body and "Geheime Diskussion" not in body


@pytest.mark.parametrize("index", URL_INDEXES)
def test_juror_of_another_competition_gets_404(client, login_as, setting, index):
    stranger = juror(review_competition())
    login_as(stranger)
    method, url = _urls(setting["proposal"].id)[index]
    assert _request(client, method, url, {"version": "1"}).status_code == 404


@pytest.mark.parametrize("index", URL_INDEXES)
def test_applicant_of_the_proposal_gets_404(client, login_as, setting, index):
    login_as(setting["proposal"].applicant)
    method, url = _urls(setting["proposal"].id)[index]
    assert _request(client, method, url, {"version": "1"}).status_code == 404


@pytest.mark.parametrize("index", URL_INDEXES)
def test_juror_without_signed_declaration_gets_404(client, login_as, setting, index):
    unsigned = assigned_juror(setting["proposal"], signed=False)
    login_as(unsigned)
    method, url = _urls(setting["proposal"].id)[index]
    assert _request(client, method, url, {"version": "1"}).status_code == 404


def test_conflicted_juror_does_not_see_the_proposal_on_the_dashboard(client, login_as, setting):
    login_as(setting["conflicted"])
    body = client.get("/jury").get_data(as_text=True)
    assert setting["proposal"].network_name not in body


@pytest.mark.parametrize("suffix", ["", "/reviews", "/discussion", "/consensus"])
def test_admin_sees_the_jury_pages_but_has_no_review_form(client, login_as, setting, suffix):
    login_as(AdminFactory())
    base = f"/jury/proposals/{setting['proposal'].id}"
    assert client.get(base + suffix).status_code == 200
    assert client.get(base + "/review").status_code == 404  # admins do not score


def test_signed_unassigned_juror_reads_the_proposal_but_cannot_score_it(client, login_as, setting):
    reader = juror(setting["competition"])
    login_as(reader)
    base = f"/jury/proposals/{setting['proposal'].id}"
    assert client.get(base).status_code == 200
    assert client.get(base + "/review").status_code == 404
    response = post_form(client, base + "/review/autosave", review_payload(setting["competition"], [3]),
                         token_from="/")
    assert response.status_code == 404
    assert db_reviews(reader) == []


def db_reviews(user):
    """The user's reviews as stored."""
    return _db.session.scalars(select(Review).where(Review.user_id == user.id)).all()


@pytest.mark.parametrize("method,url", [
    ("POST", "/admin/reviews/{review}/reopen"),
    ("POST", "/admin/proposals/{proposal}/rapporteur"),
    ("POST", "/admin/proposals/{proposal}/consensus/confirm"),
    ("GET", "/admin/competitions/{competition}/consensus"),
])
def test_admin_actions_are_refused_to_jurors(client, login_as, setting, method, url):
    review = submitted_review(setting["me"], setting["other"], [3, 3])
    url = url.format(review=review.id, proposal=setting["proposal"].id, competition=setting["competition"].id)
    login_as(setting["me"])
    assert _request(client, method, url, {"reason": "x", "rapporteur_id": setting["me"].id}).status_code == 403


# --- dashboard ----------------------------------------------------------------------------------


def test_dashboard_without_signed_declaration_shows_no_titles_and_links_the_declaration(client, login_as, db):
    competition = review_competition()
    proposal = pool_proposal(competition, network_name="Netzwerk Geheimtitel")
    unsigned = assigned_juror(proposal, signed=False)
    login_as(unsigned)
    body = client.get("/jury").get_data(as_text=True)
    assert "Netzwerk Geheimtitel" not in body
    assert f"/jury/competitions/{competition.id}/declaration" in body
    assert "1 Antrag wartet auf Sie" in body


def test_dashboard_lists_assigned_proposals_with_state_progress_and_deadline(client, login_as, db):
    competition = review_competition(title="Ideenwettbewerb Leipziger Westen")
    first, second, third = (pool_proposal(competition, network_name=f"Netzwerk {n}") for n in ("Alpha", "Beta",
                                                                                                  "Gamma"))
    me = assigned_juror(first)
    AssignmentFactory(proposal=second, user=me)
    AssignmentFactory(proposal=third, user=me)
    submitted_review(me, first, [4, 3])
    ReviewFactory(proposal=second, user=me, status="draft")
    login_as(me)
    body = client.get("/jury").get_data(as_text=True)
    for name in ("Netzwerk Alpha", "Netzwerk Beta", "Netzwerk Gamma"):
        assert name in body
    assert "eingereicht" in body and "Entwurf" in body and "nicht begonnen" in body
    assert '<progress id="progress-' in body and 'max="3" value="1"' in body
    assert "1 von 3 Bewertungen eingereicht" in body
    assert "2 Bewertungen noch einzureichen" in body
    deadline = competition.review_deadline.astimezone(competition.zone)
    assert deadline.strftime("%d.%m.%Y, %H:%M Uhr") in body


def test_dashboard_asks_for_the_conflict_check_before_assignment(client, login_as, db):
    competition = review_competition()
    pool_proposal(competition)
    fresh = juror(competition)
    login_as(fresh)
    body = client.get("/jury").get_data(as_text=True)
    assert f"/jury/competitions/{competition.id}/conflicts" in body
    assert "Befangenheit" in body


def test_dashboard_for_a_user_without_jury_seat(client, login_as, db):
    login_as(UserFactory())
    response = client.get("/jury")
    assert response.status_code == 200
    assert "keiner Jury" in response.get_data(as_text=True)


# --- the proposal ---------------------------------------------------------------------------------


def _with_partner_and_attachment(proposal):
    """Give the proposal a partner and a stored file, and take its snapshot again."""
    proposal.partners.append(ProposalPartner(position=1, organisation="Zulieferer Nord GmbH", town="Leipzig"))
    key = uploads.store_bytes(b"%PDF-1.4 demo")
    proposal.attachments.append(Attachment(storage_key=key, display_name="Finanzplan.pdf",
                                           mime_type="application/pdf", size_bytes=13, sha256="0" * 64))
    _db.session.flush()
    proposal.snapshot = build_snapshot(proposal)
    _db.session.commit()
    return proposal.attachments[0]


def test_proposal_page_shows_the_snapshot_with_lead_partners_and_attachments(client, login_as, setting):
    attachment = _with_partner_and_attachment(setting["proposal"])
    login_as(setting["me"])
    body = client.get(f"/jury/proposals/{setting['proposal'].id}").get_data(as_text=True)
    assert setting["proposal"].lead_name in body
    assert "Zulieferer Nord GmbH" in body and "Finanzplan.pdf" in body
    download = client.get(f"/jury/proposals/{setting['proposal'].id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 demo"


def test_jurors_see_no_phone_numbers_or_partner_contacts_the_applicant_sees_them(client, login_as, setting, db):
    proposal = setting["proposal"]
    proposal.lead_contact_phone = "+49 341 555 0199"
    proposal.partners.append(ProposalPartner(position=1, organisation="Zulieferer Nord GmbH", town="Leipzig",
                                             contact_name="Dora Kontakt", contact_email="dora@nord.example"))
    db.session.flush()
    proposal.snapshot = build_snapshot(proposal)
    db.session.commit()
    login_as(setting["me"])
    jury_page = client.get(f"/jury/proposals/{proposal.id}").get_data(as_text=True)
    assert "Zulieferer Nord GmbH" in jury_page  # the partners themselves stay visible
    for private in ("+49 341 555 0199", "Dora Kontakt", "dora@nord.example"):
        assert private not in jury_page  # the jury needs no way to call applicants or their partners
    client.delete_cookie("session")
    login_as(proposal.applicant)
    own_page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "+49 341 555 0199" in own_page and "Dora Kontakt" in own_page


def test_blind_review_hides_applicant_lead_partners_and_files(client, login_as, setting, db):
    attachment = _with_partner_and_attachment(setting["proposal"])
    setting["competition"].blind_review = True
    db.session.commit()
    login_as(setting["me"])
    body = client.get(f"/jury/proposals/{setting['proposal'].id}").get_data(as_text=True)
    assert setting["proposal"].network_name in body
    for hidden in (setting["proposal"].lead_name, "Zulieferer Nord GmbH", "Finanzplan.pdf",
                   setting["proposal"].applicant.name, setting["proposal"].lead_contact_email):
        assert hidden not in body
    assert "Blinde Begutachtung" in body
    assert client.get(f"/jury/proposals/{setting['proposal'].id}/attachments/{attachment.id}").status_code == 404


# --- the form ----------------------------------------------------------------------------------------


def test_form_shows_criteria_rubrics_and_scale_in_the_users_language(client, login_as, setting):
    login_as(setting["me"])
    body = client.get(f"/jury/proposals/{setting['proposal'].id}/review").get_data(as_text=True)
    assert "Clusterpotenzial" in body and "5 = überzeugend belegt" in body
    assert body.count('type="radio"') == 2 * 11  # 0 to 5 in steps of 0.5, per criterion
    assert ">4,5</label>" in body
    client.post("/language", data={"locale": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    english = client.get(f"/jury/proposals/{setting['proposal'].id}/review").get_data(as_text=True)
    assert "Cluster potential" in english and "5 = convincingly shown" in english and ">4.5</label>" in english


def test_incomplete_draft_is_saved_and_audited(client, login_as, setting, db):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    response = post_form(client, url, review_payload(setting["competition"], ["4.5"], [GOOD[0]],
                                                     save_draft="1"))
    assert response.status_code == 302
    review = db_reviews(setting["me"])[0]
    criterion = setting["competition"].criteria[0]
    assert review.status == "draft" and review.score_for(criterion.id).value == Decimal("4.5")
    assert review.score_for(criterion.id).justification == GOOD[0]
    assert _checked(client.get(url).get_data(as_text=True), "4.5")  # the saved score is preselected
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.draft_saved"))
    assert event.object_id == review.id and event.actor_id == setting["me"].id


def _checked(body: str, value: str) -> bool:
    return any("checked" in tag for tag in re.findall(rf'<input[^>]*value="{re.escape(value)}"[^>]*>', body))


@pytest.mark.parametrize("value,message", [
    ("4.3", "Schritten von 0,5"),
    ("6", "zwischen 0 und 5"),
    ("-0.5", "zwischen 0 und 5"),
    ("viel", "Bitte wählen Sie eine Bewertung"),
])
def test_scores_off_the_scale_are_refused_and_input_kept(client, login_as, setting, value, message):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    response = post_form(client, url, review_payload(setting["competition"], [value, "3"], GOOD, save_draft="1"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in body
    assert GOOD[0] in body  # what was typed stays in the form
    assert db_reviews(setting["me"]) == []  # nothing saved


def test_submit_needs_every_justification(client, login_as, setting):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    response = post_form(client, url, review_payload(setting["competition"], ["4", "3"], [GOOD[0], "  "],
                                                     submit_review="1"))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Begründung ist erforderlich" in body
    assert db_reviews(setting["me"]) == []


def test_submit_flow_locks_the_review_and_writes_history(client, login_as, setting, db):
    login_as(setting["me"])
    base = f"/jury/proposals/{setting['proposal'].id}"
    response = post_form(client, base + "/review", review_payload(setting["competition"], ["4", "2.5"], GOOD,
                                                                  submit_review="1"))
    assert response.headers["Location"].endswith(base + "/review/submit")
    confirm = client.get(base + "/review/submit").get_data(as_text=True)
    assert "Bewertung jetzt einreichen" in confirm and GOOD[1] in confirm
    review = db_reviews(setting["me"])[0]
    assert review.status == "draft"
    response = post_form(client, base + "/review/submit", {"version": form_version(confirm)})
    assert response.headers["Location"].endswith(base + "/reviews")
    db.session.refresh(review)
    assert review.status == "submitted" and review.submitted_at is not None
    history = db.session.scalars(select(ReviewHistory).where(ReviewHistory.review_id == review.id)).all()
    assert [h.event for h in history] == ["submitted"]
    assert history[0].data["scores"][1]["value"] == "2.50"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.submitted")) is not None

    # Locked: the form is gone and any further save is refused.
    page = client.get(base + "/review").get_data(as_text=True)
    assert 'id="review-form"' not in page and "gesperrt" in page
    response = post_form(client, base + "/review", review_payload(setting["competition"], ["1", "1"], GOOD,
                                                                  version=review.version, save_draft="1"),
                         token_from="/")
    assert "gesperrt" in response.get_data(as_text=True)
    db.session.refresh(review)
    assert review.score_for(setting["competition"].criteria[0].id).value == Decimal("4")


def test_save_and_next_goes_to_the_next_pending_proposal(client, login_as, setting):
    third = pool_proposal(setting["competition"])
    AssignmentFactory(proposal=setting["other"], user=setting["me"])
    AssignmentFactory(proposal=third, user=setting["me"])
    submitted_review(setting["me"], setting["other"], [3, 3])
    login_as(setting["me"])
    response = post_form(client, f"/jury/proposals/{setting['proposal'].id}/review",
                         review_payload(setting["competition"], ["3"], [GOOD[0]], save_next="1"))
    assert response.headers["Location"].endswith(f"/jury/proposals/{third.id}/review")


# --- deadline, phase, two tabs ----------------------------------------------------------------------


def test_submitting_after_the_deadline_is_refused_but_drafts_stay(client, login_as, setting, db):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    post_form(client, url, review_payload(setting["competition"], ["4", "4"], GOOD, save_draft="1"))
    review = db_reviews(setting["me"])[0]
    with time_machine.travel(setting["competition"].review_deadline + timedelta(minutes=1)):
        response = post_form(client, url, review_payload(setting["competition"], ["4", "4"], GOOD,
                                                         version=review.version, submit_review="1"))
        body = response.get_data(as_text=True)
        assert "Bewertungsfrist ist abgelaufen" in body
        response = post_form(client, url + "/submit", {"version": review.version}, token_from="/")
        assert response.status_code == 302
        # A draft can still be kept up to date after the deadline.
        saved = post_form(client, url, review_payload(setting["competition"], ["4", "3.5"], GOOD,
                                                      version=review.version, save_draft="1"))
        assert saved.status_code == 302
    db.session.refresh(review)
    assert review.status == "draft"
    assert review.score_for(setting["competition"].criteria[1].id).value == Decimal("3.5")


def test_scoring_is_refused_outside_the_review_phase(client, login_as, setting, db):
    setting["competition"].phase = "consensus"
    db.session.commit()
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    assert "nicht in der Bewertungsphase" in client.get(url).get_data(as_text=True)
    response = post_form(client, url, review_payload(setting["competition"], ["4", "4"], GOOD, save_draft="1"),
                         token_from="/")
    assert "nicht in der Bewertungsphase" in response.get_data(as_text=True)
    assert db_reviews(setting["me"]) == []


def test_two_tabs_the_second_save_is_refused_and_nothing_overwritten(client, login_as, setting):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review"
    tab_one = form_version(client.get(url).get_data(as_text=True))
    tab_two = tab_one
    first = post_form(client, url, review_payload(setting["competition"], ["5", "5"], GOOD, version=tab_one,
                                                  save_draft="1"))
    assert first.status_code == 302
    second = post_form(client, url, review_payload(setting["competition"], ["1", "1"], ["anders", "anders"],
                                                   version=tab_two, save_draft="1"))
    body = second.get_data(as_text=True)
    assert "in einem anderen Tab" in body
    assert "anders" in body  # the second tab's text is still on its page
    review = db_reviews(setting["me"])[0]
    assert review.score_for(setting["competition"].criteria[0].id).value == Decimal("5")


def test_two_tabs_submitting_the_same_review_only_the_first_wins(client, login_as, setting, db):
    login_as(setting["me"])
    base = f"/jury/proposals/{setting['proposal'].id}"
    post_form(client, base + "/review", review_payload(setting["competition"], ["4", "4"], GOOD, submit_review="1"))
    confirm = client.get(base + "/review/submit").get_data(as_text=True)
    version = form_version(confirm)
    assert post_form(client, base + "/review/submit", {"version": version}, token_from="/").status_code == 302
    response = post_form(client, base + "/review/submit", {"version": version}, token_from="/",
                         follow_redirects=True)
    assert "gesperrt" in response.get_data(as_text=True)
    review = db_reviews(setting["me"])[0]
    db.session.refresh(review)
    history = db.session.scalars(select(ReviewHistory).where(ReviewHistory.review_id == review.id)).all()
    assert len(history) == 1


def test_confirmation_with_a_stale_version_is_refused(client, login_as, setting):
    login_as(setting["me"])
    base = f"/jury/proposals/{setting['proposal'].id}"
    post_form(client, base + "/review", review_payload(setting["competition"], ["4", "4"], GOOD, submit_review="1"))
    stale = form_version(client.get(base + "/review/submit").get_data(as_text=True))
    # Meanwhile another tab saves a change.
    post_form(client, base + "/review", review_payload(setting["competition"], ["2", "4"], GOOD, version=stale,
                                                       save_draft="1"))
    response = post_form(client, base + "/review/submit", {"version": stale}, token_from="/", follow_redirects=True)
    assert "in einem anderen Tab" in response.get_data(as_text=True)
    assert db_reviews(setting["me"])[0].status == "draft"


# --- autosave --------------------------------------------------------------------------------------------


def test_autosave_returns_json_and_advances_the_version(client, login_as, setting):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review/autosave"
    first = post_form(client, url, review_payload(setting["competition"], ["3.5"], ["Erste Notizen"]),
                      token_from="/")
    assert first.status_code == 200 and first.is_json
    data = first.get_json()
    assert data["ok"] is True and data["version"] == 1 and data["message"].startswith("Gespeichert")
    second = post_form(client, url, review_payload(setting["competition"], ["3.5"], ["Erste Notizen, ergänzt"],
                                                   version=data["version"]), token_from="/")
    assert second.get_json()["version"] == 2
    review = db_reviews(setting["me"])[0]
    assert review.id == data["review_id"]
    assert review.score_for(setting["competition"].criteria[0].id).justification == "Erste Notizen, ergänzt"
    event = _db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "review.draft_saved")).all()[-1]
    assert event.after["autosave"] is True


def test_autosave_with_a_stale_version_is_refused_with_409(client, login_as, setting):
    login_as(setting["me"])
    url = f"/jury/proposals/{setting['proposal'].id}/review/autosave"
    post_form(client, url, review_payload(setting["competition"], ["3"], ["Tab eins"]), token_from="/")
    stale = post_form(client, url, review_payload(setting["competition"], ["1"], ["Tab zwei"], version="0"),
                      token_from="/")
    assert stale.status_code == 409
    assert stale.get_json()["conflict"] is True
    assert db_reviews(setting["me"])[0].score_for(setting["competition"].criteria[0].id).justification == "Tab eins"


def test_autosave_refuses_an_invalid_score_with_422(client, login_as, setting):
    login_as(setting["me"])
    response = post_form(client, f"/jury/proposals/{setting['proposal'].id}/review/autosave",
                         review_payload(setting["competition"], ["4.3"], ["x"]), token_from="/")
    assert response.status_code == 422
    data = response.get_json()
    assert data["ok"] is False and data["field"] == f"score_{setting['competition'].criteria[0].id}"
    assert db_reviews(setting["me"]) == []


def test_autosave_needs_the_csrf_token(client, login_as, setting):
    login_as(setting["me"])
    response = client.post(f"/jury/proposals/{setting['proposal'].id}/review/autosave",
                           data=review_payload(setting["competition"], ["3"], ["x"]))
    assert response.status_code == 400
    assert db_reviews(setting["me"]) == []


# --- reopening ------------------------------------------------------------------------------------------


def test_admin_reopens_a_submitted_review_with_reason_history_audit_and_mail(client, login_as, setting, db):
    review = submitted_review(setting["me"], setting["proposal"], [4, 4])
    login_as(AdminFactory())
    url = f"/admin/reviews/{review.id}/reopen"
    refused = post_form(client, url, {"reason": "  "}, token_from=f"/jury/proposals/{setting['proposal'].id}/reviews")
    assert refused.status_code == 200
    db.session.refresh(review)
    assert review.status == "submitted"
    response = post_form(client, url, {"reason": "Bitte Begründung zu Kriterium 2 ergänzen."},
                         token_from="/")
    assert response.status_code == 302
    db.session.refresh(review)
    assert review.status == "draft" and review.reopen_reason == "Bitte Begründung zu Kriterium 2 ergänzen."
    history = db.session.scalars(select(ReviewHistory).where(ReviewHistory.review_id == review.id)).all()
    assert [h.event for h in history] == ["reopened"]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "review.reopened")) is not None
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "review_reopened"))
    assert mail.recipient == setting["me"].email and "Kriterium 2 ergänzen" in mail.body

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as(setting["me"])
    page = client.get(f"/jury/proposals/{setting['proposal'].id}/review").get_data(as_text=True)
    assert 'id="review-form"' in page and "Kriterium 2 ergänzen" in page


def test_reopening_is_refused_after_the_review_phase(client, login_as, setting, db):
    review = submitted_review(setting["me"], setting["proposal"], [4, 4])
    setting["competition"].phase = "consensus"
    db.session.commit()
    login_as(AdminFactory())
    response = post_form(client, f"/admin/reviews/{review.id}/reopen", {"reason": "Nachbessern"}, token_from="/")
    assert response.status_code == 200
    db.session.refresh(review)
    assert review.status == "submitted"


def test_review_deadline_shown_and_submission_blocked_message_on_form(client, login_as, setting):
    login_as(setting["me"])
    with time_machine.travel(utcnow() + timedelta(days=15)):
        body = client.get(f"/jury/proposals/{setting['proposal'].id}/review").get_data(as_text=True)
    assert "Bewertungsfrist ist abgelaufen" in body and 'id="review-form"' in body
