"""Juror pages: dashboard, proposal, scoring with autosave, other reviews, discussion, consensus.

The administrator's actions on reviews and consensus reports live in admin_views.py and render
these pages' builders. Who may see or do what is decided in app/jury/permissions.py; a proposal
the user may not see answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from wtforms.fields.choices import SelectChoice

from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core import uploads
from app.core.errors import DomainError
from app.core.formatting import format_exact, format_kpi, format_time_local
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.core.time import utcnow
from app.core.url_patterns import id_url_pattern
from app.extensions import db
from app.jury import consensus as consensus_service
from app.jury import discussion, queries, scoring
from app.jury.forms import (
    ApproveConsensusForm,
    DiscussionPostForm,
    PlainActionForm,
    RapporteurForm,
    ReopenReviewForm,
    SubmitReviewForm,
    build_consensus_form,
    build_review_form,
    consensus_form_data,
    posted_review,
    review_form_data,
    score_choices,
    score_radios,
    text_field,
)
from app.jury.models import JuryMembership, Review
from app.jury.permissions import (
    can_access_review,
    can_approve_consensus,
    can_edit_consensus,
    can_see_jury_work,
    can_see_other_reviews,
    conflicts_review_pending,
    consensus_approver_ids,
    is_in_jury_pool,
)
from app.jury.pseudonyms import proposal_pseudonyms
from app.jury.queries import ReviewFacts, review_facts
from app.proposals.completeness import SECTION_LABELS
from app.proposals.forms import COMPANY_SIZE_LABELS, INITIATIVE_KIND_LABELS
from app.proposals.models import Attachment, Proposal

# --- template helpers -------------------------------------------------------------------------


def _locale() -> str:
    return str(get_locale() or "de")


def _paragraphs(text: str | None) -> Markup:
    """An applicant's long text as escaped paragraphs, keeping its line breaks."""
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks
    )


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _helpers() -> dict:
    """Formatters and labels the jury templates share."""
    return {"score_text": format_exact, "quantity": format_kpi, "paragraphs": _paragraphs, "from_iso": _from_iso,
            "score_radios": score_radios, "text_field": text_field,
            "locale": _locale(), "phase_labels": PHASE_LABELS, "section_labels": SECTION_LABELS,
            "kind_labels": INITIATIVE_KIND_LABELS, "size_labels": COMPANY_SIZE_LABELS}


def render_jury_page(template: str, **context):
    return render_template(template, **_helpers(), **context)


# --- loading with permission checks -------------------------------------------------------------


def _jury_proposal(proposal_id: int) -> tuple[Proposal, ReviewFacts]:
    """A pool proposal whose jury work the user may see, with the facts its page's rules use; 404 otherwise."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not is_in_jury_pool(proposal):
        abort(404)
    facts = review_facts(current_user.id, proposal.id)
    if not can_see_jury_work(current_user, proposal, facts):
        abort(404)
    return proposal, facts


def _assigned_proposal(proposal_id: int) -> tuple[Proposal, ReviewFacts]:
    """A proposal the user is assigned to review (signed, not conflicted) with the rules' facts; 404 otherwise."""
    loaded = queries.scoring_proposal(proposal_id, current_user.id)
    if loaded is None:
        abort(404)
    proposal, facts = loaded
    if not can_access_review(current_user, proposal, facts):
        abort(404)
    return proposal, facts


def _tabs(proposal: Proposal, facts: ReviewFacts) -> list[tuple[str, str]]:
    """The proposal's jury pages the current user may open: (endpoint, label)."""
    tabs = [("jury.proposal", _("Proposal"))]
    if can_access_review(current_user, proposal, facts):
        tabs.append(("jury.review", _("My review")))
    tabs.append(("jury.reviews", _("Reviews")))
    tabs.append(("jury.discussion", _("Discussion")))
    tabs.append(("jury.consensus", _("Consensus")))
    return tabs


