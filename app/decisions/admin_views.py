"""Admin pages for decisions, the jury meeting, letters, the protocol, exports and the audit file."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.decisions import audit_file, letters, protocol, queries
from app.decisions.forms import BulkDecisionForm, DecisionForm, ExportForm, MethodForm, SendLettersForm
from app.decisions.services import (
    DECISION_PHASES,
    DEFAULT_METHOD,
    OUTCOME_LABELS,
    MissingRationales,
    WarningsNeedConfirmation,
    award_summary,
    compute_ranking_view,
    decisions_by_proposal,
    method_label,
    ranks_from,
    record_decision,
    record_decisions,
    today_in,
)
from app.extensions import db
from app.proposals.ineligibility_letters import (
    ineligibility_letters_allowed,
    ineligible_proposals,
    send_ineligibility_letters,
)
from app.proposals.models import Proposal
from app.ranking import exports


def _competition_or_404(competition_id: int) -> Competition:
    """The competition, or 404."""
    return db.get_or_404(Competition, competition_id)


def _locale() -> str:
    """The active UI language."""
    return str(get_locale() or "de")


def _chosen_method() -> str:
    """The ranking method from the query string (mean when missing or unknown)."""
    form = MethodForm(request.args)
    return form.method.data if form.validate() else DEFAULT_METHOD


# Refusals the decision pages show themselves (refusal_shown rolls them back).
AWARD_REFUSALS = (WarningsNeedConfirmation, MissingRationales)


def _award_warnings(form, error: DomainError | None) -> list:
    """Mark the rows that lack a rationale; return the award warnings that need confirming."""
    if isinstance(error, MissingRationales):
        form.mark_missing(error.proposal_ids)
        flash(str(error.message), "danger")
    if isinstance(error, WarningsNeedConfirmation):
        return error.warnings
    return []


def _pool_proposals(competition: Competition) -> dict[int, Proposal]:
    """The jury pool (submitted, eligible) with applicants loaded."""
    return queries.pool_proposals_with_applicants(competition.id)


def _ordered_ids(view, pool: dict[int, Proposal]) -> list[int]:
    """Proposals in rank order, then the pool's unranked proposals (no complete review yet)."""
    ranked = [row.proposal_id for row in view.rows if row.proposal_id in pool]
    return ranked + [pid for pid in pool if pid not in set(ranked)]


# --------------------------------------------------------------------------- decisions


@admin_required
def decisions(competition_id: int):
    """The ranking with the decisions; the bulk form sets one outcome for selected rows, each with its rationale."""
    competition = _competition_or_404(competition_id)
    method = _chosen_method()
    view = compute_ranking_view(competition, method)
    pool = _pool_proposals(competition)
    order = _ordered_ids(view, pool)
    form = BulkDecisionForm()
    if request.method == "GET":
        for pid in order:
            form.rows.append_entry({"proposal_id": str(pid), "selected": False, "rationale": ""})
        form.award_date.data = today_in(competition)
    warnings: list = []
    selection_error = None
    if request.method == "POST" and form.validate_on_submit():
        with refusal_shown(form, inline=True, shown_by_view=AWARD_REFUSALS) as refusal:
            saved = record_decisions(competition, outcome=form.outcome.data, rationales=form.rationales(),
                                     actor=current_user, award_date=form.award_date.data,
                                     confirm_warnings=form.confirm_warnings.data, ranks=ranks_from(view))
            flash(_("%(num)s decisions saved.", num=len(saved)), "success")
            return redirect(url_for("decisions.decisions", competition_id=competition.id, method=method))
        selection_error = _bulk_refusal_shown(form, refusal)
        warnings = refusal.error.warnings if isinstance(refusal.error, WarningsNeedConfirmation) else []
    rows = {row.proposal_id: row for row in view.rows}
    return render_template(
        "decisions/decisions.html", competition=competition, form=form, view=view, rows=rows, pool=pool,
        decided=decisions_by_proposal(competition), summary=award_summary(competition), warnings=warnings,
        pending_letters=len(letters.pending_letters(competition)), letters_allowed=letters.letters_allowed(competition),
        can_decide=competition.phase in DECISION_PHASES, outcome_labels=OUTCOME_LABELS, method=method,
        method_form=MethodForm(request.args), method_name=method_label(method), locale=_locale(),
        letters_form=SendLettersForm(), phase_label=PHASE_LABELS[competition.phase], selection_error=selection_error,
        ineligible=ineligible_proposals(competition),
        ineligible_letters_allowed=ineligibility_letters_allowed(competition),
    )


