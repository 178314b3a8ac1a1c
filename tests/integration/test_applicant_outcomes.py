"""Outcomes in the applicant's portal, letters of ineligibility and the letter downloads (issue 14, points 1-2)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.competitions.models import Competition
from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.decisions.letters import send_decision_letters
from app.decisions.services import record_decision, record_decisions
from app.extensions import db as _db
from app.proposals.ineligibility_letters import send_ineligibility_letters
from app.proposals.models import Proposal
from tests.builders.contracts import worked_example_contract
from tests.builders.decisions import decision_case
from tests.builders.jury import pool_proposal, review_competition
from tests.factories import AdminFactory, UserFactory
from tests.web import login, post_form

REMEDIES_DE = "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch erhoben werden."
REMEDIES_EN = "An objection may be lodged against this decision within one month."
REASON = "Der Finanzierungsplan nennt keinen Eigenanteil."
RULE_MET = "Sitz im Programmgebiet"
RULE_NOT_MET = "Der Finanzierungsplan ist vollständig und nennt den Eigenanteil."


def stage_on_portal(client, proposal) -> str:
    """The stage the applicant's list shows for the proposal (its data-stage attribute)."""
    body = client.get("/my/proposals").get_data(as_text=True)
    card = body[body.index(f"/proposals/{proposal.id}\""):]
    return card[card.index('data-stage="') + 12:].split('"', 1)[0]


def decide(case):
    """Award two proposals, put one on the reserve list and reject the last (committed)."""
    record_decisions(case.competition, outcome="awarded", actor=case.admin, award_date=date(2024, 7, 1),
                     rationales={case.auto.id: "Überzeugendes Konzept.", case.virtual.id: "Starke Partner."})
    record_decision(case.energy, outcome="reserve", rationale="Knapp unter der Förderlinie.", actor=case.admin)
    record_decision(case.media, outcome="rejected", rationale="Schwellenwert Wirkung verfehlt.", actor=case.admin)
    _db.session.commit()


def ineligible_proposal(competition, **kwargs) -> Proposal:
    """A submitted proposal the pre-check found not eligible, with its reason and checklist."""
    return pool_proposal(competition, network_name="Lindenauer Markt", eligibility="not_eligible",
                         eligibility_reason=REASON, precheck_checklist={RULE_MET: True, RULE_NOT_MET: False},
                         **kwargs)


def with_remedies(competition):
    competition.legal_remedies_de = REMEDIES_DE
    competition.legal_remedies_en = REMEDIES_EN
    _db.session.commit()
    return competition


# --- decisions in the portal ------------------------------------------------------------------------


def test_the_portal_shows_the_award_only_once_the_letter_is_sent(client, db, in_request):
    case = decision_case()
    decide(case)
    login(client, case.virtual.applicant.email)
    assert stage_on_portal(client, case.virtual) == "under_review"
    detail = client.get(f"/proposals/{case.virtual.id}").get_data(as_text=True)
    assert "Zuschlag" not in detail and "letters/decision.txt" not in detail
    assert client.get(f"/proposals/{case.virtual.id}/letters/decision.txt").status_code == 404

    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    assert stage_on_portal(client, case.virtual) == "awarded"
    detail = client.get(f"/proposals/{case.virtual.id}").get_data(as_text=True)
    assert "Ihre Netzwerkidee hat den Zuschlag erhalten." in detail
    assert "Datum des Zuschlags: 01.07.2024" in detail
    download = client.get(f"/proposals/{case.virtual.id}/letters/decision.txt")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    letter = download.get_data(as_text=True)
    assert "Starke Partner." in letter  # the rationale
    assert "Qualität virtual Gutachten 1" in letter  # the jury's feedback