def _page(proposal: Proposal, template: str, active: str, facts: ReviewFacts, **context):
    """Render one of the proposal's jury pages with its tabs."""
    return render_jury_page(template, proposal=proposal, competition=proposal.competition, tabs=_tabs(proposal, facts),
                   active_tab=active, **context)


# --- dashboard ---------------------------------------------------------------------------------


@dataclass
class CompetitionWork:
    """What a juror has to do in one competition."""

    membership: JuryMembership
    competition: Competition
    conflicts_pending: bool
    items: list[scoring.AssignedProposal] = field(default_factory=list)
    assigned_count: int = 0
    to_approve: list[scoring.ProposalLine] = field(default_factory=list)
    to_draft: list[scoring.ProposalLine] = field(default_factory=list)

    @property
    def submitted_count(self) -> int:
        """Reviews the juror has submitted."""
        return sum(1 for item in self.items if item.state == "submitted")

    @property
    def open_count(self) -> int:
        """Reviews still to submit."""
        return len(self.items) - self.submitted_count

    @property
    def signed(self) -> bool:
        """Proposals are shown only after the declaration is signed."""
        return self.membership.has_signed_declaration


def _consensus_tasks(user, competition_id: int) -> tuple[list[scoring.ProposalLine], list[scoring.ProposalLine]]:
    """Reports this juror must approve, and drafts they write as rapporteur, in one statement."""
    to_approve, to_draft = [], []
    for status, proposal_id, network_name in queries.consensus_tasks(user.id, competition_id):
        (to_draft if status == "draft" else to_approve).append(scoring.ProposalLine(proposal_id, network_name))
    return to_approve, to_draft


def _juror_work(user) -> list[CompetitionWork]:
    """The juror's competitions with pending steps, assigned proposals and consensus tasks."""
    memberships = queries.active_seats_of(user.id)
    work = []
    for membership in memberships:
        entry = CompetitionWork(membership, membership.competition, conflicts_pending=False)
        if entry.signed:
            entry.items = scoring.assigned_proposals(user, membership.competition_id)
            # Assigned proposals show the conflict check is done: only a juror without any asks the database.
            entry.conflicts_pending = not entry.items and conflicts_review_pending(membership)
            entry.to_approve, entry.to_draft = _consensus_tasks(user, membership.competition_id)
        else:
            # No titles before signing; the number alone tells the juror that work is waiting.
            entry.assigned_count = queries.assignment_count(user.id, membership.competition_id)
        work.append(entry)
    return work


@login_required
def dashboard():
    """The juror's dashboard: pending steps, assigned proposals with review status, progress, deadline."""
    urls = {name: id_url_pattern(f"jury.{name}") for name in ("proposal", "review", "reviews", "discussion")}
    return render_jury_page("jury/juror_dashboard.html", work=_juror_work(current_user),
                   deadline_passed=scoring.review_deadline_passed, proposal_urls=urls)


# --- the proposal --------------------------------------------------------------------------------


@login_required
def proposal(proposal_id: int):
    """The submitted proposal as the jury reads it (from its snapshot; blind review hides who submitted it)."""
    proposal, facts = _jury_proposal(proposal_id)
    return _page(proposal, "jury/juror_proposal.html", "jury.proposal", facts, data=proposal.snapshot or {},
                 blind=proposal.competition.blind_review)


@login_required
def attachment(proposal_id: int, attachment_id: int):
    """Download an attachment of the submitted proposal (not in blind review)."""
    proposal, _facts = _jury_proposal(proposal_id)
    listed = {a.get("id") for a in (proposal.snapshot or {}).get("attachments", [])}
    stored = db.session.get(Attachment, attachment_id)
    if (proposal.competition.blind_review or stored is None or stored.proposal_id != proposal.id
            or attachment_id not in listed):
        abort(404)
    return uploads.send_stored(stored.storage_key, stored.display_name, stored.mime_type)


# --- scoring ---------------------------------------------------------------------------------------


