"""Progress reports: the operator reports an achieved KPI value with evidence, the funder verifies it.

A milestone takes a report while it awaits one: nothing open, nothing accepted, not paid.
At most one report per milestone awaits verification at a time (checked here and by a
unique partial index); after a rejection the operator reports again. The accepted
report's value is the one the payment is computed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from app.contracts.models import ContractFile, Milestone, ProgressReport
from app.contracts.services import external_url
from app.core import uploads
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.extensions import db

MAX_EVIDENCE_FILES = 5
# Numeric(14, 3): eleven digits before the decimal point.
MAX_VALUE = Decimal("99999999999.999")


def _check_value(achieved: Decimal | None) -> Decimal:
    if achieved is None:
        raise DomainError(_l("Please enter the achieved value."), "achieved")
    if achieved < 0:
        raise DomainError(_l("The value must not be negative."), "achieved")
    if achieved > MAX_VALUE:
        raise DomainError(_l("The value is too large."), "achieved")
    if achieved.as_tuple().exponent < -3:  # type: ignore[operator]
        raise DomainError(_l("Please enter at most three decimal places."), "achieved")
    return achieved


def submit_report(milestone: Milestone, *, achieved: Decimal | None, evidence_text: str,
                  files: Sequence[tuple[str, Any]], actor) -> ProgressReport:
    """Record a report with evidence; every file is checked before anything is stored."""
    contract = milestone.contract
    if not contract.is_signed:
        raise DomainError(_l("Reports can be submitted once the contract is signed."))
    if contract.status == "completed":
        raise DomainError(_l("The contract is completed; no more reports can be submitted."))
    if milestone.is_closed:
        raise DomainError(_l("This milestone is closed; no more reports are needed."))
    if milestone.open_report is not None:
        raise DomainError(_l("A report on this milestone is already awaiting verification."))
    value = _check_value(achieved)
    evidence_text = (evidence_text or "").strip()
    if not evidence_text:
        raise DomainError(_l("Please describe the evidence for the reported value."), "evidence_text")
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(_l("At most %(max)s files can be attached to a report.", max=MAX_EVIDENCE_FILES), "files")
    # Check all files first: a refused file means nothing is stored at all.
    checked = [uploads.check_file(name, data) for name, data in files]
    report = ProgressReport(milestone=milestone, achieved=value, evidence_text=evidence_text, status="submitted",
                            submitted_by_id=actor.id)
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the unique index: another report was submitted at the same moment
        raise DomainError(_l("A report on this milestone is already awaiting verification.")) from exc
    keys: list[str] = []
    try:
        for upload in checked:
            key = uploads.store_bytes(upload.data)
            keys.append(key)
            db.session.add(ContractFile(contract_id=contract.id, report=report, kind="evidence", storage_key=key,
                                        display_name=upload.safe_display_name, mime_type=upload.mime_type,
                                        size_bytes=upload.size, sha256=upload.sha256, uploaded_by_id=actor.id))
        db.session.flush()
    except Exception:
        for key in keys:
            uploads.delete_stored(key)
        raise
    record_event("contract.report_submitted", report, after=report.audit_view(), actor=actor)
    if contract.created_by is not None and contract.created_by.active:
        admin = contract.created_by
        queue_mail(admin.email, "report_submitted", admin.locale, user=admin, user_obj=admin, report=report,
                   milestone=milestone, contract=contract,
                   link=external_url("contracts.review_report", contract_id=contract.id, report_id=report.id))
    return report


def _check_open(report: ProgressReport) -> None:
    if report.status != "submitted":
        raise DomainError(_l("This report has already been verified."))
    if report.milestone.is_closed:
        raise DomainError(_l("This milestone is closed; the report can no longer change the payment."))


def accept_report(report: ProgressReport, actor) -> None:
    """Accept the reported value: it now drives the milestone's payment."""
    _check_open(report)
    report.status, report.verified_at, report.verified_by_id = "accepted", utcnow(), actor.id
    record_event("contract.report_accepted", report, after=report.audit_view(), actor=actor)
    _mail_operator(report, "report_accepted")


def reject_report(report: ProgressReport, reason: str, actor) -> None:
    """Reject a report with a reason the operator reads on the contract page and by mail."""
    _check_open(report)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Please give the reason for the rejection; the operator will read it."), "reason")
    report.status, report.verified_at, report.verified_by_id = "rejected", utcnow(), actor.id
    report.rejection_reason = reason
    record_event("contract.report_rejected", report, after=report.audit_view(), actor=actor)
    _mail_operator(report, "report_rejected")


def _mail_operator(report: ProgressReport, template: str) -> None:
    contract = report.milestone.contract
    operator = contract.proposal.applicant
    queue_mail(operator.email, template, operator.locale, user=operator, user_obj=operator, report=report,
               milestone=report.milestone, contract=contract,
               link=external_url("contracts.operator_detail", contract_id=contract.id))
