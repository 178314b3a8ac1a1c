"""Admin pages of the jury: members, conflicts, assignment, progress, reminders."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.accounts.models import User
from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core.cache import PROGRESS_INPUTS, RANKING_INPUTS, cached
from app.core.conditional import conditional, not_modified, page_etag
from app.core.errors import DomainError
from app.core.formatting import current_locale
from app.core.i18n import gettext as _
from app.core.i18n import ngettext
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.core.time import utcnow
from app.extensions import db
from app.jury import assignment as assignment_service
from app.jury import conflicts as conflict_service
from app.jury import consensus as consensus_service
from app.jury import juror_views, queries, scoring
from app.jury import membership as membership_service
from app.jury import progress as progress_service
from app.jury import progress_page as progress_page_service
from app.jury.admin_forms import (
    ASSIGNMENT_SOURCE_LABELS,
    CONFLICT_STATUS_LABELS,
    REASON_LABELS,
    REVIEW_STATE_LABELS,
    SOURCE_LABELS,
    ActionForm,
    AddConflictForm,
    AddReviewerForm,
    AppointJurorForm,
    AutoAssignForm,
    LiftConflictForm,
    ReminderForm,
)
from app.jury.forms import PlainActionForm, ReopenReviewForm
from app.jury.models import Assignment, Conflict, JuryMembership, Review
from app.jury.permissions import is_in_jury_pool
from app.jury.queries import review_facts
from app.proposals.models import Proposal


def _belongs(competition: Competition, competition_id_of_object: int) -> None:
    """An object of another competition is not found under this one."""
    if competition_id_of_object != competition.id:
        abort(404)


def _common(competition: Competition) -> dict:
    """What every jury admin page shows in its header."""
    return {"competition": competition, "phase_label": PHASE_LABELS[competition.phase]}


# --- members ---------------------------------------------------------------------------

def _render_jury(competition: Competition, appoint_form: AppointJurorForm):
    memberships = queries.memberships_by_name(competition.id)
    loads = {j.membership.user_id: j for j in progress_service.review_progress(
        competition, with_disagreement=False).jurors}
    return render_template(
        "jury/admin_jury.html", **_common(competition), appoint_form=appoint_form,
        active=[m for m in memberships if m.status == "active"],
        removed=[m for m in memberships if m.status != "active"], loads=loads,
        refusal=membership_service.membership_refusal(competition),
    )


@admin_required
def admin_jury(competition_id: int):
    """The competition's jury: members with expertise, declaration and load; appointing and removing."""
    competition = db.get_or_404(Competition, competition_id)
    return _render_jury(competition, AppointJurorForm(formdata=None))


@admin_required
def admin_appoint_juror(competition_id: int):
    """Appoint an existing user, or invite a new person, to the jury."""
    competition = db.get_or_404(Competition, competition_id)
    form = AppointJurorForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            membership = membership_service.appoint_juror(
                competition, email=form.email.data, name=form.name.data or "",
                organisation=form.organisation.data or "", locale=form.locale.data, actor=current_user)
            flash(_("%(name)s has been appointed to the jury and informed by email.", name=membership.user.name),
                  "success")
            proposed = conflict_service.proposed_conflicts(competition, membership.user)
            if proposed:
                flash(ngettext("Warning: %(name)s is connected with %(num)s application in this competition. "
                               "Please check the proposed conflict of interest.",
                               "Warning: %(name)s is connected with %(num)s applications in this competition. "
                               "Please check the proposed conflicts of interest.", len(proposed),
                               name=membership.user.name), "warning")
                return redirect(url_for("jury.admin_proposed_conflicts", competition_id=competition.id,
                                        user_id=membership.user_id))
            return redirect(url_for("jury.admin_jury", competition_id=competition.id))
    return _render_jury(competition, form)


def _selected_ids(values: list[str]) -> set[int]:
    """The checked proposal ids of a form (anything not a number is ignored)."""
    return {int(value) for value in values if value.isdigit()}