def _review_form(proposal: Proposal, **kwargs):
    competition = proposal.competition
    return build_review_form(competition.criteria, _locale(), score_choices(scoring.scale_values(competition)),
                             **kwargs)


def _new_storage_key(proposal: Proposal) -> str:
    """Where the browser keeps unsaved text before the review exists."""
    return f"review-draft:new:{proposal.id}:{current_user.id}"


def _storage_key(review: Review | None, proposal: Proposal) -> str:
    """Where the browser keeps unsaved text: by review id once the review exists."""
    if review is not None and review.id:
        return f"review-draft:{review.id}"
    return _new_storage_key(proposal)


def _review_page(proposal: Proposal, facts: ReviewFacts, review: Review | None, form=None):
    competition = proposal.competition
    refusal = scoring.editing_refusal(review, competition)
    return _page(proposal, "jury/review_form.html", "jury.review", facts, review=review, form=form,
                 refusal=refusal, submission_refusal=scoring.submission_refusal(competition),
                 storage_key=_storage_key(review, proposal), new_storage_key=_new_storage_key(proposal),
                 can_see_others=can_see_other_reviews(current_user, proposal, facts))


@login_required
def review(proposal_id: int):
    """The scoring form: a score and justification per criterion; save draft, save and next, submit."""
    proposal, facts = _assigned_proposal(proposal_id)
    competition = proposal.competition
    review = scoring.review_of(current_user.id, proposal.id)
    if request.method == "GET":
        form = None
        if scoring.editing_refusal(review, competition) is None:
            form = _review_form(proposal, data=review_form_data(review, competition.criteria))
        return _review_page(proposal, facts, review, form)
    form = _review_form(proposal)
    if not form.validate_on_submit():
        return _review_page(proposal, facts, review, form)
    action = form.action()
    with refusal_shown(form):
        if action == "submit":
            scoring.save_review(proposal, current_user, entries=form.entries(),
                                overall_comment=form.overall_comment.data or "",
                                expected_version=form.expected_version(), for_submission=True)
        else:
            scoring.save_draft(proposal, current_user, entries=form.entries(),
                               overall_comment=form.overall_comment.data or "",
                               expected_version=form.expected_version())
        if action == "submit":
            return redirect(url_for("jury.review_submit", proposal_id=proposal.id))
        flash(_("Your draft has been saved."), "success")
        if action == "next":
            following = scoring.next_pending_proposal(current_user, proposal)
            if following is None:
                flash(_("There is no further review waiting for you in this competition."), "info")
                return redirect(url_for("jury.dashboard"))
            return redirect(url_for("jury.review", proposal_id=following.id))
        return redirect(url_for("jury.review", proposal_id=proposal.id))
    return _review_page(proposal, facts, scoring.review_of(current_user.id, proposal.id), form)


@login_required
def review_autosave(proposal_id: int):
    """Save the draft from the autosave script; answers JSON with the new version and the time saved."""
    proposal, _facts = _assigned_proposal(proposal_id)
    # The answer is translated after a refused insert, when the session cannot load the user's row
    # until the transaction rolls back: choosing the language now needs no reload then.
    _locale()
    entries, overall_comment, expected_version = posted_review(
        request.form, [c.id for c in proposal.competition.criteria])
    try:
        review_id, version = scoring.save_draft(proposal, current_user, entries=entries,
                                                overall_comment=overall_comment,
                                                expected_version=expected_version, autosave=True)
    except scoring.ReviewConflict as error:  # a 4xx answer: the request's transaction rolls back
        return jsonify(ok=False, conflict=True, message=str(error.message)), 409
    except DomainError as error:
        return jsonify(ok=False, conflict=False, message=str(error.message), field=error.field), 422
    saved_at = utcnow()
    return jsonify(ok=True, review_id=review_id, version=version, saved_at=saved_at.isoformat(),
                   message=_("Saved %(time)s", time=format_time_local(saved_at)))


