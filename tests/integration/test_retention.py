"""Retention: the competition's retention end, and what `flask retention` deletes, keeps and anonymises."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app.accounts.models import User
from app.competitions.models import Competition
from app.contracts.models import Payment
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.core.uploads import store_bytes
from app.decisions.models import Decision
from app.extensions import db as _db
from app.jury.models import Review
from app.privacy.retention import default_retention_end, retention_end
from app.proposals.models import Attachment, Proposal
from tests.builders.contracts import worked_example_contract
from tests.builders.jury import add_review, juror, pool_proposal, review_competition
from tests.builders.privacy import attach
from tests.factories import AdminFactory, CompetitionFactory, JuryMembershipFactory, ProposalFactory
from tests.web import login, post_form

LONG_AGO = datetime(2015, 6, 1, tzinfo=UTC)


def run(runner, *args):
    result = runner.invoke(args=["retention", *args])
    assert result.exit_code == 0, result.output
    _db.session.expire_all()
    return result.output


def stored(app, key: str) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / key[:2] / key


def past_competition(**kwargs) -> Competition:
    """A decided competition whose retention end has passed (set by an administrator)."""
    competition = review_competition(phase="closed", **kwargs)
    competition.retention_until = date(2020, 12, 31)
    competition.retention_reason = "Test"
    _db.session.commit()
    return competition


def test_default_retention_end_follows_the_last_payment_or_the_decision(db):
    admin = AdminFactory()
    contract, _ = worked_example_contract(admin)
    _db.session.add(Payment(contract_id=contract.id, kind="fixed", amount_cents=100,
                            released_at=datetime(2024, 3, 1, tzinfo=UTC)))
    _db.session.commit()
    assert default_retention_end(contract.competition) == date(2029, 12, 31)
    decided = review_competition(phase="decision")
    proposal = pool_proposal(decided)
    _db.session.add(Decision(proposal=proposal, outcome="rejected", decided_at=datetime(2026, 5, 4, tzinfo=UTC)))
    _db.session.commit()
    assert default_retention_end(decided) == date(2031, 12, 31)
    assert default_retention_end(CompetitionFactory()) is None


def test_admin_sets_the_retention_end_with_a_reason_and_it_is_audited(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory()
    login(client, admin.email)
    path = f"/admin/privacy/retention/{competition.id}"
    refused = post_form(client, path, {"retention_until": "2035-12-31", "reason": ""})
    assert refused.status_code == 200 and _db.session.get(Competition, competition.id).retention_until is None
    assert post_form(client, path, {"retention_until": "2035-12-31", "reason": "Prüfung des Rechnungshofs"}
                     ).status_code == 302
    competition = _db.session.get(Competition, competition.id)
    assert retention_end(competition) == date(2035, 12, 31)
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.retention_changed"))
    assert event.after == {"retention_until": "2035-12-31", "reason": "Prüfung des Rechnungshofs"}
    assert "31.12.2035" in client.get("/admin/privacy/retention").get_data(as_text=True)


def test_dry_run_lists_but_changes_nothing_and_is_audited(app, db, runner):
    old = CompetitionFactory(submission_deadline=LONG_AGO)
    draft = ProposalFactory(competition=old)
    output = run(runner)
    assert "Dry run" in output and f"proposal ids): {draft.id}" in output
    assert _db.session.get(Proposal, draft.id) is not None
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.run"))
    assert event.after["applied"] is False and event.after["stale_drafts"] == 1


def test_drafts_never_submitted_go_twelve_months_after_the_deadline(app, db, runner):
    old = CompetitionFactory(submission_deadline=LONG_AGO)
    recent = CompetitionFactory(submission_deadline=utcnow() - timedelta(days=200))
    stale = ProposalFactory(competition=old)
    key = attach(stale, b"%PDF-1.4 alt", "alt.pdf").storage_key
    young = ProposalFactory(competition=recent)
    submitted = pool_proposal(old)
    stale_id, young_id, submitted_id = stale.id, young.id, submitted.id
    run(runner, "--apply")
    assert _db.session.get(Proposal, stale_id) is None and not stored(app, key).exists()
    assert _db.session.get(Proposal, young_id) is not None
    assert _db.session.get(Proposal, submitted_id) is not None
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.run"))
    assert event.after["applied"] is True and event.after["stale_drafts"] == 1


def test_rejected_and_ineligible_applications_lose_personal_data_after_the_retention_end(app, db, runner):
    competition = past_competition()
    rejected = pool_proposal(competition, lead_contact_name="Rita Rot", lead_contact_email="rita@rot.example")
    _db.session.add(Decision(proposal=rejected, outcome="rejected"))
    ineligible = pool_proposal(competition, eligibility="not_eligible", lead_contact_email="ina@nicht.example")
    awarded = pool_proposal(competition, lead_contact_email="anton@award.example")
    _db.session.add(Decision(proposal=awarded, outcome="awarded", award_date=date(2019, 1, 1)))
    _db.session.commit()
    key = attach(rejected, b"%PDF-1.4 rot", "rot.pdf").storage_key
    running = review_competition()  # retention end not reached: untouched
    other = pool_proposal(running, eligibility="not_eligible", lead_contact_email="olga@offen.example")
    ids = rejected.id, ineligible.id, awarded.id, other.id
    run(runner, "--apply")
    rejected, ineligible, awarded, other = (_db.session.get(Proposal, i) for i in ids)
    assert rejected.lead_contact_email == "" and rejected.lead_contact_name == ""
    assert rejected.snapshot["lead_contact_email"] == "" and rejected.snapshot["personal_data_erased"] is True
    assert rejected.receipt_number is not None and rejected.network_name  # the facts of the application stay
    assert _db.session.scalars(select(Attachment).where(Attachment.proposal_id == rejected.id)).all() == []
    assert not stored(app, key).exists()
    assert ineligible.lead_contact_email == ""
    assert awarded.lead_contact_email == "anton@award.example"
    assert other.lead_contact_email == "olga@offen.example"
    assert "0  rejected" in run(runner)  # nothing left to do the next time


def test_jurors_are_erased_after_the_retention_end_unless_they_serve_elsewhere(app, db, runner):
    competition = past_competition()
    proposal = pool_proposal(competition)
    done = juror(competition, name="Erna Ende")
    add_review(_db, proposal, done)
    busy = juror(competition, name="Bodo Bleibt")
    JuryMembershipFactory(competition=review_competition(), user=busy)  # still serves in a running competition
    done_id, busy_id = done.id, busy.id
    run(runner, "--apply")
    erased = _db.session.get(User, done_id)
    assert erased.is_deleted and erased.email == f"deleted-{done_id}@deleted.invalid"
    assert _db.session.scalars(select(Review).where(Review.user_id == done_id)).all()  # the review is kept
    assert not _db.session.get(User, busy_id).is_deleted


def test_outbox_bodies_go_after_ninety_days(app, db, runner):
    old = OutboxMessage(recipient="a@b.example", locale="de", template="x", subject="Alt", body="Geheimer Text",
                        status="sent", created_at=utcnow() - timedelta(days=91))
    new = OutboxMessage(recipient="a@b.example", locale="de", template="x", subject="Neu", body="Neuer Text",
                        status="sent", created_at=utcnow() - timedelta(days=10))
    waiting = OutboxMessage(recipient="a@b.example", locale="de", template="x", subject="Wartet", body="Noch zu senden",
                            status="failed", created_at=utcnow() - timedelta(days=91))
    _db.session.add_all([old, new, waiting])
    _db.session.commit()
    run(runner, "--apply")
    assert [m.body for m in _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))] == [
        "", "Neuer Text", "Noch zu senden"]


def test_audit_ip_addresses_go_after_their_period(app, db, runner):
    _db.session.add_all([AuditEvent(action="old", ip="192.0.2.1", created_at=utcnow() - timedelta(days=181)),
                         AuditEvent(action="new", ip="192.0.2.2", created_at=utcnow() - timedelta(days=5))])
    _db.session.commit()
    run(runner, "--apply")
    ips = dict(_db.session.execute(select(AuditEvent.action, AuditEvent.ip).where(
        AuditEvent.action.in_(["old", "new"]))).all())
    assert ips == {"old": None, "new": "192.0.2.2"}


def test_files_no_record_points_to_are_removed(app, db, runner):
    proposal = ProposalFactory()
    kept = attach(proposal, b"%PDF-1.4 bleibt", "bleibt.pdf").storage_key
    orphan = store_bytes(b"verwaist")
    fresh = store_bytes(b"gerade hochgeladen")  # its row may not be committed yet
    days_ago = time.time() - 2 * 86400
    for key in (kept, orphan):
        os.utime(stored(app, key), (days_ago, days_ago))
    assert f"{orphan}" in run(runner)
    assert stored(app, orphan).exists()
    run(runner, "--apply")
    assert not stored(app, orphan).exists()
    assert stored(app, kept).exists() and stored(app, fresh).exists()
