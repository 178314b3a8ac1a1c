"""Formal pre-check: only submitted proposals, only in the pre-check phase, reasons, audit, phase gate."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import select

from app.competitions.phases import advance_phase
from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.proposals.precheck import record_precheck, review_requirement
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory, UserFactory
from tests.web import login, post_form

RULES = ["Träger hat Sitz im Programmgebiet", "Mindestens drei Partnerunternehmen", "Finanzierungsplan vollständig"]
_receipts = count(1)


def precheck_competition(**kwargs):
    """A competition whose submission deadline has passed and that is in the pre-check phase."""
    kwargs.setdefault("phase", "precheck")
    return CompetitionFactory(submission_opens_at=utcnow() - timedelta(days=40),
                              submission_deadline=utcnow() - timedelta(days=2),
                              eligibility_rules="\n".join(RULES), **kwargs)


def submitted_proposal(competition, **kwargs):
    """A submitted proposal with receipt number and snapshot."""
    number = next(_receipts)
    kwargs.setdefault("network_name", f"Netzwerk {number}")
    return ProposalFactory(competition=competition, status="submitted", receipt_number=f"T-{number:04d}",
                           submitted_at=utcnow() - timedelta(days=3), snapshot={"network_name": kwargs["network_name"]},
                           **kwargs)


def all_met():
    return dict.fromkeys(RULES, True)


# --- the service -----------------------------------------------------------------------

def test_precheck_stores_checklist_result_and_audits_before_and_after(db, in_request):
    admin = AdminFactory()
    proposal = submitted_proposal(precheck_competition())
    checklist = {**all_met(), RULES[1]: False}
    record_precheck(proposal, checklist=checklist, result="not_eligible", reason="Nur zwei Partner.", actor=admin)
    db.session.commit()

    assert proposal.eligibility == "not_eligible"
    assert proposal.eligibility_reason == "Nur zwei Partner."
    assert proposal.precheck_checklist == checklist
    assert proposal.prechecked_by_id == admin.id and proposal.prechecked_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.prechecked"))
    assert (event.object_type, event.object_id, event.actor_id) == ("proposals", proposal.id, admin.id)
    assert event.before["eligibility"] is None
    assert event.after["eligibility"] == "not_eligible"
    assert event.after["precheck_checklist"][RULES[1]] is False


def test_changing_a_precheck_records_the_earlier_result_as_before(db, in_request):
    admin = AdminFactory()
    proposal = submitted_proposal(precheck_competition())
    record_precheck(proposal, checklist=all_met(), result="eligible", reason="", actor=admin)
    record_precheck(proposal, checklist=all_met(), result="not_eligible", reason="Doppelt eingereicht.", actor=admin)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.prechecked")
                                .order_by(AuditEvent.id)).all()
    assert [e.after["eligibility"] for e in events] == ["eligible", "not_eligible"]
    assert events[1].before["eligibility"] == "eligible"


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_only_submitted_proposals_can_be_prechecked(db, status, in_request):
    proposal = ProposalFactory(competition=precheck_competition(), status=status)
    with pytest.raises(DomainError, match="Nur eingereichte Anträge"):
        record_precheck(proposal, checklist=all_met(), result="eligible", reason="", actor=AdminFactory())
    assert proposal.eligibility is None


@pytest.mark.parametrize("phase", ["open", "review"])
def test_precheck_only_in_the_precheck_phase(db, phase, in_request):
    proposal = submitted_proposal(precheck_competition(phase=phase))
    with pytest.raises(DomainError, match="Phase der Vorprüfung"):
        record_precheck(proposal, checklist=all_met(), result="eligible", reason="", actor=AdminFactory())
    assert proposal.eligibility is None


def test_not_eligible_needs_a_reason(db, in_request):
    proposal = submitted_proposal(precheck_competition())
    with pytest.raises(DomainError) as refused:
        record_precheck(proposal, checklist=all_met(), result="not_eligible", reason="   ", actor=AdminFactory())
    assert refused.value.field == "reason"


def test_eligible_despite_an_unmet_rule_needs_a_reason(db, in_request):
    admin = AdminFactory()
    proposal = submitted_proposal(precheck_competition())
    checklist = {**all_met(), RULES[2]: False}
    with pytest.raises(DomainError) as refused:
        record_precheck(proposal, checklist=checklist, result="eligible", reason="", actor=admin)
    assert refused.value.field == "reason"
    record_precheck(proposal, checklist=checklist, result="eligible", reason="Plan nachgereicht.", actor=admin)
    assert proposal.eligibility == "eligible"


def test_every_rule_must_be_answered(db, in_request):
    proposal = submitted_proposal(precheck_competition())
    with pytest.raises(DomainError, match="jede Regel"):
        record_precheck(proposal, checklist={RULES[0]: True}, result="eligible", reason="", actor=AdminFactory())


# --- the gate to the review phase ---------------------------------------------------------

def test_review_phase_waits_until_every_submitted_proposal_is_prechecked(db, in_request):
    admin = AdminFactory()
    competition = precheck_competition()
    first, second = submitted_proposal(competition), submitted_proposal(competition)
    ProposalFactory(competition=competition, status="draft")  # drafts never reach the jury

    assert [str(p) for p in review_requirement(competition)] == [
        "2 eingereichte Anträge haben noch kein Ergebnis der Vorprüfung.",
        "Kein eingereichter Antrag wurde in der Vorprüfung als förderfähig festgestellt.",
    ]
    record_precheck(first, checklist=all_met(), result="eligible", reason="", actor=admin)
    with pytest.raises(DomainError, match="noch kein Ergebnis der Vorprüfung"):
        advance_phase(competition, "review", admin)
    assert competition.phase == "precheck"

    record_precheck(second, checklist=all_met(), result="not_eligible", reason="Verspätet.", actor=admin)
    assert review_requirement(competition) == []
    advance_phase(competition, "review", admin)
    assert competition.phase == "review"


def test_review_phase_needs_at_least_one_eligible_proposal(db, in_request):
    admin = AdminFactory()
    competition = precheck_competition()
    record_precheck(submitted_proposal(competition), checklist=all_met(), result="not_eligible",
                    reason="Kein Bezug zum Programmgebiet.", actor=admin)
    with pytest.raises(DomainError, match="förderfähig"):
        advance_phase(competition, "review", admin)


# --- the page -------------------------------------------------------------------------------

def _form(result, reason="", answers=("yes", "yes", "yes")):
    data = {f"rule_{i}": answer for i, answer in enumerate(answers)}
    data.update(result=result, reason=reason)
    return data


def test_admin_records_precheck_through_the_form(client, db):
    admin = AdminFactory()
    proposal = submitted_proposal(precheck_competition())
    login(client, admin.email)
    page = client.get(f"/admin/proposals/{proposal.id}/precheck").get_data(as_text=True)
    assert RULES[0] in page and proposal.network_name in page

    response = post_form(client, f"/admin/proposals/{proposal.id}/precheck",
                         _form("not_eligible", "Nur zwei Partner.", ("yes", "no", "yes")))
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.eligibility == "not_eligible"
    assert proposal.precheck_checklist == {RULES[0]: True, RULES[1]: False, RULES[2]: True}


def test_refused_precheck_keeps_the_input_and_changes_nothing(client, db):
    proposal = submitted_proposal(precheck_competition())
    login(client, AdminFactory().email)
    response = post_form(client, f"/admin/proposals/{proposal.id}/precheck",
                         _form("eligible", "", ("yes", "no", "yes")))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Eine Regel ist nicht erfüllt" in body
    assert '<input checked class="form-check-input" id="rule_1-1"' in body  # the typed answers stay
    db.session.refresh(proposal)
    assert proposal.eligibility is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.prechecked")) is None


def test_unanswered_rule_is_refused_by_the_form(client, db):
    proposal = submitted_proposal(precheck_competition())
    login(client, AdminFactory().email)
    data = _form("eligible")
    del data["rule_2"]
    response = post_form(client, f"/admin/proposals/{proposal.id}/precheck", data)
    assert "Bitte beantworten Sie diese Regel." in response.get_data(as_text=True)
    db.session.refresh(proposal)
    assert proposal.eligibility is None


def test_page_explains_when_the_phase_does_not_allow_a_precheck(client, db):
    proposal = submitted_proposal(precheck_competition(phase="open"))
    login(client, AdminFactory().email)
    body = client.get(f"/admin/proposals/{proposal.id}/precheck").get_data(as_text=True)
    assert "nur möglich, solange sich der Wettbewerb in der Phase der Vorprüfung befindet" in body
    response = post_form(client, f"/admin/proposals/{proposal.id}/precheck", _form("eligible"),
                         token_from=f"/admin/proposals/{proposal.id}")
    assert response.status_code == 200
    db.session.refresh(proposal)
    assert proposal.eligibility is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_precheck_page_access(client, db, method):
    proposal = submitted_proposal(precheck_competition())
    path = f"/admin/proposals/{proposal.id}/precheck"
    send = (lambda: client.get(path)) if method == "get" else (
        lambda: post_form(client, path, _form("eligible"), token_from="/"))
    response = send()
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login(client, UserFactory().email)
    assert send().status_code == 403
    db.session.refresh(proposal)
    assert proposal.eligibility is None


def test_precheck_of_unknown_proposal_is_404(client):
    login(client, AdminFactory().email)
    assert client.get("/admin/proposals/99999/precheck").status_code == 404
