"""Juror pages before reviewing: expertise and declaration, then conflicts of interest."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown
from app.extensions import db
from app.jury import membership as membership_service
from app.jury.conflicts import declare_conflict, jury_pool
from app.jury.models import JuryMembership
from app.jury.permissions import active_membership, can_see_jury_pool
from app.jury.queries import active_conflicts_by_proposal
from app.jury.setup_forms import ConflictDeclarationForm, DeclarationForm, ExpertiseForm


def _seat(competition_id: int) -> tuple[Competition, JuryMembership]:
    """The competition and the current user's active jury seat in it; 403 for anyone else."""
    competition = db.get_or_404(Competition, competition_id)
    membership = active_membership(current_user, competition.id)
    if membership is None:
        abort(403)
    return competition, membership


def _posted(form_prefix: str) -> bool:
    """True when this request posts the form with the given prefix (two forms share the page)."""
    return request.method == "POST" and f"{form_prefix}-submit" in request.form


@login_required
def declaration(competition_id: int):
    """The juror's expertise and the confidentiality and impartiality declaration."""
    competition, membership = _seat(competition_id)
    expertise_form = ExpertiseForm(
        list(competition.sectors or []), prefix="expertise",
        formdata=request.form if _posted("expertise") else None,
        data={"sectors": list(membership.sectors or []), "keywords": membership.keywords},
    )
    declaration_form = DeclarationForm(prefix="declaration",
                                       formdata=request.form if _posted("declaration") else None)
    if _posted("expertise") and expertise_form.validate_on_submit():
        with refusal_shown(expertise_form):
            membership_service.save_expertise(membership, sectors=expertise_form.sectors.data or [],
                                              keywords=expertise_form.keywords.data or "", actor=current_user)
            flash(_("Your expertise has been saved."), "success")
            return redirect(url_for("jury.declaration", competition_id=competition.id))
    if _posted("declaration") and declaration_form.validate_on_submit():
        with refusal_shown(declaration_form):
            membership_service.sign_declaration(membership, actor=current_user)
            flash(_("Thank you for signing the declaration. Please now declare any conflicts of interest."),
                  "success")
            return redirect(url_for("jury.conflicts", competition_id=competition.id))
    return render_template("jury/setup_declaration.html", competition=competition, membership=membership,
                           expertise_form=expertise_form, declaration_form=declaration_form)


@login_required
def conflicts(competition_id: int):
    """The jury pool, where the juror declares a conflict of interest per proposal with a reason."""
    competition, membership = _seat(competition_id)
    if not can_see_jury_pool(current_user, competition.id, membership):
        flash(_("Please sign the confidentiality and impartiality declaration first."), "warning")
        return redirect(url_for("jury.declaration", competition_id=competition.id))
    pool = jury_pool(competition)
    declared = active_conflicts_by_proposal(current_user.id, competition.id)
    forms = {p.id: ConflictDeclarationForm(prefix=f"p{p.id}", formdata=None) for p in pool if p.id not in declared}
    if request.method == "POST":
        proposal = next((p for p in pool if p.id == request.form.get("proposal_id", type=int)), None)
        if proposal is None:
            abort(404)
        form = ConflictDeclarationForm(prefix=f"p{proposal.id}")
        if form.validate_on_submit():
            with refusal_shown(form):
                _conflict, removed = declare_conflict(current_user, proposal, reason=form.reason.data)
                flash(_("Your conflict of interest with “%(title)s” has been recorded.", title=proposal.title),
                      "success")
                if removed:
                    flash(_("You have been taken off the reviewers of this proposal; the funding office will "
                            "find a replacement."), "info")
                return redirect(url_for("jury.conflicts", competition_id=competition.id))
        forms[proposal.id] = form
    return render_template("jury/setup_conflicts.html", competition=competition, pool=pool, declared=declared,
                           forms=forms)
