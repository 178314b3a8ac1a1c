"""The proposal services on their own: rules, optimistic locking, receipt numbers, snapshot, audit."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.extensions import db as _db
from app.proposals import services
from app.proposals.models import Proposal, ProposalKpi, ProposalMeasure, ProposalPartner
from app.proposals.snapshot import build_snapshot
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def request_context(app):
    """Services format dates in the user's language, which is chosen per request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def complete(proposal: Proposal) -> Proposal:
    proposal.partners.append(ProposalPartner(organisation="A GmbH", town="Leipzig"))
    proposal.measures.append(ProposalMeasure(title="Workshops", cost_cents=100_00))
    proposal.kpis.append(ProposalKpi(indicator="Firmen", unit="Anzahl", baseline=Decimal("1"),
                                     target=Decimal("2.25")))
    _db.session.commit()
    return proposal


def test_create_draft_prefills_the_lead_contact():
    user = UserFactory(name="Erika", email="erika@firma.example", organisation="Firma GmbH")
    proposal = services.create_draft(CompetitionFactory(), user)
    assert (proposal.status, proposal.version, proposal.lead_name, proposal.lead_contact_email) == (
        "draft", 1, "Firma GmbH", "erika@firma.example")


@pytest.mark.parametrize("changes,message", [
    ({"submission_deadline": utcnow() - timedelta(minutes=1)}, "The submission deadline passed on"),
    ({"phase": "precheck"}, "not open for submissions"),
    ({"submission_opens_at": utcnow() + timedelta(days=1)}, "not open for submissions"),
])
def test_create_draft_refused_unless_the_call_is_open(changes, message):
    with pytest.raises(DomainError, match=message):
        services.create_draft(CompetitionFactory(**changes), UserFactory())


def test_save_section_sets_only_the_sections_columns_and_moves_the_version():
    proposal = ProposalFactory(objectives="alt")
    services.save_section(proposal, "concept", {"cluster_analysis": "neu", "objectives": "ziel",
                                                "status": "submitted", "receipt_number": "x"},
                          expected_version=1, actor=proposal.applicant)
    _db.session.commit()
    _db.session.expire_all()
    stored = _db.session.get(Proposal, proposal.id)
    assert (stored.cluster_analysis, stored.objectives, stored.status, stored.receipt_number, stored.version) == (
        "neu", "ziel", "draft", None, 2)


def test_stale_version_is_refused_without_change():
    proposal = ProposalFactory(objectives="alt", version=3)
    with pytest.raises(DomainError, match="changed in the meantime"):
        services.save_section(proposal, "concept", {"objectives": "neu"}, expected_version=2,
                              actor=proposal.applicant)


def test_concurrent_save_that_committed_first_wins():
    """Another request moved the version on after this one loaded the proposal."""
    proposal = ProposalFactory(objectives="alt")
    assert proposal.version == 1
    with _db.engine.begin() as other_request:
        other_request.execute(update(Proposal).where(Proposal.id == proposal.id)
                              .values(version=2, objectives="andere"))
    # this session still believes version 1: the conditional UPDATE finds no row to claim
    with pytest.raises(DomainError, match="changed in the meantime"):
        services.save_section(proposal, "concept", {"objectives": "meine"}, expected_version=1,
                              actor=proposal.applicant)
    _db.session.rollback()
    _db.session.expire_all()
    assert _db.session.get(Proposal, proposal.id).objectives == "andere"


def test_rows_are_replaced_in_order_and_audited():
    proposal = ProposalFactory()
    services.save_section(proposal, "partners", [{"organisation": "A", "town": "L"}, {"organisation": "B"}],
                          expected_version=1, actor=proposal.applicant)
    services.save_section(proposal, "partners", [{"organisation": "B", "town": "H", "in_programme_area": True}],
                          expected_version=2, actor=proposal.applicant)
    _db.session.commit()
    rows = _db.session.scalars(select(ProposalPartner)).all()
    assert [(r.organisation, r.town, r.position, r.in_programme_area, r.size) for r in rows] == [
        ("B", "H", 0, True, "")]
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.section_saved")
                                .order_by(AuditEvent.id)).all()[-1]
    assert [row["organisation"] for row in event.before["values"]] == ["A", "B"]


