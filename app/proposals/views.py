"""Proposal pages for applicants: dashboard, drafting section by section, attachments, submission.

Who may do what is decided by the Proposal model's methods (can_view, is_owned_by, ...);
a proposal the user may not see answers 404, so its existence is not revealed.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from app.competitions.models import Competition
from app.core import uploads
from app.core.errors import DomainError
from app.core.formatting import format_kpi
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.extensions import db
from app.proposals import queries, services
from app.proposals.completeness import SECTION_LABELS, SECTIONS, complete_sections, missing_parts
from app.proposals.forms import (
    COMPANY_SIZE_LABELS,
    INITIATIVE_KIND_LABELS,
    STATUS_LABELS,
    AttachmentForm,
    ConfirmForm,
    RowsSectionForm,
    SubmitProposalForm,
    build_section_form,
)
from app.proposals.models import Attachment, Proposal
from app.proposals.outcomes import outcomes_of
from app.proposals.snapshot import build_snapshot, with_defaults

# --- template helpers ---------------------------------------------------------------------------


def _from_iso(value: str | None) -> datetime | None:
    """Snapshot times are ISO strings; the date filters need datetimes."""
    return datetime.fromisoformat(value) if value else None


def _paragraphs(text: str | None) -> Markup:
    """Applicants' long texts as escaped paragraphs, keeping their line breaks."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


def proposal_helpers():
    """Labels and formatters the proposal templates share."""
    return {
        "status_labels": STATUS_LABELS, "kind_labels": INITIATIVE_KIND_LABELS, "size_labels": COMPANY_SIZE_LABELS,
        "section_labels": SECTION_LABELS, "sections": SECTIONS, "quantity": format_kpi, "from_iso": _from_iso,
        "paragraphs": _paragraphs,
    }


# --- loading with permission checks -------------------------------------------------------------


def _viewable(proposal_id: int) -> Proposal:
    """The proposal if the current user may see it; 404 otherwise (also for other people's)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not proposal.can_view(current_user):
        abort(404)
    return proposal


def _owned(proposal_id: int) -> Proposal:
    """The current user's own proposal; administrators may look at it but not act for the applicant."""
    proposal = _viewable(proposal_id)
    if not proposal.is_owned_by(current_user):
        abort(403)
    return proposal


def _section_url(proposal: Proposal, section: str, **kwargs) -> str:
    return url_for("proposals.edit", proposal_id=proposal.id, section=section, **kwargs)


def _next_section(section: str) -> str:
    index = SECTIONS.index(section)
    return SECTIONS[min(index + 1, len(SECTIONS) - 1)]


# --- dashboard and starting a draft -------------------------------------------------------------


@login_required
def dashboard():
    """The applicant's own proposals and the calls open for submissions."""
    proposals = queries.proposals_of_applicant(current_user.id)
    open_calls = [competition for competition in queries.calls_in_open_phase()
                  if competition.is_open_for_submissions()]
    return render_template("proposals/dashboard.html", proposals=proposals, open_calls=open_calls,
                           outcomes=outcomes_of(proposals), form=ConfirmForm())


@login_required
def create_draft(competition_id: int):
    """Start a draft for an open call (GET asks, e.g. after logging in; POST creates)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None or not competition.is_public:
        abort(404)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("proposals/apply.html", competition=competition, form=form)
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        proposal = services.create_draft(competition, current_user)
        flash(_("Your draft has been created. You can save each section and continue later."), "success")
        return redirect(_section_url(proposal, SECTIONS[0]))
    return redirect(url_for("proposals.dashboard"))


# --- overview and editing -----------------------------------------------------------------------


@login_required
def detail(proposal_id: int):
    """Overview of a proposal: status, receipt, actions and everything entered so far."""
    proposal = _viewable(proposal_id)
    gaps = missing_parts(proposal) if proposal.status == "draft" else []
    return render_template("proposals/detail.html", proposal=proposal, data=build_snapshot(proposal),
                           gaps=gaps, complete=complete_sections(gaps), outcome=outcomes_of([proposal])[proposal.id],
                           can_edit=proposal.can_edit(current_user))


def _letter_id(proposal: Proposal, kind: str) -> int | None:
    """The outbox id of the proposal's letter of this kind, if the applicant may see it yet."""
    if kind == "ineligibility":
        return proposal.ineligibility_letter_id
    outcome = outcomes_of([proposal])[proposal.id]
    return outcome.facts.decision_letter_id if outcome.decision_shown else None


