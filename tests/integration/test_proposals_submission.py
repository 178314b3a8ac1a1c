"""Review, submission, receipt numbers, confirmation mail, print version, withdrawal, resubmission."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import time_machine
from sqlalchemy import select

from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.proposals.models import Attachment, Proposal, ProposalPartner
from tests.builders.proposals import complete_proposal
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory
from tests.web import csrf_token, post_form


def submit(client, proposal_id: int, **kwargs):
    """Press the submit button on the review page."""
    review = client.get(f"/proposals/{proposal_id}/review").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', review) or re.search(
        r'value="(\d+)"[^>]*name="version"', review)
    return post_form(client, f"/proposals/{proposal_id}/submit",
                     {"version": version.group(1) if version else "1"},
                     token_from=f"/proposals/{proposal_id}", **kwargs)


def reload(db, proposal_id: int) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id)


def test_review_lists_missing_parts_with_links_to_the_fields(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, objectives="")
    proposal.partners.append(ProposalPartner(organisation="A", town="Leipzig"))
    proposal.partners.append(ProposalPartner(organisation="", town="Halle"))
    db.session.commit()
    body = client.get(f"/proposals/{proposal.id}/review").get_data(as_text=True)
    link = f'href="/proposals/{proposal.id}/edit/partners#partners-1-organisation">'
    assert link + "Partner 2: Organisation fehlt" in body
    assert f'href="/proposals/{proposal.id}/edit/concept#objectives">Ziele fehlen' in body
    assert "Mindestens eine Maßnahme" in body
    assert "Antrag jetzt einreichen" not in body


def test_submit_freezes_snapshot_gives_receipt_and_mails_a_confirmation(client, db, login_as):
    moment = datetime(2031, 3, 14, 9, 30, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        user = login_as(UserFactory(name="Erika Muster", email="erika@muster.example"))
        competition = CompetitionFactory()
        proposal = complete_proposal(db, applicant=user, competition=competition, network_name="Netzwerk West",
                                     lead_name="Träger West GmbH", requested_funding_cents=24_000_000)
        db.session.add(Attachment(proposal_id=proposal.id, storage_key="cd" * 16, display_name="Plan.pdf",
                                  mime_type="application/pdf", size_bytes=1234, sha256="a" * 64))
        db.session.commit()
        response = submit(client, proposal.id)
    assert response.status_code == 302 and response.headers["Location"] == f"/proposals/{proposal.id}"
    stored = reload(db, proposal.id)
    assert stored.status == "submitted"
    assert stored.submitted_at == moment
    assert stored.receipt_number == f"2031-{competition.id:03d}-0001"
    snapshot = stored.snapshot
    assert snapshot["network_name"] == "Netzwerk West" and snapshot["receipt_number"] == stored.receipt_number
    assert snapshot["partners"][0]["organisation"] == "Zulieferer A GmbH"
    assert snapshot["measures"][0]["cost_cents"] == 1_250_000
    assert snapshot["kpis"][0]["indicator"] == "Partnerunternehmen"
    assert Decimal(snapshot["kpis"][0]["target"]) == Decimal("12.5")  # exact decimal string, never a float
    assert snapshot["attachments"][0]["display_name"] == "Plan.pdf"
    assert snapshot["attachments"][0]["sha256"] == "a" * 64
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_submitted"))
    assert mail.recipient == "erika@muster.example" and mail.locale == "de"
    assert stored.receipt_number in mail.subject and mail.subject.startswith("Eingangsbestätigung")
    assert "Träger West GmbH" in mail.body and "240.000,00\xa0€" in mail.body
    assert "14.03.2031, 10:30 Uhr" in mail.body  # Berlin time
    assert "proposal.submitted" in db.session.scalars(select(AuditEvent.action)).all()
    with time_machine.travel(moment + timedelta(minutes=1)):
        page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert stored.receipt_number in page


def test_confirmation_mail_is_in_the_applicants_language(client, db, login_as):
    user = login_as(UserFactory(locale="en"))
    proposal = complete_proposal(db, applicant=user, requested_funding_cents=123456)
    submit(client, proposal.id)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "proposal_submitted"))
    assert mail.locale == "en" and mail.subject.startswith("Receipt of your proposal")
    assert "€1,234.56" in mail.body


def test_incomplete_proposal_cannot_be_submitted(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)  # no partners, measures, KPIs
    response = submit(client, proposal.id, follow_redirects=True)
    assert "Der Antrag ist noch nicht vollständig" in response.get_data(as_text=True)
    stored = reload(db, proposal.id)
    assert (stored.status, stored.receipt_number, stored.snapshot) == ("draft", None, None)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_two_submissions_get_different_consecutive_receipt_numbers(client, db, login_as):
    user = login_as(UserFactory())
    competition = CompetitionFactory()
    first = complete_proposal(db, applicant=user, competition=competition)
    second = complete_proposal(db, applicant=user, competition=competition)
    submit(client, first.id)
    submit(client, second.id)
    numbers = [reload(db, first.id).receipt_number, reload(db, second.id).receipt_number]
    year = utcnow().year
    assert numbers == [f"{year}-{competition.id:03d}-0001", f"{year}-{competition.id:03d}-0002"]
    assert db.session.get(type(competition), competition.id).receipt_counter == 2


def test_receipt_counters_are_per_competition(client, db, login_as):
    user = login_as(UserFactory())
    one, two = CompetitionFactory(), CompetitionFactory()
    a = complete_proposal(db, applicant=user, competition=one)
    b = complete_proposal(db, applicant=user, competition=two)
    submit(client, a.id)
    submit(client, b.id)
    assert reload(db, a.id).receipt_number.endswith(f"-{one.id:03d}-0001")
    assert reload(db, b.id).receipt_number.endswith(f"-{two.id:03d}-0001")


def test_submit_after_the_deadline_is_refused_and_the_draft_stays(client, db, login_as):
    user = login_as(UserFactory())
    deadline = utcnow() + timedelta(minutes=30)
    proposal = complete_proposal(db, applicant=user, competition=CompetitionFactory(submission_deadline=deadline))
    review = client.get(f"/proposals/{proposal.id}/review").get_data(as_text=True)
    assert "Antrag jetzt einreichen" in review
    token = csrf_token(client, f"/proposals/{proposal.id}/review")
    with time_machine.travel(deadline + timedelta(seconds=1)):
        response = client.post(f"/proposals/{proposal.id}/submit", data={"csrf_token": token, "version": "1"},
                               follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Die Einreichungsfrist ist am" in body
    stored = reload(db, proposal.id)
    assert (stored.status, stored.receipt_number) == ("draft", None)
    assert len(stored.partners) == 1


def test_submit_with_a_stale_review_page_is_refused(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user)
    response = post_form(client, f"/proposals/{proposal.id}/submit", {"version": "0"},
                         token_from=f"/proposals/{proposal.id}", follow_redirects=True)
    assert "zwischenzeitlich geändert" in response.get_data(as_text=True)
    assert reload(db, proposal.id).status == "draft"


def test_submitted_proposal_cannot_be_submitted_again(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user)
    submit(client, proposal.id)
    number = reload(db, proposal.id).receipt_number
    response = post_form(client, f"/proposals/{proposal.id}/submit", {"version": "2"},
                         token_from=f"/proposals/{proposal.id}", follow_redirects=True)
    assert "kann nicht mehr geändert werden" in response.get_data(as_text=True)
    assert reload(db, proposal.id).receipt_number == number
    assert db.session.query(OutboxMessage).count() == 1


def test_reopened_proposal_keeps_its_receipt_number_and_gets_a_new_snapshot(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user, objectives="Erste Fassung")
    submit(client, proposal.id)
    stored = reload(db, proposal.id)
    number, first_submitted = stored.receipt_number, stored.submitted_at
    # what the administrator's reopening does
    stored.status, stored.reopened_at = "draft", utcnow()
    db.session.commit()
    path = f"/proposals/{proposal.id}/edit/concept"
    body = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', body) or re.search(r'value="(\d+)"[^>]*name="version"',
                                                                               body)
    post_form(client, path, {"version": version.group(1), "cluster_analysis": "Analyse",
                             "objectives": "Zweite Fassung", "save": "1"})
    with time_machine.travel(utcnow() + timedelta(minutes=1)):
        submit(client, proposal.id)
    stored = reload(db, proposal.id)
    assert stored.status == "submitted" and stored.receipt_number == number
    assert stored.snapshot["objectives"] == "Zweite Fassung"
    assert stored.submitted_at > first_submitted
    assert db.session.get(type(stored.competition), stored.competition_id).receipt_counter == 1
    resubmission = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.submitted")
                                      .order_by(AuditEvent.id)).all()[-1]
    assert resubmission.after["resubmission"] is True


def test_print_renders_the_snapshot_not_later_changes(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user, network_name="Eingereichter Name")
    submit(client, proposal.id)
    stored = reload(db, proposal.id)
    stored.network_name = "Später geändert"  # e.g. an admin correction after reopening
    db.session.commit()
    response = client.get(f"/proposals/{proposal.id}/print")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Eingereichter Name" in body and "Später geändert" not in body
    assert stored.receipt_number in body
    assert "css/print.css" in body
    assert "12,5" in body and "12.500,00\xa0€" in body  # KPI target and measure cost in German format


def test_print_of_an_unsubmitted_draft_redirects_with_a_note(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    response = client.get(f"/proposals/{proposal.id}/print")
    assert response.status_code == 302 and response.headers["Location"] == f"/proposals/{proposal.id}"


def test_withdraw_asks_first_then_withdraws_and_audits(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user)
    submit(client, proposal.id)
    confirmation = client.get(f"/proposals/{proposal.id}/withdraw").get_data(as_text=True)
    assert "wirklich zurückziehen" in confirmation
    assert reload(db, proposal.id).status == "submitted"  # GET changes nothing
    response = post_form(client, f"/proposals/{proposal.id}/withdraw", token_from=f"/proposals/{proposal.id}/withdraw")
    assert response.status_code == 302
    stored = reload(db, proposal.id)
    assert stored.status == "withdrawn" and stored.withdrawn_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.withdrawn"))
    assert event.before == {"status": "submitted"}


def test_withdraw_is_refused_once_the_decision_phase_started(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user)
    submit(client, proposal.id)
    token = csrf_token(client, f"/proposals/{proposal.id}/withdraw")
    proposal.competition.phase = "decision"
    db.session.commit()
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"csrf_token": token}, follow_redirects=True)
    assert "kann nicht mehr zurückgezogen werden" in response.get_data(as_text=True)
    assert reload(db, proposal.id).status == "submitted"
    assert client.get(f"/proposals/{proposal.id}/withdraw").status_code == 302


def test_withdrawn_proposal_cannot_be_edited_or_submitted(client, db, login_as):
    user = login_as(UserFactory())
    proposal = complete_proposal(db, applicant=user, status="withdrawn", withdrawn_at=utcnow())
    response = client.get(f"/proposals/{proposal.id}/edit/basics", follow_redirects=True)
    assert "zurückgezogen und kann nicht mehr geändert werden" in response.get_data(as_text=True)
    submit(client, proposal.id)
    assert reload(db, proposal.id).status == "withdrawn"


def test_reopened_proposal_can_be_corrected_during_the_precheck_after_the_deadline(client, db, login_as):
    user = login_as(UserFactory())
    competition = CompetitionFactory()
    proposal = complete_proposal(db, applicant=user, competition=competition, objectives="Erste Fassung")
    submit(client, proposal.id)
    # the deadline passes, the pre-check starts, and the funding office reopens the proposal
    competition = db.session.get(type(competition), competition.id)
    competition.submission_deadline = utcnow() - timedelta(hours=1)
    competition.phase = "precheck"
    stored = reload(db, proposal.id)
    stored.status, stored.reopened_at = "draft", utcnow()
    db.session.commit()
    path = f"/proposals/{proposal.id}/edit/concept"
    body = client.get(path).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', body) or re.search(r'value="(\d+)"[^>]*name="version"',
                                                                               body)
    post_form(client, path, {"version": version.group(1), "cluster_analysis": "Analyse",
                             "objectives": "Korrigiert", "save": "1"})
    submit(client, proposal.id)
    stored = reload(db, proposal.id)
    assert (stored.status, stored.snapshot["objectives"]) == ("submitted", "Korrigiert")


def test_reopened_draft_is_frozen_once_the_review_has_started(client, db, login_as):
    user = login_as(UserFactory())
    competition = CompetitionFactory(phase="review", submission_deadline=utcnow() - timedelta(days=3))
    proposal = complete_proposal(db, applicant=user, competition=competition, receipt_number="2030-001-0001",
                                 reopened_at=utcnow(), objectives="Alt")
    response = client.get(f"/proposals/{proposal.id}/edit/concept")
    assert response.status_code == 302
    submit(client, proposal.id)
    assert reload(db, proposal.id).status == "draft"


def test_a_plain_draft_stays_frozen_after_the_deadline_even_in_the_precheck(client, db, login_as):
    user = login_as(UserFactory())
    competition = CompetitionFactory(phase="precheck", submission_deadline=utcnow() - timedelta(days=1))
    proposal = complete_proposal(db, applicant=user, competition=competition)
    assert client.get(f"/proposals/{proposal.id}/edit/basics").status_code == 302
    submit(client, proposal.id)
    assert reload(db, proposal.id).status == "draft"
