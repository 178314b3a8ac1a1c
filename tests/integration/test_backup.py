"""Backup and restore: data and uploads round-trip, a non-empty database is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from app.accounts.models import User
from app.core.backup import RestoreRefused, create_backup, restore_backup
from app.core.models import AuditEvent
from app.core.uploads import read_stored, store_bytes
from app.proposals.models import Attachment, Proposal
from tests.factories import CriterionFactory, ProposalFactory, UserFactory


def _wipe(db, app):
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()
    for path in Path(app.config["UPLOAD_FOLDER"]).rglob("*"):
        if path.is_file():
            path.unlink()


def test_backup_round_trips_rows_and_uploads(app, db, tmp_path):
    user = UserFactory(name="Jürgen Groß", organisation="Müller & Söhne GmbH")
    proposal = ProposalFactory(applicant=user, requested_funding_cents=12_345_678)
    CriterionFactory(competition=proposal.competition)
    key = store_bytes(b"%PDF-1.4 evidence")
    db.session.add(Attachment(proposal_id=proposal.id, storage_key=key, display_name="Absichtserklärung.pdf",
                              mime_type="application/pdf", size_bytes=17, sha256="x" * 64))
    db.session.add(AuditEvent(action="test.event", after={"value": "ä€"}))
    db.session.commit()
    deadline = proposal.competition.submission_deadline

    archive = create_backup(tmp_path / "backup.tar.gz")
    _wipe(db, app)
    assert db.session.scalar(select(User)) is None

    counts = restore_backup(archive)
    db.session.commit()
    assert counts["users"] == 1 and counts["proposals"] == 1
    restored = db.session.scalar(select(Proposal))
    assert restored.requested_funding_cents == 12_345_678
    assert restored.applicant.name == "Jürgen Groß"
    assert restored.competition.submission_deadline == deadline
    assert restored.competition.criteria[0].weight == 1
    assert read_stored(key) == b"%PDF-1.4 evidence"
    assert db.session.scalar(select(AuditEvent.after))["value"] == "ä€"
    # New rows still get fresh ids after the restore (PostgreSQL sequences were reset).
    newcomer = UserFactory()
    assert newcomer.id > user.id


def test_restore_refuses_a_database_with_data(app, db, tmp_path):
    UserFactory()
    archive = create_backup(tmp_path / "backup.tar.gz")
    with pytest.raises(RestoreRefused, match="not empty"):
        restore_backup(archive)


def test_backup_and_restore_commands(app, db, runner, tmp_path):
    UserFactory(email="cli@firma.example")
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code == 0, result.output
    archive = next(tmp_path.glob("backup-*.tar.gz"))
    assert runner.invoke(args=["restore", str(archive)]).exit_code != 0  # not empty
    _wipe(db, app)
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.email)) == "cli@firma.example"