@login_required
def download_letter(proposal_id: int, kind: str):
    """The letter sent to the applicant (decision with the jury's feedback, or ineligibility) as a text file."""
    proposal = _viewable(proposal_id)
    message = queries.letter_copy(_letter_id(proposal, kind))
    if message is None:
        abort(404)
    filename = f"{proposal.receipt_number or proposal.id}-{kind}-letter.txt"
    return Response(f"{message.subject}\n\n{message.body}", mimetype="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@login_required
def edit_start(proposal_id: int):
    """Open the first section of the form."""
    proposal = _owned(proposal_id)
    return redirect(_section_url(proposal, SECTIONS[0]))


@login_required
def edit(proposal_id: int, section: str):
    """One section of the form; saving checks the deadline and that no other tab saved first."""
    if section not in SECTIONS:
        abort(404)
    proposal = _owned(proposal_id)
    if request.method == "GET" or section == "attachments":
        try:
            services.ensure_editable(proposal)
        except DomainError as error:
            flash(str(error.message), "danger")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    if section == "attachments":
        return _attachments_page(proposal, AttachmentForm())
    form = build_section_form(section, proposal, add_row=request.args.get("add") == "1")
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        with refusal:
            services.save_section(proposal, section, form.values(), expected_version=form.expected_version(),
                                  actor=current_user)
            return _after_save(proposal, section, form)
    return _section_page(proposal, section, form, refusal.message)


def _after_save(proposal: Proposal, section: str, form):
    """Where to go after saving: a new empty row, the next section, or the same section again."""
    if isinstance(form, RowsSectionForm) and form.wants_new_row():
        anchor = form.new_row_anchor(len(getattr(proposal, form.rows_name)))
        flash(_("Saved. A new empty row has been added."), "success")
        return redirect(_section_url(proposal, section, add=1, _anchor=anchor))
    flash(_("The section \"%(section)s\" has been saved.", section=SECTION_LABELS[section]), "success")
    if form.save_next.data:
        return redirect(_section_url(proposal, _next_section(section)))
    return redirect(_section_url(proposal, section))


def _section_page(proposal: Proposal, section: str, form, refusal=None):
    gaps = missing_parts(proposal)
    return render_template("proposals/edit.html", proposal=proposal, section=section, form=form,
                           refusal=refusal, complete=complete_sections(gaps),
                           section_gaps=[gap for gap in gaps if gap.section == section],
                           next_section=_next_section(section))


# --- attachments --------------------------------------------------------------------------------


def _attachments_page(proposal: Proposal, form, refusal=None):
    gaps = missing_parts(proposal)
    return render_template("proposals/attachments.html", proposal=proposal, section="attachments", form=form,
                           refusal=refusal, complete=complete_sections(gaps), delete_form=ConfirmForm(),
                           max_attachments=services.MAX_ATTACHMENTS)


@login_required
def upload_attachment(proposal_id: int):
    """Upload one attachment; a refused file leaves everything as it was and says why."""
    proposal = _owned(proposal_id)
    form = AttachmentForm()
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        upload = form.file.data
        with refusal:
            attachment = services.add_attachment(proposal, upload.filename or "", upload.stream, current_user)
            flash(_("The file \"%(name)s\" has been attached.", name=attachment.display_name), "success")
            return redirect(_section_url(proposal, "attachments"))
    return _attachments_page(proposal, form, refusal.message)


def _attachment_of(proposal: Proposal, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.proposal_id != proposal.id:
        abort(404)
    return attachment


@login_required
def delete_attachment(proposal_id: int, attachment_id: int):
    """Remove an attachment from a draft (the file is deleted once the change is committed)."""
    proposal = _owned(proposal_id)
    attachment = _attachment_of(proposal, attachment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = attachment.display_name
    with refusal_shown():
        services.remove_attachment(proposal, attachment, current_user)
        flash(_("The file \"%(name)s\" has been removed.", name=name), "success")
        return redirect(_section_url(proposal, "attachments"))
    return redirect(url_for("proposals.detail", proposal_id=proposal.id))


@login_required
def download_attachment(proposal_id: int, attachment_id: int):
    """Download an attachment (as a file, never shown inline)."""
    proposal = _viewable(proposal_id)
    attachment = _attachment_of(proposal, attachment_id)
    return uploads.send_stored(attachment.storage_key, attachment.display_name, attachment.mime_type)


# --- review, submission, withdrawal, print ------------------------------------------------------


@login_required
def review(proposal_id: int):
    """The completeness check: every missing part with a link to its field, then the submit button."""
    proposal = _owned(proposal_id)
    refusal = None
    try:
        services.ensure_editable(proposal)
    except DomainError as error:
        refusal = error.message
    gaps = missing_parts(proposal)
    form = SubmitProposalForm()
    form.version.data = str(proposal.version)
    return render_template("proposals/review.html", proposal=proposal, gaps=gaps, refusal=refusal, form=form,
                           complete=complete_sections(gaps), section="review")


@login_required
def submit(proposal_id: int):
    """Submit the proposal: snapshot, receipt number, confirmation mail."""
    proposal = _owned(proposal_id)
    form = SubmitProposalForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        services.submit_proposal(proposal, expected_version=form.expected_version(), actor=current_user)
        flash(_("Your proposal has been submitted. Your receipt number is %(number)s. We have sent you a "
                "confirmation by email.", number=proposal.receipt_number), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return redirect(url_for("proposals.review", proposal_id=proposal.id))


@login_required
def withdraw(proposal_id: int):
    """Withdraw the proposal after an explicit confirmation."""
    proposal = _owned(proposal_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        with refusal_shown():
            services.withdraw_proposal(proposal, current_user)
            flash(_("Your proposal has been withdrawn."), "success")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    if not proposal.can_withdraw(current_user):
        flash(_("This proposal can no longer be withdrawn."), "danger")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/withdraw.html", proposal=proposal, form=form)


@login_required
def print_view(proposal_id: int):
    """Print-ready version of the submitted proposal, rendered from its frozen snapshot."""
    proposal = _viewable(proposal_id)
    if not proposal.can_print(current_user):
        flash(_("A print version exists once the proposal has been submitted."), "info")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id))
    return render_template("proposals/print.html", proposal=proposal, data=with_defaults(proposal.snapshot))