@pytest.mark.parametrize(("who", "stage", "label"), [
    ("auto", "awarded", "Awarded"),
    ("energy", "reserve", "Nachrückliste"),
    ("media", "rejected", "Kein Zuschlag"),
])
def test_each_outcome_reads_in_the_applicants_language(client, db, in_request, who, stage, label):
    case = decision_case()
    decide(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    proposal = getattr(case, who)
    login(client, proposal.applicant.email)
    headers = {"Accept-Language": "en"} if proposal.applicant.locale == "en" else {}
    body = client.get("/my/proposals", headers=headers).get_data(as_text=True)
    assert f'data-stage="{stage}">{label}</span>' in body


def test_a_decision_changed_after_its_letter_is_hidden_until_the_new_letter(client, db, in_request):
    case = decision_case()
    decide(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    record_decision(case.energy, outcome="awarded", rationale="Nachgerückt.", actor=case.admin,
                    award_date=date(2024, 8, 1), confirm_warnings=True)
    db.session.commit()
    login(client, case.energy.applicant.email)
    assert stage_on_portal(client, case.energy) == "under_review"
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    assert stage_on_portal(client, case.energy) == "awarded"
    assert "Nachgerückt." in client.get(f"/proposals/{case.energy.id}/letters/decision.txt").get_data(as_text=True)


def test_nobody_else_downloads_an_applicants_letter(client, db, in_request):
    case = decision_case()
    decide(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    login(client, case.media.applicant.email)
    assert client.get(f"/proposals/{case.virtual.id}/letters/decision.txt").status_code == 404
    juror = client.application.test_client()
    login(juror, case.jurors[0].email)
    assert juror.get(f"/proposals/{case.virtual.id}/letters/decision.txt").status_code == 404


def test_the_contract_shows_once_it_is_recorded(client, db, in_request):
    applicant = UserFactory()
    contract, _ = worked_example_contract(AdminFactory(), applicant=applicant)
    decision = contract.decision
    decision.letter_sent_at = decision.decided_at
    db.session.commit()
    login(client, applicant.email)
    assert stage_on_portal(client, contract.proposal) == "contracted"
    detail = client.get(f"/proposals/{contract.proposal_id}").get_data(as_text=True)
    assert f"Vertrag {contract.number}" in detail
    assert f"/my/contracts/{contract.id}" in detail


# --- the pre-check result -----------------------------------------------------------------------------


def test_the_precheck_result_shows_once_the_precheck_has_ended(client, db, in_request):
    competition = with_remedies(review_competition(phase="precheck"))
    proposal = ineligible_proposal(competition)
    login(client, proposal.applicant.email)
    assert stage_on_portal(client, proposal) == "submitted"
    assert REASON not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    competition.phase = "review"
    db.session.commit()
    assert stage_on_portal(client, proposal) == "not_eligible"
    detail = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Nicht förderfähig" in detail and REASON in detail


# --- letters of ineligibility ------------------------------------------------------------------------


def test_an_ineligible_applicant_receives_a_letter_with_reason_and_remedies(client, db, in_request):
    competition = with_remedies(review_competition())
    proposal = ineligible_proposal(competition)
    admin = AdminFactory()
    login(client, admin.email)
    decisions_page = f"/admin/competitions/{competition.id}/decisions"
    assert "noch kein Schreiben" in client.get(decisions_page).get_data(as_text=True)
    response = post_form(client, f"/admin/competitions/{competition.id}/letters", token_from=decisions_page,
                         follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "1 Ablehnungsbescheide wegen fehlender Förderfähigkeit wurden in den Postausgang gelegt." in page
    assert "Lindenauer Markt" in page and "Schreiben versandt am" in page  # listed with the letters

    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "ineligibility_letter"))
    assert message.recipient == proposal.applicant.email
    assert message.subject == f"Ergebnis der formalen Vorprüfung Ihres Antrags {proposal.receipt_number}"
    assert REASON in message.body and RULE_NOT_MET in message.body and RULE_MET not in message.body
    assert "Rechtsbehelfsbelehrung" in message.body and REMEDIES_DE in message.body
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert stored.ineligibility_letter_id == message.id and stored.ineligibility_letter_sent_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.ineligibility_letter_sent"))
    assert event.object_id == proposal.id and event.after["outbox_message_id"] == message.id

    applicant = client.application.test_client()
    login(applicant, proposal.applicant.email)
    letter = applicant.get(f"/proposals/{proposal.id}/letters/ineligibility.txt")
    assert letter.status_code == 200 and REMEDIES_DE in letter.get_data(as_text=True)


def test_an_english_applicant_gets_the_english_notice(db, in_request):
    competition = with_remedies(review_competition())
    proposal = ineligible_proposal(competition, applicant=UserFactory(locale="en"))
    assert send_ineligibility_letters(competition, AdminFactory()) == 1
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "ineligibility_letter"))
    assert message.subject == f"Result of the formal pre-check of your proposal {proposal.receipt_number}"
    assert "Notice on legal remedies" in message.body and REMEDIES_EN in message.body


