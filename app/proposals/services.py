"""Proposal state changes for applicants: draft, save sections, attachments, submit, withdraw.

Each function checks its business rule, changes state, records an audit event and queues
the mails it needs; it flushes but never commits (the view does).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.competitions.models import Competition
from app.core import uploads
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.formatting import format_datetime_local
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db
from app.proposals.completeness import missing_parts
from app.proposals.models import (
    COMPANY_SIZES,
    INITIATIVE_KINDS,
    Attachment,
    Proposal,
    ProposalKpi,
    ProposalMeasure,
    ProposalPartner,
)
from app.proposals.snapshot import build_snapshot

MAX_ATTACHMENTS = 5

# Which columns each plain section may change (nothing else can be set through a section).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "basics": ("network_name", "short_name", "sector", "initiative_kind", "keywords"),
    "lead": ("lead_name", "lead_street", "lead_postcode", "lead_town", "lead_contact_name", "lead_contact_email",
             "lead_contact_phone"),
    "concept": ("cluster_analysis", "objectives"),
    "finances": ("duration_months", "requested_funding_cents", "own_contribution_cents"),
}
# Repeatable sections: the relationship, the row model and the columns a row may set.
ROW_SECTIONS: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "partners": ("partners", ProposalPartner, ("organisation", "town", "in_programme_area", "sector", "size",
                                               "contact_name", "contact_email", "letter_of_intent")),
    "measures": ("measures", ProposalMeasure, ("title", "description", "period", "cost_cents")),
    "kpis": ("kpis", ProposalKpi, ("indicator", "unit", "baseline", "target")),
}

CONFLICT_MESSAGE = _l("This proposal was changed in the meantime, for example in another browser tab. "
                      "Your input below has NOT been saved. Please copy your text, reload the page and "
                      "enter your changes again.")


# --- rules ------------------------------------------------------------------------------------


def ensure_editable(proposal: Proposal, now: datetime | None = None) -> None:
    """Refuse changes unless the draft accepts them now (call open, or reopened for correction)."""
    if proposal.status == "submitted":
        raise DomainError(_l("This proposal has been submitted and can no longer be changed. If a correction "
                             "is needed, please contact the funding office."))
    if proposal.status == "withdrawn":
        raise DomainError(_l("This proposal has been withdrawn and can no longer be changed."))
    if proposal.accepts_changes(now):
        return
    competition = proposal.competition
    if competition.deadline_passed(now):
        raise DomainError(_l("The submission deadline passed on %(deadline)s. The proposal can no longer be "
                             "changed or submitted.",
                             deadline=format_datetime_local(competition.submission_deadline)))
    raise DomainError(_l("This call is not open for submissions."))


def _claim_version(proposal: Proposal, expected_version: int | None) -> None:
    """Optimistic lock: move the version on only if it is still the one the form was loaded with.

    The conditional UPDATE makes this safe against a concurrent save as well: on PostgreSQL
    the second transaction waits for the row and then finds the version moved on.
    """
    if expected_version is None or expected_version != proposal.version:
        raise DomainError(CONFLICT_MESSAGE)
    result = db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise DomainError(CONFLICT_MESSAGE)
    set_committed_value(proposal, "version", expected_version + 1)


# Columns where "nothing entered" is stored as NULL; text columns store "" and flags False.
NULLABLE_COLUMNS = frozenset({"duration_months", "requested_funding_cents", "own_contribution_cents", "cost_cents",
                              "baseline", "target"})
FLAG_COLUMNS = frozenset({"in_programme_area", "letter_of_intent"})


def _stored_value(column: str, value: Any) -> Any:
    """Normalise an empty form value to what the column stores for "nothing entered"."""
    if value is not None or column in NULLABLE_COLUMNS:
        return value
    return False if column in FLAG_COLUMNS else ""


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _section_view(proposal: Proposal, section: str) -> Any:
    """A section's stored values for the audit trail."""
    if section in ROW_SECTIONS:
        relationship, _model, columns = ROW_SECTIONS[section]
        return [{c: _plain(getattr(row, c)) for c in columns} for row in getattr(proposal, relationship)]
    return {c: _plain(getattr(proposal, c)) for c in SECTION_FIELDS[section]}


