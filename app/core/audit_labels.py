"""Labels in both languages for the audit trail's codes: actions, object types, field names and field values.

The one place that turns `proposal.prechecked` into "Vorprüfung festgehalten". A new action
needs its label here (tests/integration/test_audit_labels.py checks every action the code
records). Packages register the labels of coded field values (a decision's outcome, a
competition's phase) with `register_value_labels` in their init_app, as core must not import them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import LazyString

from app.core.i18n import lazy_gettext as _l

# What happened, per action code.
ACTION_LABELS: dict[str, LazyString] = {
    "api.token_created": _l("API token created"),
    "api.token_revoked": _l("API token revoked"),
    "api.token_used": _l("API token used"),
    "competition.audit_file_exported": _l("Audit file exported"),
    "competition.created": _l("Competition created"),
    "competition.phase_changed": _l("Phase changed"),
    "competition.updated": _l("Competition changed"),
    "consensus.approval_given": _l("Consensus approved by a juror"),
    "consensus.approved": _l("Consensus approved"),
    "consensus.proposed": _l("Consensus proposed"),
    "consensus.rapporteur_named": _l("Rapporteur named"),
    "consensus.revised": _l("Consensus reopened for revision"),
    "consensus.saved": _l("Consensus draft saved"),
    "contract.amended": _l("Contract amended"),
    "contract.amounts_changed": _l("Contract amounts changed"),
    "contract.approval_steps_changed": _l("Approval steps changed"),
    "contract.created": _l("Contract created"),
    "contract.document_added": _l("Contract document added"),
    "contract.document_removed": _l("Contract document removed"),
    "contract.funding_shares_changed": _l("Funding shares changed"),
    "contract.milestone_added_changed": _l("Milestone added"),
    "contract.milestone_changed_changed": _l("Milestone changed"),
    "contract.milestone_deleted": _l("Milestone deleted"),
    "contract.milestone_closed": _l("Milestone closed"),
    "contract.operators_changed": _l("Network operators changed"),
    "contract.payment_released": _l("Payment released"),
    "contract.publication_updated": _l("Details for the list of operations changed"),
    "contract.reminder_sent": _l("Reporting reminder sent"),
    "contract.report_accepted": _l("Progress report accepted"),
    "contract.report_rejected": _l("Progress report rejected"),
    "contract.report_submitted": _l("Progress report submitted"),
    "contract.signed": _l("Contract signed"),
    "contract.status_changed": _l("Project status changed"),
    "contract.team_changed": _l("Project team changed"),
    "contract.terms_changed": _l("Contract terms changed"),
    "criteria.weights_changed": _l("Criterion weights changed"),
    "criterion.created": _l("Criterion created"),
    "criterion.deleted": _l("Criterion deleted"),
    "criterion.updated": _l("Criterion changed"),
    "decision.changed": _l("Decision changed"),
    "decision.letter_sent": _l("Decision letter sent"),
    "decision.recorded": _l("Decision recorded"),
    "discussion.posted": _l("Discussion post written"),
    "export.reviews_with_names": _l("Reviews exported with juror names"),
    "jury.assigned_automatically": _l("Reviewers assigned automatically"),
    "jury.assignment_added": _l("Reviewer assigned"),
    "jury.assignment_removed": _l("Assignment removed"),
    "jury.conflict_added": _l("Conflict of interest recorded by the administration"),
    "jury.conflict_declared": _l("Conflict of interest declared"),
    "jury.conflict_detected": _l("Conflict of interest detected"),
    "jury.conflict_detection_run": _l("Conflict detection run"),
    "jury.conflict_lifted": _l("Conflict of interest lifted"),
    "jury.declaration_signed": _l("Declaration signed"),
    "jury.expertise_saved": _l("Expertise saved"),
    "jury.member_appointed": _l("Juror appointed"),
    "jury.member_removed": _l("Juror removed"),
    "jury.reminders_sent": _l("Reminders sent to jurors"),
    "jury.reviewer_replaced": _l("Reviewer replaced"),
    "network.contact_message_sent": _l("Contact message sent"),
    "network.created": _l("Network created"),
    "network.join_accepted": _l("Join request accepted"),
    "network.join_declined": _l("Join request declined"),
    "network.join_requested": _l("Join request received"),
    "network.member_added": _l("Network member added"),
    "network.member_consent_changed": _l("Member's consent to listing changed"),
    "network.member_removed": _l("Network member removed"),
    "network.member_updated": _l("Network member changed"),
    "network.partners_imported": _l("Partners imported as members"),
    "network.post_approved": _l("Results post approved"),
    "network.post_created": _l("Results post created"),
    "network.post_rejected": _l("Results post rejected"),
    "network.post_submitted": _l("Results post submitted"),
    "network.post_updated": _l("Results post changed"),
    "network.published": _l("Network published"),
    "network.updated": _l("Network changed"),
    "proposal.attachment_added": _l("Attachment added"),
    "proposal.attachment_removed": _l("Attachment removed"),
    "proposal.created": _l("Proposal started"),
    "proposal.ineligibility_letter_sent": _l("Letter on the pre-check result sent"),
    "proposal.prechecked": _l("Formal pre-check recorded"),
    "proposal.reopened": _l("Proposal reopened"),
    "proposal.section_saved": _l("Proposal section saved"),
    "proposal.submitted": _l("Proposal submitted"),
    "proposal.withdrawn": _l("Proposal withdrawn"),
    "ranking.draw_recorded": _l("Draw by lot recorded"),
    "review.draft_saved": _l("Review draft saved"),
    "review.reopened": _l("Review reopened"),
    "review.submitted": _l("Review submitted"),
    "user.account_link_issued": _l("Account link shown to the administrator"),
    "user.account_link_resent": _l("Account link sent again"),
    "user.admin_created": _l("Administrator account created"),
    "user.admin_granted": _l("Administrator rights granted"),
    "user.admin_revoked": _l("Administrator rights revoked"),
    "user.deactivated": _l("Account deactivated"),
    "user.email_confirmed": _l("Email address confirmed"),
    "user.email_confirmed_by_admin": _l("Email address confirmed by an administrator"),
    "user.invitation_accepted": _l("Invitation accepted"),
    "user.invited": _l("User invited"),
    "user.logged_in": _l("Logged in"),
    "user.logged_out": _l("Logged out"),
    "user.logged_out_everywhere": _l("Logged out on all devices"),
    "user.password_changed": _l("Password changed"),
    "user.password_reset": _l("Password reset"),
    "user.password_reset_requested": _l("Password reset requested"),
    "user.profile_updated": _l("Profile changed"),
    "user.reactivated": _l("Account reactivated"),
    "user.registered": _l("Registered"),
    "accessibility.feedback_sent": _l("Barrier report sent"),
    "competition.retention_changed": _l("Retention end changed"),
    "consent.given": _l("Consent given"),
    "legal_text.published": _l("Legal page published"),
    "privacy.deletion_completed": _l("Deletion carried out"),
    "privacy.deletion_declined": _l("Deletion request declined"),
    "privacy.deletion_requested": _l("Deletion requested"),
    "retention.run": _l("Retention rules run"),
    "user.data_exported": _l("Personal data downloaded"),
}

# What it happened to, per table name.
OBJECT_LABELS: dict[str, LazyString] = {
    "assignments": _l("Assignment"),
    "attachments": _l("Attachment"),
    "competitions": _l("Competition"),
    "conflicts": _l("Conflict of interest"),
    "consensus": _l("Consensus"),
    "contract_reports": _l("Progress report"),
    "contracts": _l("Contract"),
    "criteria": _l("Criterion"),
    "decisions": _l("Decision"),
    "discussion_posts": _l("Discussion post"),
    "jury_memberships": _l("Jury seat"),
    "network_join_requests": _l("Join request"),
    "network_members": _l("Network member"),
    "network_results_posts": _l("Results post"),
    "networks": _l("Network"),
    "proposals": _l("Proposal"),
    "ranking_draws": _l("Draw by lot"),
    "reviews": _l("Review"),
    "users": _l("User"),
}

# The recorded fields, per key of the before/after data.
FIELD_LABELS: dict[str, LazyString] = {
    "achieved": _l("Achieved value"),
    "amount_cents": _l("Amount"),
    "approved_by": _l("Approved by"),
    "autosave": _l("Saved automatically"),
    "award_date": _l("Award date"),
    "baseline": _l("Baseline"),
    "blind_review": _l("Blind review"),
    "body_length": _l("Length of the text"),
    "budget_cents": _l("Budget"),
    "call_text": _l("Call text"),
    "cap": _l("Cap"),
    "company_name": _l("Company"),
    "competition_id": _l("Competition"),
    "confirmed_by_admin": _l("Confirmed by the administration"),
    "contract_months": _l("Contract duration (months)"),
    "created": _l("Created"),
    "decision_id": _l("Decision"),
    "declaration_signed_at": _l("Declaration signed"),
    "dropped": _l("Dropped"),
    "due_date": _l("Due date"),
    "eligibility": _l("Pre-check result"),
    "eligibility_reason": _l("Reason of the pre-check"),
    "eligibility_rules": _l("Eligibility rules"),
    "end_date": _l("End"),
    "event_date": _l("Date"),
    "files": _l("Files"),
    "findings": _l("Findings"),
    "fixed_cents": _l("Fixed part"),
    "funding_sources": _l("Funding sources"),
    "jurors": _l("Jurors"),
    "keywords": _l("Expertise"),
    "kind": _l("Kind"),
    "letter_sent_at": _l("Letter sent"),
    "lift_reason": _l("Reason for lifting"),
    "listed_consent": _l("Consent to listing"),
    "listing_consent": _l("Consent to listing"),
    "locale": _l("Language"),
    "measure": _l("Measure"),
    "meeting_note": _l("Meeting note"),
    "members": _l("Members"),
    "method_at_decision": _l("Method at the decision"),
    "milestone_id": _l("Milestone"),
    "minimum_level": _l("Minimum level"),
    "minority_view": _l("Minority view"),
    "name": _l("Name"),
    "name_de": _l("Name (German)"),
    "name_en": _l("Name (English)"),
    "new_conflicts": _l("New conflicts"),
    "number": _l("Contract number"),
    "outcome": _l("Decision"),
    "overall_comment": _l("Overall comment"),
    "parts": _l("Parts by funding source"),
    "payment_id": _l("Payment"),
    "phase": _l("Phase"),
    "precheck_checklist": _l("Pre-check checklist"),
    "prechecked_at": _l("Pre-checked at"),
    "priority": _l("Priority"),
    "programme": _l("Programme"),
    "proposal_id": _l("Proposal"),
    "proposals": _l("Proposals"),
    "published": _l("Published"),
    "rank_at_decision": _l("Rank at the decision"),
    "rapporteur_id": _l("Rapporteur"),
    "rationale": _l("Rationale"),
    "reason": _l("Reason"),
    "reason_code": _l("Kind of reason"),
    "receipt_number": _l("Receipt number"),
    "recipient": _l("Recipient"),
    "rejection_reason": _l("Reason for the rejection"),
    "report": _l("Consensus report"),
    "resubmission": _l("Submitted again"),
    "review_deadline": _l("Review deadline"),
    "reviews_per_proposal": _l("Reviews per proposal"),
    "rows": _l("Entries"),
    "rule": _l("Payment rule"),
    "scale": _l("Score scale"),
    "scores": _l("Scores"),
    "section": _l("Section"),
    "sector": _l("Sector"),
    "sectors": _l("Sectors"),
    "signed_on": _l("Signed on"),
    "source": _l("Source"),
    "start_date": _l("Start"),
    "status": _l("Status"),
    "submission_deadline": _l("Submission deadline"),
    "submission_opens_at": _l("Submissions open"),
    "submitted_at": _l("Submitted at"),
    "subject": _l("Subject"),
    "summary": _l("Summary"),
    "target": _l("Target"),
    "threshold": _l("Threshold"),
    "title": _l("Title"),
    "total_at_decision": _l("Total at the decision"),
    "tranche_cents": _l("Tranche"),
    "unit": _l("Unit"),
    "user_id": _l("Person"),
    "values": _l("Values"),
    "version": _l("Version"),
    "website": _l("Website"),
    "weight": _l("Weight"),
    "winners_max": _l("Winners (maximum)"),
    "winners_min": _l("Winners (minimum)"),
    "network_name": _l("Network name"),
    "short_name": _l("Short name"),
    "lead_name": _l("Lead organisation"),
    "requested_funding_cents": _l("Requested funding"),
    "own_contribution_cents": _l("Own contribution"),
    "email": _l("Email address"),
    "organisation": _l("Organisation"),
    "cluster_analysis": _l("Analysis of the cluster potential"),
    "duration_months": _l("Duration (months)"),
    "initiative_kind": _l("Kind of initiative"),
    "lead_contact_email": _l("Contact email address"),
    "lead_contact_name": _l("Contact person"),
    "lead_contact_phone": _l("Telephone"),
    "lead_postcode": _l("Postcode"),
    "lead_street": _l("Street"),
    "lead_town": _l("Town"),
    "objectives": _l("Objectives"),
    "measures": _l("Catalogue of measures"),
    "partners": _l("Partner companies"),
    "kpis": _l("KPIs"),
    "active": _l("Active"),
    "attachment_id": _l("Attachment"),
    "conflict_id": _l("Conflict of interest"),
    "contract_id": _l("Contract"),
    "created_by_id": _l("Created by"),
    "criterion_id": _l("Criterion"),
    "decided_by_id": _l("Decided by"),
    "file_id": _l("File"),
    "lifted_by_id": _l("Lifted by"),
    "member_id": _l("Network member"),
    "network_id": _l("Network"),
    "outbox_message_id": _l("Mail in the outbox"),
    "prechecked_by_id": _l("Pre-checked by"),
    "report_id": _l("Progress report"),
    "consent_recorded_by_id": _l("Consent recorded by"),
    "filed_by_id": _l("Filed by"),
    "invited_by_id": _l("Invited by"),
    "released_by_id": _l("Released by"),
    "signed_by_id": _l("Signed by"),
    "submitted_by_id": _l("Submitted by"),
    "uploaded_by_id": _l("Uploaded by"),
    "verified_by_id": _l("Verified by"),
}

# Status words shared by many objects; a package registers its own where they differ.
STATUS_LABELS: dict[str, LazyString] = {
    "active": _l("active"),
    "draft": _l("draft"),
    "submitted": _l("submitted"),
    "proposed": _l("proposed"),
    "approved": _l("approved"),
    "accepted": _l("accepted"),
    "rejected": _l("rejected"),
    "pending": _l("pending"),
    "removed": _l("removed"),
    "lifted": _l("lifted"),
    "withdrawn": _l("withdrawn"),
}

_VALUE_LABELS: dict[tuple[str | None, str], Mapping[str, Any]] = {(None, "status"): STATUS_LABELS}


def register_value_labels(field: str, labels: Mapping[str, Any], object_type: str | None = None) -> None:
    """Let a package name the coded values of a field, of one object type or of any (outcome: awarded -> "Zuschlag")."""
    _VALUE_LABELS[(object_type, field)] = labels


_VALUE_FORMATTERS: dict[str, Callable[[Any], str]] = {}


def register_value_formatter(field: str, formatter: Callable[[Any], str]) -> None:
    """Let a package show a structured field in words (a conflict's findings as sentences)."""
    _VALUE_FORMATTERS[field] = formatter


def value_formatter(field: str) -> Callable[[Any], str] | None:
    """The registered formatter of a field, if any."""
    return _VALUE_FORMATTERS.get(field)


def _humanised(code: str) -> str:
    # An unlabelled code still reads as words rather than as a machine key.
    return code.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def action_label(action: str) -> str:
    """The label of an action code in the current language."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else _humanised(action)


def object_label(object_type: str | None) -> str:
    """The label of an object type (a table name) in the current language."""
    if not object_type:
        return ""
    label = OBJECT_LABELS.get(object_type)
    return str(label) if label is not None else _humanised(object_type)


def field_label(field: str) -> str:
    """The label of a recorded field in the current language."""
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else _humanised(field)


def value_label(field: str, value: Any, object_type: str | None = None) -> str | None:
    """The label of a coded value of a field (the object type's own labels first), if there is one."""
    if not isinstance(value, str):
        return None
    for key in ((object_type, field), (None, field)):
        labels = _VALUE_LABELS.get(key)
        if labels is not None and value in labels:
            return str(labels[value])
    return None