@login_required
def review_submit(proposal_id: int):
    """Check the complete draft once more and submit it; afterwards it is locked."""
    proposal, facts = _assigned_proposal(proposal_id)
    review = scoring.review_of(current_user.id, proposal.id)
    if review is None or review.is_submitted:
        return redirect(url_for("jury.review", proposal_id=proposal.id))
    form = SubmitReviewForm(data={"version": str(review.version)})
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        with refusal_shown():
            scoring.submit_review(review, expected_version=form.expected_version(), actor=current_user)
            flash(_("Your review has been submitted. Thank you!"), "success")
            return redirect(url_for("jury.reviews", proposal_id=proposal.id))
        return redirect(url_for("jury.review", proposal_id=proposal.id))
    gaps = scoring.missing_parts(review, proposal.competition)
    refusal = scoring.editing_refusal(review, proposal.competition) or scoring.submission_refusal(
        proposal.competition)
    return _page(proposal, "jury/review_confirm.html", "jury.review", facts, review=review, form=form, gaps=gaps,
                 refusal=refusal)


# --- the reviews of all jurors ------------------------------------------------------------------------


def reviews_page(proposal: Proposal, facts: ReviewFacts, reopen_form=None, reopen_review_id: int | None = None):
    visible = can_see_other_reviews(current_user, proposal, facts)
    reviews = scoring.submitted_reviews(proposal) if visible else []
    own = scoring.review_of(current_user.id, proposal.id)
    if not current_user.is_admin:
        reviews = [r for r in reviews if r.user_id != current_user.id]
    assignments = []
    if current_user.is_admin:
        assignments = queries.assigned_jurors_with_reviews(proposal.id)
    return _page(proposal, "jury/review_list.html", "jury.reviews", facts, reviews=reviews, own=own, visible=visible,
                 letters=proposal_pseudonyms(proposal), assignments=assignments,
                 reopen_form=reopen_form or ReopenReviewForm(formdata=None), reopen_review_id=reopen_review_id,
                 reopen_refusal=scoring.reopen_refusal)


@login_required
def reviews(proposal_id: int):
    """The submitted reviews of a proposal: jurors see them pseudonymised and per the visibility setting."""
    return reviews_page(*_jury_proposal(proposal_id))


# --- discussion -------------------------------------------------------------------------------------


def _discussion_page(proposal: Proposal, facts: ReviewFacts, form):
    return _page(proposal, "jury/juror_discussion.html", "jury.discussion", facts, posts=discussion.posts_of(proposal),
                 letters=proposal_pseudonyms(proposal), form=form,
                 refusal=discussion.posting_refusal(proposal))


@login_required
def discussion_thread(proposal_id: int):
    """The jury's discussion of a proposal; posting mails the other involved jurors."""
    proposal, facts = _jury_proposal(proposal_id)
    form = DiscussionPostForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            post = discussion.add_post(proposal, current_user, form.body.data)
            flash(_("Your message has been posted."), "success")
            return redirect(url_for("jury.discussion", proposal_id=proposal.id, _anchor=f"post-{post.id}"))
    return _discussion_page(proposal, facts, form)


# --- consensus --------------------------------------------------------------------------------------


def build_rapporteur_form(proposal: Proposal, formdata=None, **kwargs) -> RapporteurForm:
    form = RapporteurForm(formdata=formdata, **kwargs)
    form.rapporteur_id.choices = [SelectChoice(0, _("– please choose –"))] + [
        SelectChoice(user.id, f"{user.name} ({user.organisation})" if user.organisation else user.name)
        for user in consensus_service.rapporteur_candidates(proposal)
    ]
    return form


