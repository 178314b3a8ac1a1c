"""Admin pages for proposals: list, filters, exports, formal pre-check, reopening."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import load_only
from werkzeug.routing import BuildError

from app.competitions.models import Competition
from app.competitions.phases import PHASE_LABELS
from app.core.i18n import gettext as _
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.core.time import utcnow
from app.core.url_patterns import id_url_pattern
from app.extensions import db
from app.proposals import admin_queries, exports, precheck
from app.proposals.admin_forms import (
    ELIGIBILITY_LABELS,
    STATUS_LABELS,
    ProposalFilterForm,
    ReopenForm,
    build_precheck_form,
    precheck_form_data,
)
from app.proposals.models import Proposal

PROPOSALS_PER_PAGE = 25


def _translated(labels: dict) -> dict[str, str]:
    """Lazy labels translated once per page rather than once per row."""
    return {key: str(label) for key, label in labels.items()}


def _list_filters(competition: Competition):
    """The filter form bound to the query string, its filters and the counts it shows."""
    counts = admin_queries.list_counts(competition)
    form = ProposalFilterForm(request.args, admin_queries.sector_choices(competition, counts.sector))
    return form, form.filters(), counts


@admin_required
def admin_list(competition_id: int):
    """The competition's proposals, filtered, searched, counted and paginated."""
    competition = db.get_or_404(Competition, competition_id)
    form, filters, counts = _list_filters(competition)
    # Only the shown columns; the total comes from the grouped counts unless a search text needs a query.
    query = admin_queries.filtered_proposals(competition, filters, with_partners=False).options(
        load_only(*admin_queries.LIST_COLUMNS))
    total = counts.matching(filters)
    page = db.paginate(query, per_page=PROPOSALS_PER_PAGE, error_out=False, count=total is None)
    if total is not None:
        page.total = total
    partners = admin_queries.partner_counts([proposal.id for proposal in page.items])
    return render_template(
        "proposals/admin_list.html", competition=competition, form=form, filters=filters, page=page,
        counts=counts, progress=counts.precheck, status_labels=_translated(STATUS_LABELS),
        detail_url=id_url_pattern("proposals.admin_detail"), precheck_url=id_url_pattern("proposals.admin_precheck"),
        partner_counts=partners, eligibility_labels=_translated(ELIGIBILITY_LABELS),
        phase_label=PHASE_LABELS[competition.phase])


@admin_required
def admin_export(competition_id: int, file_format: str):
    """Download the filtered list as CSV or Excel."""
    competition = db.get_or_404(Competition, competition_id)
    _form, filters, _counts = _list_filters(competition)
    proposals = admin_queries.filtered_proposal_list(competition, filters)
    if file_format == "csv":
        body, mimetype = exports.build_csv(proposals, competition.zone), exports.CSV_MIME
    else:
        body, mimetype = exports.build_xlsx(proposals, competition.zone, competition.title), exports.XLSX_MIME
    filename = exports.export_filename(competition.id, file_format, utcnow().astimezone(competition.zone))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _attachment_links(proposal: Proposal) -> dict[int, str | None]:
    """Download links of the attachments, or None while the download page does not exist."""
    links: dict[int, str | None] = {}
    for attachment in proposal.attachments:
        try:
            links[attachment.id] = url_for("proposals.download_attachment", proposal_id=proposal.id,
                                           attachment_id=attachment.id)
        except BuildError:
            links[attachment.id] = None
    return links


def _proposal_context(proposal: Proposal) -> dict:
    """What the detail and pre-check pages show about a proposal."""
    return {
        "proposal": proposal, "competition": proposal.competition, "status_labels": STATUS_LABELS,
        "eligibility_labels": ELIGIBILITY_LABELS, "attachment_links": _attachment_links(proposal),
        "phase_label": PHASE_LABELS[proposal.competition.phase],
    }


@admin_required
def admin_detail(proposal_id: int):
    """One proposal for the administrator: fields, snapshot, attachments, pre-check, audit trail."""
    proposal = db.get_or_404(Proposal, proposal_id)
    return render_template(
        "proposals/admin_detail.html", **_proposal_context(proposal),
        events=admin_queries.proposal_events(proposal), reopen_form=ReopenForm(formdata=None),
        reopen_refusal=precheck.reopen_refusal(proposal), precheck_refusal=precheck.precheck_refusal(proposal),
    )


@admin_required
def admin_precheck(proposal_id: int):
    """Record the formal pre-check of a submitted proposal beside its submitted content."""
    proposal = db.get_or_404(Proposal, proposal_id)
    rules = proposal.competition.eligibility_rule_list()
    form = build_precheck_form(rules, data={**precheck_form_data(proposal.precheck_checklist, rules),
                                            "result": proposal.eligibility,
                                            "reason": proposal.eligibility_reason})
    if form.validate_on_submit():
        with refusal_shown(form):
            precheck.record_precheck(proposal, checklist=form.checklist(), result=form.result.data,
                                     reason=form.reason.data or "", actor=current_user)
            flash(_("The pre-check of %(receipt)s has been saved.", receipt=proposal.receipt_number), "success")
            return redirect(url_for("proposals.admin_list", competition_id=proposal.competition_id))
    return render_template("proposals/admin_precheck.html", **_proposal_context(proposal), form=form,
                           refusal=precheck.precheck_refusal(proposal))


@admin_required
def admin_reopen(proposal_id: int):
    """Return a submitted proposal to its applicant as a draft, with a reason they receive."""
    proposal = db.get_or_404(Proposal, proposal_id)
    form = ReopenForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            precheck.reopen_proposal(proposal, reason=form.reason.data, actor=current_user)
            flash(_("The proposal has been reopened and the applicant informed."), "success")
            return redirect(url_for("proposals.admin_detail", proposal_id=proposal.id))
    # Refused: show the detail page again with the typed reason and the error beside it.
    return render_template(
        "proposals/admin_detail.html", **_proposal_context(proposal),
        events=admin_queries.proposal_events(proposal), reopen_form=form,
        reopen_refusal=precheck.reopen_refusal(proposal), precheck_refusal=precheck.precheck_refusal(proposal),
    )