def _bulk_refusal_shown(form: BulkDecisionForm, refusal: refusal_shown) -> str | None:
    """Show a refused bulk decision in the form; return the message that belongs to the row selection."""
    if isinstance(refusal.error, MissingRationales):
        form.mark_missing(refusal.error.proposal_ids)  # each empty rationale is marked and listed by name
        return None
    if refusal.message is None:
        return None
    if refusal.error.field == "rows":
        return refusal.message  # shown above the table and in the summary, linked to the first box
    flash(refusal.message, "danger")  # a rule about the whole competition (e.g. its phase)
    return None


def _proposal_of(competition: Competition, proposal_id: int) -> Proposal:
    """A jury-pool proposal of this competition, else 404."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.competition_id != competition.id:
        abort(404)
    return proposal


def _decision_form_data(decision, competition: Competition) -> dict:
    """The form's starting values: the current decision, or today's date for a new award."""
    if decision is None:
        return {"award_date": today_in(competition)}
    return {"outcome": decision.outcome, "rationale": decision.rationale, "meeting_note": decision.meeting_note,
            "award_date": decision.award_date or today_in(competition)}


def _save_decision(form: DecisionForm, proposal: Proposal, view) -> tuple[bool, list]:
    """Record the decision from a validated form; return (saved, warnings that need confirming)."""
    with refusal_shown(form, shown_by_view=AWARD_REFUSALS) as refusal:
        record_decision(proposal, outcome=form.outcome.data, rationale=form.rationale.data, actor=current_user,
                        award_date=form.award_date.data, meeting_note=form.meeting_note.data or "",
                        confirm_warnings=form.confirm_warnings.data, rank=ranks_from(view).get(proposal.id))
        return True, []
    return False, _award_warnings(form, refusal.error)


@admin_required
def decision_edit(competition_id: int, proposal_id: int):
    """Record or change the decision on one proposal."""
    competition = _competition_or_404(competition_id)
    proposal = _proposal_of(competition, proposal_id)
    method = _chosen_method()
    decision = decisions_by_proposal(competition).get(proposal.id)
    form = DecisionForm(data=_decision_form_data(decision, competition))
    warnings: list = []
    if form.validate_on_submit():
        saved, warnings = _save_decision(form, proposal, compute_ranking_view(competition, method))
        if saved:
            flash(_("The decision has been saved."), "success")
            return redirect(url_for("decisions.decisions", competition_id=competition.id, method=method))
    view = compute_ranking_view(competition, method)
    return render_template("decisions/decision_edit.html", competition=competition, proposal=proposal, form=form,
                           decision=decision, row=view.row_for(proposal.id), view=view,
                           warnings=warnings, method=method, method_name=method_label(method), locale=_locale(),
                           outcome_labels=OUTCOME_LABELS, can_decide=competition.phase in DECISION_PHASES)


# --------------------------------------------------------------------------- meeting


def _meeting_context(competition: Competition, proposal: Proposal) -> dict:
    """What the jury sees of one proposal: consensus, anonymised justifications and who must stand aside."""
    consensus = queries.consensus_with_scores(proposal.id)
    reviews = queries.submitted_reviews_with_scores(proposal.id)
    justifications: dict[int, list[str]] = {}
    for review in reviews:
        for score in review.scores:
            if score.justification.strip():
                justifications.setdefault(score.criterion_id, []).append(score.justification.strip())
    conflicted = queries.active_conflicts_with_jurors(proposal.id)
    return {
        "consensus": consensus,
        "consensus_scores": {s.criterion_id: s for s in consensus.scores} if consensus else {},
        "justifications": {cid: sorted(texts, key=str.casefold) for cid, texts in justifications.items()},
        "conflicted_names": sorted(c.user.name for c in conflicted),
    }


@admin_required
def meeting(competition_id: int):
    """The jury meeting: one proposal at a time in rank order, with outcome, rationale and meeting note."""
    competition = _competition_or_404(competition_id)
    method = _chosen_method()
    view = compute_ranking_view(competition, method)
    pool = _pool_proposals(competition)
    order = _ordered_ids(view, pool)
    if not order:
        return render_template("decisions/meeting_empty.html", competition=competition)
    position = request.args.get("position", 1, type=int)
    if not 1 <= position <= len(order):
        abort(404)
    proposal = pool[order[position - 1]]
    decision = decisions_by_proposal(competition).get(proposal.id)
    form = DecisionForm(data=_decision_form_data(decision, competition))
    warnings: list = []
    if form.validate_on_submit():
        saved, warnings = _save_decision(form, proposal, view)
        if saved:
            flash(_("The decision on “%(title)s” has been recorded.", title=proposal.title), "success")
            following = min(position + 1, len(order))
            return redirect(url_for("decisions.meeting", competition_id=competition.id, position=following,
                                    method=method))
    return render_template(
        "decisions/meeting.html", competition=competition, proposal=proposal, form=form, decision=decision,
        row=view.row_for(proposal.id), view=view, position=position, total=len(order), method=method,
        method_name=method_label(method), warnings=warnings, locale=_locale(),
        outcome_labels=OUTCOME_LABELS, summary=award_summary(competition),
        can_decide=competition.phase in DECISION_PHASES, **_meeting_context(competition, proposal),
    )


# --------------------------------------------------------------------------- letters


@admin_required
def send_letters(competition_id: int):
    """Send one decision letter per final decision that has none yet (a double click sends once)."""
    competition = _competition_or_404(competition_id)
    form = SendLettersForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        ineligible = send_ineligibility_letters(competition, current_user)
        sent = letters.send_decision_letters(competition, current_user) if letters.letters_allowed(competition) else 0
        if ineligible:
            flash(_("%(num)s letters of ineligibility have been placed in the outbox.", num=ineligible), "success")
        if sent:
            flash(_("%(num)s decision letters have been placed in the outbox.", num=sent), "success")
        if not sent and not ineligible:
            flash(_("There are no letters left to send."), "info")
    return redirect(url_for("decisions.decisions", competition_id=competition.id))


# --------------------------------------------------------------------------- protocol


@admin_required
def protocol_page(competition_id: int):
    """The jury protocol on screen, with downloads as HTML and PDF."""
    competition = _competition_or_404(competition_id)
    document = protocol.build_protocol(competition, request.args.get("method"))
    return render_template("decisions/protocol.html", competition=competition, protocol=document,
                           method_name=method_label(document.method), locale=_locale(),
                           outcome_labels=OUTCOME_LABELS, source_label=protocol.conflict_source_label,
                           method_label=method_label)


@admin_required
def protocol_download(competition_id: int, file_format: str):
    """The jury protocol as a print-ready HTML file or as a PDF."""
    competition = _competition_or_404(competition_id)
    document = protocol.build_protocol(competition, request.args.get("method"))
    if file_format == "pdf":
        body, mimetype = protocol.render_protocol_pdf(document), "application/pdf"
    else:
        body = render_template("decisions/protocol_document.html", competition=competition, protocol=document,
                               method_name=method_label(document.method), locale=_locale(),
                               outcome_labels=OUTCOME_LABELS, source_label=protocol.conflict_source_label,
                           method_label=method_label)
        mimetype = "text/html; charset=utf-8"
    filename = protocol.protocol_filename(competition, file_format)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --------------------------------------------------------------------------- exports


@admin_required
def exports_page(competition_id: int):
    """Downloads of the ranking, the individual reviews and the audit file."""
    competition = _competition_or_404(competition_id)
    return render_template("decisions/exports.html", competition=competition, form=ExportForm(request.args))


@admin_required
def export_download(competition_id: int, kind: str, file_format: str):
    """The ranking or all individual reviews as CSV or Excel; juror names only when asked (audited)."""
    competition = _competition_or_404(competition_id)
    form = ExportForm(request.args)
    method = form.method.data if form.validate() else DEFAULT_METHOD
    with_names = kind == "reviews" and bool(form.with_names.data)
    if kind == "ranking":
        table = exports.ranking_table(competition, compute_ranking_view(competition, method, with_uncertainty=True),
                                      method=method)
    else:
        table = exports.reviews_table(competition, with_names=with_names)
    if with_names:
        record_event("export.reviews_with_names", competition, actor=current_user,
                     after={"format": file_format, "competition_id": competition.id})
    if file_format == "csv":
        body, mimetype = exports.build_csv(table), exports.CSV_MIME
    else:
        body, mimetype = exports.build_xlsx([table], competition.title), exports.XLSX_MIME
    filename = exports.export_filename(kind, competition.id, method if kind == "ranking" else None, file_format)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@admin_required
def audit_file_download(competition_id: int):
    """The audit file: the whole procedure as one ZIP archive of CSV and JSON (its download is audited)."""
    competition = _competition_or_404(competition_id)
    body = audit_file.build_audit_file(competition)
    record_event("competition.audit_file_exported", competition, actor=current_user, after={"bytes": len(body)})
    filename = audit_file.audit_file_name(competition)
    return Response(body, mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