def _check_choices(proposal: Proposal, section: str, values: Any) -> None:
    """Values from choice lists must be ones the form offered (forged posts are refused)."""
    if section == "basics":
        sectors = set(proposal.competition.sectors or [])
        if sectors and values.get("sector", "") not in sectors | {"", proposal.sector}:
            raise DomainError(_l("Please choose a sector of this call."), "sector")
        if values.get("initiative_kind", "") not in ("", *INITIATIVE_KINDS):
            raise DomainError(_l("Please choose a kind of initiative."), "initiative_kind")
    if section == "partners":
        for row in values:
            if row.get("size", "") not in ("", *COMPANY_SIZES):
                raise DomainError(_l("Please choose a company size."))


# --- drafting ---------------------------------------------------------------------------------


# Higher packages register why a user may not apply in a competition (the jury: its own members).
_applicant_checks: list[Callable[[Competition, Any], str | None]] = []


def register_applicant_check(check: Callable[[Competition, Any], str | None]) -> None:
    """Register (competition, user) -> translated refusal or None, asked before a draft is started."""
    if check not in _applicant_checks:  # every app built in one process registers it again
        _applicant_checks.append(check)


def create_draft(competition: Competition, applicant, now: datetime | None = None) -> Proposal:
    """Start a draft for an open call; the lead contact is prefilled from the applicant's account."""
    if not competition.is_open_for_submissions(now):
        if competition.deadline_passed(now):
            raise DomainError(_l("The submission deadline passed on %(deadline)s.",
                                 deadline=format_datetime_local(competition.submission_deadline)))
        raise DomainError(_l("This call is not open for submissions."))
    for check in _applicant_checks:
        refusal = check(competition, applicant)
        if refusal:
            raise DomainError(refusal)
    proposal = Proposal(competition=competition, applicant=applicant, status="draft", version=1,
                        lead_name=applicant.organisation or "", lead_contact_name=applicant.name or "",
                        lead_contact_email=applicant.email or "")
    db.session.add(proposal)
    db.session.flush()
    record_event("proposal.created", proposal, after={"competition_id": competition.id}, actor=applicant)
    return proposal


def save_section(proposal: Proposal, section: str, values: Any, *, expected_version: int | None, actor,
                 now: datetime | None = None) -> None:
    """Store one section of a draft; refused after the deadline or when another save came first."""
    if section not in SECTION_FIELDS and section not in ROW_SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    ensure_editable(proposal, now)
    _check_choices(proposal, section, values)
    _claim_version(proposal, expected_version)
    before = _section_view(proposal, section)
    if section in ROW_SECTIONS:
        _replace_rows(proposal, section, values)
    else:
        for column in SECTION_FIELDS[section]:
            if column in values:
                setattr(proposal, column, _stored_value(column, values[column]))
    db.session.flush()
    record_event("proposal.section_saved", proposal, before={"section": section, "values": before},
                 after={"section": section, "values": _section_view(proposal, section)}, actor=actor)


def _replace_rows(proposal: Proposal, section: str, rows: list[dict[str, Any]]) -> None:
    """Make the stored rows equal the submitted ones, in order (existing rows are reused)."""
    relationship, model, columns = ROW_SECTIONS[section]
    stored = getattr(proposal, relationship)
    for position, values in enumerate(rows):
        if position < len(stored):
            row = stored[position]
        else:
            row = model()
            stored.append(row)
        row.position = position
        for column in columns:
            setattr(row, column, _stored_value(column, values.get(column)))
    del stored[len(rows):]  # delete-orphan removes the rows the applicant dropped


# --- attachments ------------------------------------------------------------------------------


def _lock_proposal(proposal: Proposal) -> None:
    """Lock the proposal's row, so that concurrent uploads cannot exceed the limit together."""
    db.session.execute(select(Proposal.id).where(Proposal.id == proposal.id).with_for_update())


