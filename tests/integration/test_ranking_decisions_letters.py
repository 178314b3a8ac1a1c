"""Decision letters: applicant's language, feedback without juror names, idempotent sending, phase rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.decisions.letters import send_decision_letters
from app.decisions.models import Decision
from app.decisions.services import record_decision, record_decisions
from tests.builders.decisions import JUROR_NAMES, decision_case
from tests.builders.ranking import approved_consensus
from tests.web import login, post_form


def outbox(db, template="decision_letter"):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                              .order_by(OutboxMessage.id)).all()


def decide_all(case):
    """Award the first two, reserve the third, reject the last."""
    record_decisions(case.competition, outcome="awarded", actor=case.admin, award_date=date(2024, 7, 1),
                     rationales={case.auto.id: "Überzeugendes Konzept.", case.virtual.id: "Starke Partner."})
    record_decision(case.energy, outcome="reserve", rationale="Knapp unter der Förderlinie.", actor=case.admin)
    record_decision(case.media, outcome="rejected", rationale="Schwellenwert Wirkung verfehlt.", actor=case.admin)


def decide_and_commit():
    """The decision case with all four decisions committed."""
    case = decision_case()
    decide_all(case)
    from app.extensions import db

    db.session.commit()
    return case


def test_letters_go_to_each_applicant_in_their_language(db, in_request):
    case = decision_case()
    decide_all(case)
    assert send_decision_letters(case.competition, case.admin) == 4
    db.session.commit()
    by_recipient = {m.recipient: m for m in outbox(db)}
    english = by_recipient[case.auto.applicant.email]
    assert english.locale == "en"
    assert english.subject == f"Your proposal {case.auto.receipt_number} has been awarded"
    assert "Network quality: 4.33" in english.body and "Total: 13.00" in english.body
    assert "award date is 1 Jul 2024" in english.body
    german = by_recipient[case.media.applicant.email]
    assert german.locale == "de"
    assert german.subject == f"Entscheidung über Ihren Antrag {case.media.receipt_number}"
    assert "Qualität des Netzwerks: 5,00" in german.body
    assert "Schwellenwert Wirkung verfehlt." in german.body  # the rationale
    reserve = by_recipient[case.energy.applicant.email]
    assert "Nachrückliste" in reserve.subject


def test_letters_carry_anonymised_justifications_without_juror_names(db, in_request):
    case = decision_case()
    decide_all(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    body = next(m.body for m in outbox(db) if m.recipient == case.energy.applicant.email)
    for i in (1, 2, 3):
        assert f"Qualität energy Gutachten {i}" in body and f"Wirkung energy Gutachten {i}" in body
    for juror in [*case.jurors, case.conflicted]:
        assert juror.name not in body and juror.email not in body
    assert "Gutachten" in body and "media" not in body  # only this proposal's reviews


def test_letters_use_the_approved_consensus_comments_instead_of_the_individual_ones(db, in_request):
    case = decision_case()
    consensus = approved_consensus(case.virtual, {case.a: 4, case.b: 3})
    consensus.report = "Die Jury würdigt das starke Netzwerk."
    consensus.scores[0].comment = "Breite Partnerbasis im Programmgebiet."
    db.session.commit()
    decide_all(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    body = next(m.body for m in outbox(db) if m.recipient == case.virtual.applicant.email)
    assert "Die Jury würdigt das starke Netzwerk." in body
    assert "Breite Partnerbasis im Programmgebiet." in body
    assert "Gutachten" not in body


def test_sending_twice_sends_each_letter_once(db, in_request):
    case = decision_case()
    decide_all(case)
    assert send_decision_letters(case.competition, case.admin) == 4
    db.session.commit()
    assert send_decision_letters(case.competition, case.admin) == 0
    db.session.commit()
    assert len(outbox(db)) == 4
    assert all(d.letter_sent_at is not None for d in db.session.scalars(select(Decision)))
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "decision.letter_sent")).all()) == 4


def test_a_double_click_on_send_letters_sends_once(client, db, in_request):
    case = decision_case()
    decide_all(case)
    db.session.commit()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/letters"
    token_page = f"/admin/competitions/{case.competition.id}/decisions"
    assert post_form(client, path, token_from=token_page).status_code == 302
    assert post_form(client, path, token_from=token_page).status_code == 302
    assert len(outbox(db)) == 4


def test_a_claimed_decision_is_not_lettered_again_by_a_parallel_request(db, in_request, monkeypatch):
    """The conditional update is what makes parallel requests safe: a decision already claimed is skipped."""
    case = decide_and_commit()
    from app.decisions import letters

    pending = letters.pending_letters(case.competition)
    # Another request claims one decision between our read and our update.
    db.session.execute(Decision.__table__.update().where(Decision.id == pending[0].id)
                       .values(letter_sent_at=pending[0].decided_at))
    monkeypatch.setattr(letters, "pending_letters", lambda competition: pending)
    assert send_decision_letters(case.competition, case.admin) == 3


def test_shortlisted_proposals_get_no_letter_yet(db, in_request):
    case = decision_case()
    record_decision(case.energy, outcome="shortlisted", rationale="Engere Wahl.", actor=case.admin)
    assert send_decision_letters(case.competition, case.admin) == 0


def test_a_changed_outcome_gets_a_new_letter(db, in_request):
    case = decision_case()
    record_decision(case.energy, outcome="reserve", rationale="Nachrückliste.", actor=case.admin)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    record_decision(case.energy, outcome="awarded", rationale="Nachgerückt.", actor=case.admin)
    assert send_decision_letters(case.competition, case.admin) == 1
    db.session.commit()
    subjects = [m.subject for m in outbox(db)]
    assert len(subjects) == 2 and "Zuschlag" in subjects[1]


@pytest.mark.parametrize("phase", ["consensus"])
def test_letters_are_refused_before_the_decision_phase(db, in_request, phase):
    case = decision_case(phase=phase)
    record_decision(case.media, outcome="rejected", rationale="Zu schwach.", actor=case.admin)
    with pytest.raises(DomainError):
        send_decision_letters(case.competition, case.admin)


def test_the_letters_button_reports_the_refusal(client, db, in_request):
    case = decision_case(phase="consensus")
    record_decision(case.media, outcome="rejected", rationale="Zu schwach.", actor=case.admin)
    db.session.commit()
    login(client, case.admin.email)
    response = post_form(client, f"/admin/competitions/{case.competition.id}/letters",
                         token_from=f"/admin/competitions/{case.competition.id}/decisions", follow_redirects=True)
    assert "Entscheidungsphase" in response.get_data(as_text=True) or "decision phase" in response.get_data(
        as_text=True)
    assert outbox(db) == []


def test_juror_names_never_appear_in_any_letter(db, in_request):
    case = decision_case()
    decide_all(case)
    send_decision_letters(case.competition, case.admin)
    db.session.commit()
    for message in outbox(db):
        for name in JUROR_NAMES:
            assert name not in message.body