def test_snapshot_is_plain_json_with_exact_numbers():
    proposal = complete(ProposalFactory(requested_funding_cents=12_345))
    snapshot = build_snapshot(proposal)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["requested_funding_cents"] == 12_345
    assert Decimal(snapshot["kpis"][0]["target"]) == Decimal("2.25")
    assert snapshot["competition"]["id"] == proposal.competition_id


def test_submit_draws_a_receipt_number_under_the_competition_counter():
    competition = CompetitionFactory(receipt_counter=41)
    proposal = complete(ProposalFactory(competition=competition))
    now = utcnow()
    services.submit_proposal(proposal, expected_version=1, actor=proposal.applicant, now=now)
    assert proposal.receipt_number == f"{now.year}-{competition.id:03d}-0042"
    assert competition.receipt_counter == 42
    assert proposal.snapshot["receipt_number"] == proposal.receipt_number
    assert _db.session.scalar(select(OutboxMessage.template)) == "proposal_submitted"


def test_receipt_year_is_the_year_in_the_competitions_zone():
    competition = CompetitionFactory()
    proposal = complete(ProposalFactory(competition=competition))
    new_year_in_berlin = utcnow().replace(month=12, day=31, hour=23, minute=30, second=0, microsecond=0)
    number = services.next_receipt_number(proposal, new_year_in_berlin)
    assert number.startswith(f"{new_year_in_berlin.year + 1}-")


def test_submit_refuses_incomplete_proposals():
    proposal = ProposalFactory()
    with pytest.raises(DomainError, match="not complete"):
        services.submit_proposal(proposal, expected_version=1, actor=proposal.applicant)
    assert proposal.status == "draft" and proposal.competition.receipt_counter == 0


def test_withdraw_sets_time_and_refuses_twice():
    proposal = ProposalFactory()
    services.withdraw_proposal(proposal, proposal.applicant)
    assert proposal.status == "withdrawn" and proposal.withdrawn_at is not None
    with pytest.raises(DomainError, match="already been withdrawn"):
        services.withdraw_proposal(proposal, proposal.applicant)


@pytest.mark.parametrize("phase,allowed", [("open", True), ("precheck", True), ("review", True),
                                           ("consensus", True), ("decision", False), ("closed", False)])
def test_withdrawal_is_possible_until_the_decision(phase, allowed):
    proposal = ProposalFactory(competition=CompetitionFactory(phase=phase))
    assert proposal.can_withdraw(proposal.applicant) is allowed
    assert proposal.can_withdraw(UserFactory()) is False


def test_attachment_limit_counts_stored_rows():
    proposal = ProposalFactory()
    for number in range(services.MAX_ATTACHMENTS):
        services.add_attachment(proposal, f"a{number}.pdf", PDF, proposal.applicant)
    with pytest.raises(DomainError, match="at most 5 attachments"):
        services.add_attachment(proposal, "zu-viel.pdf", PDF, proposal.applicant)


def test_remove_attachment_returns_the_key_for_deleting_the_file():
    proposal = ProposalFactory()
    attachment = services.add_attachment(proposal, "a.pdf", PDF, proposal.applicant)
    key = attachment.storage_key
    assert services.remove_attachment(proposal, attachment, proposal.applicant) == key
    assert proposal.attachments == []


def test_can_edit_follows_owner_status_and_deadline():
    proposal = ProposalFactory()
    owner, stranger = proposal.applicant, UserFactory()
    assert proposal.can_edit(owner) and not proposal.can_edit(stranger)
    assert not proposal.can_edit(owner, now=proposal.competition.submission_deadline)
    proposal.status = "submitted"
    assert not proposal.can_edit(owner)