@admin_required
def admin_proposed_conflicts(competition_id: int, user_id: int):
    """The conflicts detection proposes for one juror (shown right after the appointment); record the chosen."""
    competition = db.get_or_404(Competition, competition_id)
    juror = db.get_or_404(User, user_id)
    if membership_service.find_membership(competition, juror) is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        with refusal_shown():
            recorded = conflict_service.record_proposed_conflicts(
                competition, juror, _selected_ids(request.form.getlist("proposal_ids")), actor=current_user)
            flash(ngettext("%(num)s conflict of interest has been recorded.",
                           "%(num)s conflicts of interest have been recorded.", len(recorded)), "success")
            return redirect(url_for("jury.admin_conflicts", competition_id=competition.id))
    return render_template("jury/admin_proposed_conflicts.html", **_common(competition), juror=juror, form=form,
                           proposed=conflict_service.proposed_conflicts(competition, juror),
                           reason_labels=REASON_LABELS)


@admin_required
def admin_remove_member(competition_id: int, membership_id: int):
    """Remove a juror; their assignments without a submitted review are removed as well."""
    competition = db.get_or_404(Competition, competition_id)
    membership = db.get_or_404(JuryMembership, membership_id)
    _belongs(competition, membership.competition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        removed = membership_service.remove_member(membership, actor=current_user)
        flash(ngettext("%(name)s has been removed from the jury; %(num)s open assignment was removed.",
                       "%(name)s has been removed from the jury; %(num)s open assignments were removed.",
                       len(removed), name=membership.user.name), "success")
    return redirect(url_for("jury.admin_jury", competition_id=competition.id))


# --- conflicts -------------------------------------------------------------------------

def _add_conflict_form(competition: Competition, formdata=None) -> AddConflictForm:
    """The add-conflict form with the competition's pool and active jurors as choices."""
    form = AddConflictForm(formdata=formdata)
    form.proposal_id.choices = [(0, _("– please choose –"))] + [
        (p.id, f"{p.receipt_number} · {p.title}") for p in conflict_service.jury_pool(competition)]
    jurors = queries.active_jurors(competition.id)
    form.user_id.choices = [(0, _("– please choose –"))] + [(u.id, u.name) for u in jurors]
    return form


def _render_conflicts(competition: Competition, add_form: AddConflictForm):
    conflicts = queries.conflicts_of_competition(competition.id)
    return render_template(
        "jury/admin_conflicts.html", **_common(competition), conflicts=conflicts, add_form=add_form,
        action_form=ActionForm(formdata=None), source_labels=SOURCE_LABELS, reason_labels=REASON_LABELS,
        status_labels=CONFLICT_STATUS_LABELS,
    )


@admin_required
def admin_conflicts(competition_id: int):
    """All conflicts of interest of the competition, with detection, adding and lifting."""
    competition = db.get_or_404(Competition, competition_id)
    return _render_conflicts(competition, _add_conflict_form(competition))


@admin_required
def admin_detect_conflicts(competition_id: int):
    """Run the automatic conflict detection over the jury and the jury pool."""
    competition = db.get_or_404(Competition, competition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    created = conflict_service.detect_and_store_conflicts(competition, actor=current_user)
    flash(ngettext("Detection finished: %(num)s new conflict of interest found.",
                   "Detection finished: %(num)s new conflicts of interest found.", len(created)), "success")
    return redirect(url_for("jury.admin_conflicts", competition_id=competition.id))


@admin_required
def admin_add_conflict(competition_id: int):
    """Record a conflict between a juror and a proposal (source: administration)."""
    competition = db.get_or_404(Competition, competition_id)
    form = _add_conflict_form(competition, formdata=request.form)
    if form.validate_on_submit():
        proposal = db.session.get(Proposal, form.proposal_id.data)
        juror = db.session.get(User, form.user_id.data)
        if proposal is None or juror is None or proposal.competition_id != competition.id:
            abort(404)
        with refusal_shown(form):
            _conflict, removed = conflict_service.add_conflict(proposal, juror, reason=form.reason.data,
                                                               actor=current_user)
            flash(_("The conflict of %(name)s with “%(title)s” has been recorded.", name=juror.name,
                    title=proposal.title), "success")
            if removed:
                flash(_("The assignment of %(name)s to this proposal has been removed.", name=juror.name), "info")
            return redirect(url_for("jury.admin_conflicts", competition_id=competition.id))
    return _render_conflicts(competition, form)


@admin_required
def admin_lift_conflict(competition_id: int, conflict_id: int):
    """Lift a conflict of interest, with a reason."""
    competition = db.get_or_404(Competition, competition_id)
    conflict = db.get_or_404(Conflict, conflict_id)
    _belongs(competition, conflict.proposal.competition_id)
    form = LiftConflictForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            conflict_service.lift_conflict(conflict, reason=form.reason.data, actor=current_user)
            flash(_("The conflict of %(name)s with “%(title)s” has been lifted.", name=conflict.user.name,
                    title=conflict.proposal.title), "success")
            return redirect(url_for("jury.admin_conflicts", competition_id=competition.id))
    return render_template("jury/admin_lift_conflict.html", **_common(competition), conflict=conflict, form=form,
                           source_labels=SOURCE_LABELS, reason_labels=REASON_LABELS)


# --- assignment ------------------------------------------------------------------------

def _reviewer_forms(competition: Competition, progress: progress_service.Progress,
                    bound: tuple[int, AddReviewerForm] | None = None) -> dict[int, AddReviewerForm]:
    """One add-reviewer form per proposal, listing the signed jurors not yet assigned to it."""
    members = assignment_service.signed_members(competition)
    loads = {j.membership.user_id: j.assigned for j in progress.jurors}
    forms: dict[int, AddReviewerForm] = {}
    for row in progress.proposals:
        assigned = {r.assignment.user_id for r in row.reviewers}
        conflicted = {c.user_id for c in row.conflicts}
        if bound is not None and bound[0] == row.proposal.id:
            form = bound[1]
        else:
            form = AddReviewerForm(prefix=f"p{row.proposal.id}", formdata=None)
        form.user_id.choices = [(0, _("– please choose –"))] + [
            (m.user_id, _("%(name)s – conflict of interest", name=m.user.name) if m.user_id in conflicted
             else _("%(name)s (load %(load)s)", name=m.user.name, load=loads.get(m.user_id, 0)))
            for m in members if m.user_id not in assigned]
        forms[row.proposal.id] = form
    return forms


def _render_assignments(competition: Competition, bound: tuple[int, AddReviewerForm] | None = None):
    progress = progress_service.review_progress(competition, with_disagreement=False)
    return render_template(
        "jury/admin_assignments.html", **_common(competition), progress=progress,
        auto_form=AutoAssignForm(formdata=None), action_form=ActionForm(formdata=None),
        reviewer_forms=_reviewer_forms(competition, progress, bound),
        refusal=assignment_service.assignment_refusal(competition), state_labels=REVIEW_STATE_LABELS,
        source_labels=ASSIGNMENT_SOURCE_LABELS,
        unsigned=queries.unsigned_memberships(competition.id),
    )


@admin_required
def admin_assignments(competition_id: int):
    """Assignments: automatic run, loads per juror, reviewers per proposal with add/remove/replace."""
    competition = db.get_or_404(Competition, competition_id)
    return _render_assignments(competition)


@admin_required
def admin_assign_auto(competition_id: int):
    """Assign reviewers automatically, keeping existing assignments."""
    competition = db.get_or_404(Competition, competition_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        outcome = assignment_service.assign_automatically(competition, full_panel=form.full_panel.data,
                                                          actor=current_user)
        flash(ngettext("Automatic assignment finished: %(num)s new assignment.",
                       "Automatic assignment finished: %(num)s new assignments.", len(outcome.created)), "success")
        if outcome.new_conflicts:
            flash(ngettext("Before assigning, %(num)s new conflict of interest was detected and respected.",
                           "Before assigning, %(num)s new conflicts of interest were detected and respected.",
                           outcome.new_conflicts), "info")
        if outcome.short:
            names = "; ".join(_("%(title)s (%(got)s of %(k)s)", title=p.title, got=got, k=outcome.k)
                              for p, got in outcome.short)
            flash(ngettext("%(num)s proposal could not get enough reviewers: %(names)s",
                           "%(num)s proposals could not get enough reviewers: %(names)s",
                           len(outcome.short), names=names), "warning")
    return redirect(url_for("jury.admin_assignments", competition_id=competition.id))


def _pool_proposal(competition: Competition, proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    _belongs(competition, proposal.competition_id)
    return proposal


@admin_required
def admin_add_reviewer(competition_id: int, proposal_id: int):
    """Assign a juror to a proposal by hand; a conflicted juror is refused with a message."""
    competition = db.get_or_404(Competition, competition_id)
    proposal = _pool_proposal(competition, proposal_id)
    form = AddReviewerForm(prefix=f"p{proposal.id}")
    # The choices are set when the page is rendered; here any juror id is checked by the service.
    form.user_id.choices = None
    form.user_id.validate_choice = False
    if form.validate_on_submit():
        juror = db.session.get(User, form.user_id.data)
        with refusal_shown(form):
            if juror is None:
                raise DomainError(_("Please choose a member of this jury."), "user_id")
            assignment_service.add_assignment(proposal, juror, actor=current_user)
            flash(_("%(name)s now reviews “%(title)s”.", name=juror.name, title=proposal.title), "success")
            return redirect(url_for("jury.admin_assignments", competition_id=competition.id,
                                    _anchor=f"proposal-{proposal.id}"))
    flash(_("The reviewer could not be added to “%(title)s”; see the message at the proposal.",
            title=proposal.title), "danger")
    return _render_assignments(competition, bound=(proposal.id, form))


@admin_required
def admin_replace_reviewer(competition_id: int, proposal_id: int):
    """Add the best available non-conflicted juror with the lowest load to a proposal short of reviewers."""
    competition = db.get_or_404(Competition, competition_id)
    proposal = _pool_proposal(competition, proposal_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        assignment = assignment_service.replace_reviewer(proposal, actor=current_user)
        flash(_("%(name)s now reviews “%(title)s”.", name=assignment.user.name, title=proposal.title), "success")
    return redirect(url_for("jury.admin_assignments", competition_id=competition.id, _anchor=f"proposal-{proposal.id}"))


@admin_required
def admin_remove_assignment(competition_id: int, assignment_id: int):
    """Take a reviewer off a proposal (not once their review is submitted)."""
    competition = db.get_or_404(Competition, competition_id)
    assignment = db.get_or_404(Assignment, assignment_id)
    _belongs(competition, assignment.proposal.competition_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    name, title, proposal_id = assignment.user.name, assignment.proposal.title, assignment.proposal_id
    with refusal_shown():
        assignment_service.remove_assignment(assignment, actor=current_user)
        flash(_("%(name)s no longer reviews “%(title)s”.", name=name, title=title), "success")
    return redirect(url_for("jury.admin_assignments", competition_id=competition.id, _anchor=f"proposal-{proposal_id}"))


# --- progress --------------------------------------------------------------------------

def _reminder_form(progress: progress_page_service.ProgressPage, formdata=None) -> ReminderForm:
    form = ReminderForm(formdata=formdata)
    form.user_ids.choices = [(j.user_id, j.name) for j in progress.jurors if j.pending and j.status == "active"]
    return form


def _proposal_section(competition: Competition, progress: progress_page_service.ProgressPage) -> Markup:
    """Render the per-proposal section of the progress page (one page of the table)."""
    progress_page_service.load_proposal_table(progress, competition)
    # The template autoescapes, so its output is safe HTML.
    return Markup(render_template("jury/_progress_proposals.html", competition=competition,  # noqa: S704  # nosec B704
                                  progress=progress, state_labels=REVIEW_STATE_LABELS))


def _render_progress(competition: Competition, progress: progress_page_service.ProgressPage, form: ReminderForm):
    # Loading and rendering the per-proposal table was most of this page's time (make bench: the page
    # missed its target without this), so the section is kept by the one cache under the stamps it
    # shows (reviews, assignments, seats, names, flags), the page, the filter, the clock's part and
    # the language.
    section = cached("progress-proposals", competition,
                     (progress.show, progress.page_number, progress.deadline_passed, current_locale()),
                     lambda: _proposal_section(competition, progress), inputs=(PROGRESS_INPUTS, RANKING_INPUTS))
    return render_template("jury/admin_progress.html", **_common(competition), progress=progress,
                           reminder_form=form, proposal_section=section)


def _progress_page(competition: Competition) -> progress_page_service.ProgressPage:
    """The progress page's data for the page and filter asked for in the query string (the table comes later)."""
    return progress_page_service.progress_page(competition, page=request.args.get("page", 1, type=int),
                                               show=request.args.get("show", "all"), with_proposals=False)


@admin_required
def admin_progress(competition_id: int):
    """Review progress per proposal and per juror, overdue reviews, disagreement, reminders."""
    competition = db.get_or_404(Competition, competition_id)
    # Overdue reviews show once the deadline has passed: the only part that changes with the clock.
    deadline_passed = competition.review_deadline is not None and competition.review_deadline <= utcnow()
    etag = page_etag(competition.progress_stamp, competition.ranking_stamp, deadline_passed)
    if (unchanged := not_modified(etag)) is not None:
        return unchanged
    progress = _progress_page(competition)
    return conditional(_render_progress(competition, progress, _reminder_form(progress)), etag)


@admin_required
def admin_send_reminders(competition_id: int):
    """Mail a reminder of their pending reviews to the chosen jurors."""
    competition = db.get_or_404(Competition, competition_id)
    progress = _progress_page(competition)
    form = _reminder_form(progress, formdata=request.form)
    if form.validate_on_submit():
        with refusal_shown(form):
            reminded = progress_service.send_reminders(competition, form.user_ids.data or [], actor=current_user)
            flash(ngettext("A reminder has been sent to %(num)s juror.",
                           "A reminder has been sent to %(num)s jurors.", len(reminded)), "success")
            return redirect(url_for("jury.admin_progress", competition_id=competition.id))
    return _render_progress(competition, progress, form)


# --- review and consensus actions on the jury's proposal pages ----------------------------------------


@admin_required
def admin_reopen_review(review_id: int):
    """Return a submitted review to its juror as a draft, with a reason they receive by mail."""
    review = db.get_or_404(Review, review_id)
    form = ReopenReviewForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            scoring.reopen_review(review, reason=form.reason.data, actor=current_user)
            flash(_("The review has been reopened and the juror informed."), "success")
            return redirect(url_for("jury.reviews", proposal_id=review.proposal_id))
    return juror_views.reviews_page(review.proposal, review_facts(current_user.id, review.proposal_id),
                                    reopen_form=form, reopen_review_id=review.id)


@admin_required
def admin_rapporteur(proposal_id: int):
    """Name the rapporteur who drafts the proposal's consensus report."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if not is_in_jury_pool(proposal):
        abort(404)
    form = juror_views.build_rapporteur_form(proposal, formdata=request.form)
    if form.validate_on_submit():
        from app.accounts.models import User

        with refusal_shown(form):
            consensus_service.name_rapporteur(proposal, db.session.get(User, form.rapporteur_id.data),
                                              actor=current_user)
            flash(_("The rapporteur has been named and informed by mail."), "success")
            return redirect(url_for("jury.consensus", proposal_id=proposal.id))
    return juror_views.consensus_page(proposal, review_facts(current_user.id, proposal.id), rapporteur_form=form)


@admin_required
def admin_confirm_consensus(proposal_id: int):
    """Confirm a proposed consensus report without waiting for the remaining approvals."""
    proposal = db.get_or_404(Proposal, proposal_id)
    report = consensus_service.consensus_of(proposal.id)
    if report is None:
        abort(404)
    if not PlainActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        consensus_service.confirm_consensus(report, actor=current_user)
        flash(_("The consensus report has been confirmed and is now approved."), "success")
    return redirect(url_for("jury.consensus", proposal_id=proposal.id))


@admin_required
def admin_consensus(competition_id: int):
    """Consensus overview of a competition: reviews, disagreement flags, report status, rapporteur."""
    competition = db.get_or_404(Competition, competition_id)
    return juror_views.render_jury_page("jury/consensus_overview.html", competition=competition,
                   rows=consensus_service.overview(competition))