def consensus_page(proposal: Proposal, facts: ReviewFacts, form=None, rapporteur_form=None):
    report = consensus_service.consensus_of(proposal.id)
    competition = proposal.competition
    editable = report is not None and can_edit_consensus(current_user, report, facts)
    if editable and form is None:
        form = build_consensus_form(competition.criteria, _locale(), score_choices(scoring.scale_values(competition)),
                                    formdata=None, data=consensus_form_data(report, competition.criteria))
    approvers = consensus_approver_ids(proposal, report.rapporteur_id) if report else set()
    show_reviews = can_see_other_reviews(current_user, proposal, facts)
    if current_user.is_admin and rapporteur_form is None:
        rapporteur_form = build_rapporteur_form(proposal, data={"rapporteur_id": report.rapporteur_id if report else 0})
    return _page(
        proposal, "jury/consensus_form.html", "jury.consensus", facts, report=report, form=form if editable else None,
        scores={s.criterion_id: s for s in report.scores} if report else {},
        approvers=approvers, approved_ids={a.user_id for a in report.approvals} if report else set(),
        can_approve=report is not None and can_approve_consensus(current_user, report, facts, approvers),
        approve_form=ApproveConsensusForm(formdata=None, data={"version": str(report.version) if report else ""}),
        action_form=PlainActionForm(formdata=None), rapporteur_form=rapporteur_form,
        reviews=scoring.submitted_reviews(proposal) if show_reviews else [], show_reviews=show_reviews,
        letters=proposal_pseudonyms(proposal), refusal=consensus_service.phase_refusal(competition),
        pending_reviews=consensus_service.pending_reviewer_count(proposal),
        user_names=consensus_service.user_names(approvers | ({report.rapporteur_id} if report else set())),
    )


@login_required
def consensus(proposal_id: int):
    """The consensus report: the rapporteur drafts and proposes it, the reviewers approve it."""
    proposal, facts = _jury_proposal(proposal_id)
    if request.method == "GET":
        return consensus_page(proposal, facts)
    report = consensus_service.consensus_of(proposal.id)
    if report is None or report.rapporteur_id != current_user.id:
        abort(403)
    competition = proposal.competition
    form = build_consensus_form(competition.criteria, _locale(), score_choices(scoring.scale_values(competition)))
    if not form.validate_on_submit():
        return consensus_page(proposal, facts, form=form)
    propose = bool(form.propose.data)
    with refusal_shown(form):
        consensus_service.save_consensus(report, entries=form.entries(), report=form.report.data or "",
                                         minority_view=form.minority_view.data or "",
                                         expected_version=form.expected_version(), propose=propose,
                                         actor=current_user)
        if propose:
            flash(_("The consensus report has been proposed to the jury for approval."), "success")
        else:
            flash(_("The draft of the consensus report has been saved."), "success")
        return redirect(url_for("jury.consensus", proposal_id=proposal.id))
    return consensus_page(proposal, facts, form=form)


@login_required
def consensus_approve(proposal_id: int):
    """A juror who reviewed the proposal approves the proposed consensus report."""
    proposal, _facts = _jury_proposal(proposal_id)
    report = consensus_service.consensus_of(proposal.id)
    if report is None:
        abort(404)
    form = ApproveConsensusForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        consensus_service.approve_consensus(report, current_user, expected_version=form.expected_version())
        if report.is_approved:
            flash(_("Thank you. All approvals are in: the consensus report is approved."), "success")
        else:
            flash(_("Thank you, your approval has been recorded."), "success")
    return redirect(url_for("jury.consensus", proposal_id=proposal.id))


@login_required
def consensus_revise(proposal_id: int):
    """The rapporteur takes the proposed report back to draft (approvals lapse)."""
    proposal, _facts = _jury_proposal(proposal_id)
    report = consensus_service.consensus_of(proposal.id)
    if report is None or report.rapporteur_id != current_user.id:
        abort(403)
    if not PlainActionForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        consensus_service.revise_consensus(report, actor=current_user)
        flash(_("The consensus report is a draft again; approvals given so far have lapsed."), "success")
    return redirect(url_for("jury.consensus", proposal_id=proposal.id))