def add_attachment(proposal: Proposal, filename: str, data, actor, now: datetime | None = None) -> Attachment:
    """Check an upload by its content, store it under an opaque key and attach it to the draft."""
    ensure_editable(proposal, now)
    _lock_proposal(proposal)
    count = db.session.scalar(select(func.count(Attachment.id)).where(Attachment.proposal_id == proposal.id))
    if count >= MAX_ATTACHMENTS:
        raise DomainError(_l("A proposal can have at most %(max)s attachments. Please remove one first.",
                             max=MAX_ATTACHMENTS))
    checked = uploads.check_file(filename, data)
    key = uploads.store_bytes(checked.data)
    attachment = Attachment(storage_key=key, display_name=checked.safe_display_name, mime_type=checked.mime_type,
                            size_bytes=checked.size, sha256=checked.sha256, uploaded_by_id=actor.id)
    proposal.attachments.append(attachment)
    db.session.flush()
    record_event("proposal.attachment_added", proposal, after=_attachment_view(attachment), actor=actor)
    return attachment


def remove_attachment(proposal: Proposal, attachment: Attachment, actor, now: datetime | None = None) -> str:
    """Detach an attachment from the draft; its file is deleted once the removal is committed."""
    ensure_editable(proposal, now)
    if attachment.proposal_id != proposal.id:
        raise ValueError("attachment of another proposal")
    before = _attachment_view(attachment)
    key = attachment.storage_key
    proposal.attachments.remove(attachment)
    db.session.flush()
    record_event("proposal.attachment_removed", proposal, before=before, actor=actor)
    uploads.delete_when_committed(key)
    return key


def _attachment_view(attachment: Attachment) -> dict[str, Any]:
    return {"attachment_id": attachment.id, "display_name": attachment.display_name,
            "mime_type": attachment.mime_type, "size_bytes": attachment.size_bytes, "sha256": attachment.sha256}


# --- submission and withdrawal ----------------------------------------------------------------


def next_receipt_number(proposal: Proposal, now: datetime) -> str:
    """Draw the next number of the competition's counter under a row lock: "2025-007-0012"."""
    competition = db.session.execute(
        select(Competition).where(Competition.id == proposal.competition_id).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    competition.receipt_counter = (competition.receipt_counter or 0) + 1
    year = now.astimezone(competition.zone).year
    return f"{year}-{competition.id:03d}-{competition.receipt_counter:04d}"


def submit_proposal(proposal: Proposal, *, expected_version: int | None, actor,
                    now: datetime | None = None) -> None:
    """Submit a complete draft before the deadline: freeze a snapshot, give a receipt number, confirm by mail.

    A proposal reopened by the funding office keeps its receipt number and gets a new snapshot.
    """
    now = now or utcnow()
    ensure_editable(proposal, now)
    gaps = missing_parts(proposal)
    if gaps:
        raise DomainError(_l("The proposal is not complete yet: %(count)s parts are missing.", count=len(gaps)))
    _claim_version(proposal, expected_version)
    first_submission = proposal.receipt_number is None
    if first_submission:
        proposal.receipt_number = next_receipt_number(proposal, now)
    proposal.submitted_at = now
    # The snapshot loads the rows (an autoflush), so the status changes after it is built:
    # the schema insists that a submitted proposal always has its snapshot.
    proposal.snapshot = build_snapshot(proposal)
    proposal.status = "submitted"
    db.session.flush()
    record_event("proposal.submitted", proposal,
                 after={"receipt_number": proposal.receipt_number, "submitted_at": now.isoformat(),
                        "resubmission": not first_submission}, actor=actor)
    applicant = proposal.applicant
    queue_mail(applicant.email, "proposal_submitted", applicant.locale, user=applicant, proposal=proposal,
               applicant=applicant, competition=proposal.competition)


def withdraw_proposal(proposal: Proposal, actor, now: datetime | None = None) -> None:
    """Withdraw a draft or submitted proposal while the competition has not reached its decision."""
    if not proposal.is_withdrawable:
        if proposal.status == "withdrawn":
            raise DomainError(_l("This proposal has already been withdrawn."))
        raise DomainError(_l("The competition has reached its decision; the proposal can no longer be withdrawn."))
    before = {"status": proposal.status}
    proposal.status = "withdrawn"
    proposal.withdrawn_at = now or utcnow()
    proposal.version += 1
    record_event("proposal.withdrawn", proposal, before=before,
                 after={"status": "withdrawn", "withdrawn_at": proposal.withdrawn_at.isoformat()}, actor=actor)
