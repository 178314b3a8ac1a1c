"""Durability: a backup taken on one database restores on another (SQLite ⇄ the test database,
PostgreSQL when TEST_DATABASE_URL is set), with money, decimals, times, JSON and uploads intact."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.config import TestConfig
from app.contracts import release
from app.contracts.models import Milestone, Payment, ProgressReport
from app.core.backup import create_backup, restore_backup
from app.core.models import AuditEvent
from app.core.uploads import read_stored, store_bytes
from app.extensions import db as _db
from app.proposals.models import Attachment, Proposal
from tests.builders.contracts import accepted_value, worked_example_contract
from tests.factories import AdminFactory, UserFactory


@contextmanager
def fresh_sqlite_app(tmp_path):
    """A second installation on its own SQLite file with an empty schema and its own upload folder."""
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.sqlite'}",
                       UPLOAD_FOLDER=str(tmp_path / "other-uploads"))
    with other.app_context():
        _db.create_all()
        yield other
        _db.session.remove()
        _db.engine.dispose()


def _fill(app) -> dict:
    """A paid contract (decimals, money, dates, JSON), a user with umlauts and an uploaded file."""
    admin = AdminFactory(name="Jürgen Groß")
    with app.test_request_context():
        contract, members = worked_example_contract(admin)
        accepted_value(members, "20.5", admin)
        payment, _created = release.release_milestone_payment(contract.id, members.id, expected_cents=None,
                                                             actor=admin)
        key = store_bytes(b"%PDF-1.4 Nachweis")
        _db.session.add(Attachment(proposal_id=contract.proposal_id, storage_key=key, display_name="Nachweis.pdf",
                                   mime_type="application/pdf", size_bytes=17, sha256="x" * 64))
        _db.session.commit()
    proposal = _db.session.get(Proposal, contract.proposal_id)
    return {"key": key, "payment": (payment.amount_cents, [(p.source, p.share, p.amount_cents)
                                                            for p in payment.parts], payment.calculation),
            "receipt": proposal.receipt_number, "submitted_at": proposal.submitted_at,
            "tranche": members.tranche_cents, "minimum_level": members.minimum_level, "admin": admin.name}


def _check(expected: dict) -> None:
    """The restored database holds what the backed-up one held."""
    payment = _db.session.scalars(select(Payment)).one()
    assert (payment.amount_cents, [(p.source, p.share, p.amount_cents) for p in payment.parts],
            payment.calculation) == expected["payment"]
    assert sum(p.amount_cents for p in payment.parts) == payment.amount_cents
    proposal = _db.session.scalars(select(Proposal)).one()
    assert (proposal.receipt_number, proposal.submitted_at) == (expected["receipt"], expected["submitted_at"])
    milestone = _db.session.get(Milestone, payment.milestone_id)
    assert (milestone.tranche_cents, milestone.minimum_level) == (expected["tranche"], expected["minimum_level"])
    assert _db.session.scalars(select(ProgressReport.achieved)).one() == Decimal("20.5")
    assert read_stored(expected["key"]) == b"%PDF-1.4 Nachweis"
    assert _db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "contract.payment_released"))
    # The restored installation keeps working: new rows get fresh ids (sequences continue on PostgreSQL).
    highest = max(_db.session.scalars(select(User.id)))
    assert UserFactory().id > highest


@pytest.mark.parametrize("direction", ["from_sqlite", "to_sqlite"])
def test_backup_restores_on_another_database(app, db, tmp_path, direction):
    archive = tmp_path / "backup.tar.gz"
    if direction == "from_sqlite":
        with fresh_sqlite_app(tmp_path) as other:
            expected = _fill(other)
            create_backup(archive)
        restore_backup(archive)  # into the test database (PostgreSQL when TEST_DATABASE_URL is set)
        _db.session.commit()
        _check(expected)
    else:
        expected = _fill(app)
        create_backup(archive)
        with fresh_sqlite_app(tmp_path):
            restore_backup(archive)
            _db.session.commit()
            _check(expected)