def test_letters_of_ineligibility_are_sent_once(db, in_request):
    competition = with_remedies(review_competition())
    ineligible_proposal(competition)
    pool_proposal(competition)  # eligible: no letter of ineligibility
    admin = AdminFactory()
    assert send_ineligibility_letters(competition, admin) == 1
    db.session.commit()
    assert send_ineligibility_letters(competition, admin) == 0
    db.session.commit()
    assert len(db.session.scalars(select(OutboxMessage)
                                  .where(OutboxMessage.template == "ineligibility_letter")).all()) == 1


def test_without_a_notice_on_legal_remedies_nothing_is_sent(client, db, in_request):
    competition = review_competition()
    proposal = ineligible_proposal(competition)
    login(client, AdminFactory().email)
    decisions_page = f"/admin/competitions/{competition.id}/decisions"
    response = post_form(client, f"/admin/competitions/{competition.id}/letters", token_from=decisions_page,
                         follow_redirects=True)
    assert "Bitte tragen Sie die Rechtsbehelfsbelehrung" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).ineligibility_letter_sent_at is None
    assert db.session.scalars(select(OutboxMessage)).all() == []


def test_letters_of_ineligibility_wait_for_the_end_of_the_precheck(db, in_request):
    competition = with_remedies(review_competition(phase="precheck"))
    ineligible_proposal(competition)
    with pytest.raises(DomainError):
        send_ineligibility_letters(competition, AdminFactory())


def test_the_competition_form_stores_the_notice_on_legal_remedies(client, db):
    login(client, AdminFactory().email)
    assert "Widerspruch" in client.get("/admin/competitions/new").get_data(as_text=True)  # the default notice
    competition = review_competition(phase="draft")
    url = f"/admin/competitions/{competition.id}/edit"
    assert post_form(client, url, COMPETITION_FORM).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Competition, competition.id)
    assert stored.legal_remedies("de") == REMEDIES_DE and stored.legal_remedies("en") == REMEDIES_EN
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.updated"))
    assert event.after["legal_remedies_de"] == REMEDIES_DE


COMPETITION_FORM = {
    "title": "Ideenwettbewerb Unternehmensnetzwerke", "programme": "URBAN II", "measure": "1.2",
    "call_text": "Aufruf", "eligibility_rules": RULE_MET, "sectors": "Medien",
    "legal_remedies_de": REMEDIES_DE, "legal_remedies_en": REMEDIES_EN,
    "timezone": "Europe/Berlin", "submission_opens_at": "2030-03-01T09:00",
    "submission_deadline": "2030-05-31T12:00", "review_deadline": "2030-07-15T18:00",
    "winners_min": "3", "winners_max": "5", "budget": "1.500.000,00",
    "funding_sources-0-name": "EFRE", "funding_sources-0-share": "75",
    "funding_sources-1-name": "Stadt", "funding_sources-1-share": "25",
    "funding_sources-2-name": "", "funding_sources-2-share": "",
    "funding_sources-3-name": "", "funding_sources-3-share": "",
    "contract_months": "24", "scale_min": "0", "scale_max": "5", "scale_step": "0,5",
    "reviews_per_proposal": "3", "other_reviews_visibility": "after_own",
}
