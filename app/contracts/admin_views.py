"""Administrator pages: portfolio, contract record, milestones, amendments, verification, release, exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from app.competitions.stamps import combined_stamps
from app.contracts import exports, release, reports, services
from app.contracts.display import percent_of
from app.contracts.forms import (
    AmountsForm,
    CloseMilestoneForm,
    ConfirmForm,
    ContractTermsForm,
    CreateContractForm,
    DocumentForm,
    MilestoneForm,
    OperatorRowForm,
    PublicationForm,
    RejectForm,
    ReleaseForm,
    ShareRowForm,
    SignForm,
    StatusForm,
    StepRowForm,
    TeamRowForm,
    rows_form_class,
)
from app.contracts.models import Contract, ContractFile, ProgressReport
from app.contracts.queries import portfolio as load_portfolio
from app.contracts.views import contract_body, milestone_of, viewable_contract
from app.core.cache import CONTRACTS_INPUTS, cached
from app.core.formatting import current_locale
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.permissions import admin_required
from app.core.refusals import refusal_shown
from app.core.time import utcnow
from app.decisions.models import Decision
from app.extensions import db


def _contract(contract_id: int) -> Contract:
    return viewable_contract(contract_id)  # admins may view every contract; missing ids are 404


def _detail_url(contract: Contract, anchor: str | None = None) -> str:
    return url_for("contracts.admin_detail", contract_id=contract.id, _anchor=anchor)


# --- portfolio and exports ----------------------------------------------------------------------


@admin_required
def portfolio():
    """All contracts with committed, paid and open money, by source; awards still without a contract."""
    competition_id = request.args.get("competition", type=int)
    # As the contract page's body (views.contract_body): rendering every contract's figures missed the
    # page's target in make bench, so the body is kept under the contracts stamps of the competitions shown.
    stamps = combined_stamps((CONTRACTS_INPUTS,), competition_id)

    def render() -> Markup:
        html = render_template("contracts/_portfolio_body.html", data=load_portfolio(competition_id),
                               competition_id=competition_id, datasets=exports.DATASETS)
        return Markup(html)  # noqa: S704  # nosec B704

    body = cached("portfolio-body", stamps, (competition_id, current_locale()), render, inputs=(CONTRACTS_INPUTS,))
    return render_template("contracts/portfolio.html", body=body)


@admin_required
def export(dataset: str, fmt: str):
    """Download contracts, milestones, reports or payments as CSV or Excel."""
    competition_id = request.args.get("competition", type=int)
    table = exports.build_table(dataset, competition_id)
    now = utcnow()
    if fmt == "csv":
        body, mime = exports.to_csv(table), exports.CSV_MIME
    else:
        body, mime = exports.to_xlsx(table), exports.XLSX_MIME
    filename = f"{dataset}-{now:%Y-%m-%d}.{fmt}"
    return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- creating a contract ------------------------------------------------------------------------


@admin_required
def create(decision_id: int):
    """Record the contract of an awarded proposal (defaults from the award and the competition)."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.outcome != "awarded":
        abort(404)
    existing = services.contract_for_proposal(decision.proposal_id)
    if existing is not None:
        return redirect(_detail_url(existing))
    form = CreateContractForm()
    if request.method == "GET":
        terms = services.suggested_terms(decision)
        form.number.data, form.start_date.data, form.end_date.data = terms.number, terms.start_date, terms.end_date
        form.amount.data = decision.proposal.requested_funding_cents
        form.fixed.data = 0
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        terms = services.Terms(number=form.number.data, start_date=form.start_date.data, end_date=form.end_date.data)
        with refusal:
            contract = services.create_contract(
                decision, terms, amount_cents=form.amount.data, fixed_cents=form.fixed.data, actor=current_user,
                take_over_kpis=form.take_over_kpis.data)
            flash(_("The contract %(number)s has been recorded.", number=contract.number), "success")
            return redirect(_detail_url(contract))
    return render_template("contracts/create.html", form=form, decision=decision, refusal=refusal.message)


# --- the contract page --------------------------------------------------------------------------


@admin_required
def admin_detail(contract_id: int):
    """The contract record: terms, shares, steps, team, milestones with reports and payments, charts."""
    contract = _contract(contract_id)
    status_form = StatusForm(status=contract.status)
    # The signature form shows only until the contract is signed.
    sign_form = None if contract.is_signed else SignForm(signed_on=services.local_today(contract))
    return render_template("contracts/admin_detail.html",
                           contract=contract, body=contract_body(contract, admin_view=True),
                           status_form=status_form,
                           sign_form=sign_form, document_form=DocumentForm(),
                           problems=services.contract_problems(contract),
                           # The payments were loaded with the contract just now: no need to sum them again.
                           fixed=release.fixed_preview(contract, paid_cents=contract.paid_cents)
                           if contract.fixed_cents else None)


@admin_required
def edit_publication(contract_id: int):
    """What the EU list of operations publishes: purpose, achievements, location (no amendment needed)."""
    contract = _contract(contract_id)
    form = PublicationForm(obj=contract)
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        with refusal:
            services.update_publication(contract, services.Publication(
                purpose=form.operation_purpose.data or "", achievements=form.operation_achievements.data or "",
                postcode=form.location_postcode.data or "", country=form.country.data or ""), current_user)
            flash(_("The entry in the list of operations has been saved."), "success")
            return redirect(_detail_url(contract))
    return render_template("contracts/edit_publication.html", form=form, contract=contract,
                           refusal=refusal.message)


@admin_required
def edit_terms(contract_id: int):
    """Change number and period (an amendment once signed)."""
    contract = _contract(contract_id)
    form = ContractTermsForm(obj=contract)
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        terms = services.Terms(number=form.number.data, start_date=form.start_date.data, end_date=form.end_date.data)
        with refusal:
            services.update_terms(contract, terms, current_user, form.reason.data)
            flash(_("The contract terms have been saved."), "success")
            return redirect(_detail_url(contract))
    return render_template("contracts/edit_terms.html", form=form, contract=contract, refusal=refusal.message)


@admin_required
def change_amounts(contract_id: int):
    """Set contract amount, fixed part and all tranches together (an amendment once signed)."""
    contract = _contract(contract_id)
    if request.method == "GET":
        form = AmountsForm(data={"amount": contract.amount_cents, "fixed": contract.fixed_cents,
                                 "tranches": [{"milestone_id": m.id, "tranche": m.tranche_cents}
                                              for m in contract.milestones]})
    else:
        form = AmountsForm()
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        try:
            tranches = {int(entry.form.milestone_id.data): entry.form.tranche.data for entry in form.tranches}
        except (TypeError, ValueError):
            abort(400)
        with refusal:
            services.change_amounts(contract, amount_cents=form.amount.data, fixed_cents=form.fixed.data,
                                    tranches=tranches, actor=current_user, reason=form.reason.data)
            flash(_("The amounts have been saved."), "success")
            return redirect(_detail_url(contract, "milestones"))
    titles = {m.id: m for m in contract.milestones}
    return render_template("contracts/amounts.html", form=form, contract=contract, milestones=titles,
                           refusal=refusal.message, problems=services.amount_problems(contract))


@dataclass(frozen=True)
class RowEditor:
    """How one list of a contract (operators, shares, approval steps, team) is edited."""

    title: Any
    row_form: type
    columns: tuple[str, ...]
    amendment: bool

    def initial(self, contract: Contract) -> list[dict]:
        """The stored rows as form data."""
        if self.row_form is OperatorRowForm:
            return [{"name": o.name, "role": o.role} for o in contract.operators]
        if self.row_form is ShareRowForm:
            return [{"source": s.source, "share": s.share} for s in contract.funding_shares]
        if self.row_form is StepRowForm:
            return [{"label": s.label, "planned_on": s.planned_on, "done_on": s.done_on}
                    for s in contract.approval_steps]
        return [{"name": m.name, "role": m.role} for m in contract.team_members]

    def save(self, contract: Contract, rows: list[dict], reason: str | None) -> None:
        """Hand the rows to the service that owns this list."""
        if self.row_form is OperatorRowForm:
            services.set_operators(contract, [(r["name"] or "", r["role"] or "") for r in rows], current_user, reason)
        elif self.row_form is ShareRowForm:
            services.set_funding_shares(contract, [(r["source"] or "", r["share"]) for r in rows], current_user,
                                        reason)
        elif self.row_form is StepRowForm:
            services.set_approval_steps(contract, [(r["label"] or "", r["planned_on"], r["done_on"]) for r in rows],
                                        current_user)
        else:
            services.set_team(contract, [(r["name"] or "", r["role"] or "") for r in rows], current_user)


ROW_EDITORS = {
    "operators": RowEditor(_l("Operators"), OperatorRowForm, ("name", "role"), amendment=True),
    "shares": RowEditor(_l("Funding sources and shares"), ShareRowForm, ("source", "share"), amendment=True),
    "approval-steps": RowEditor(_l("Approval steps"), StepRowForm, ("label", "planned_on", "done_on"),
                                amendment=False),
    "team": RowEditor(_l("Project team"), TeamRowForm, ("name", "role"), amendment=False),
}


@admin_required
def edit_rows(contract_id: int, part: str):
    """Edit one list of the contract; a refused list (e.g. shares not summing to 100 %) saves nothing."""
    contract = _contract(contract_id)
    editor = ROW_EDITORS[part]
    stored = editor.initial(contract)
    form_class = rows_form_class(editor.row_form, len(stored), with_reason=editor.amendment)
    form = form_class(data={"rows": stored}) if request.method == "GET" else form_class()
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        rows = [entry.data for entry in form.rows.entries]
        reason = form.reason.data if editor.amendment else None
        with refusal:
            editor.save(contract, rows, reason)
            flash(_("%(what)s saved.", what=editor.title), "success")
            return redirect(_detail_url(contract))
    return render_template("contracts/edit_rows.html", form=form, contract=contract, editor=editor, part=part,
                           refusal=refusal.message)


@admin_required
def set_status(contract_id: int):
    """Record the project status."""
    contract = _contract(contract_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    with refusal_shown():
        services.set_status(contract, form.status.data, current_user)
        flash(_("The project status has been saved."), "success")
    return redirect(_detail_url(contract))


@admin_required
def sign(contract_id: int):
    """Record the signature (only when the contract is complete and adds up)."""
    contract = _contract(contract_id)
    form = SignForm()
    if not form.validate_on_submit():
        flash(_("Please enter a valid date of signature."), "danger")
        return redirect(_detail_url(contract, "signature"))
    with refusal_shown():
        services.sign_contract(contract, form.signed_on.data, current_user)
        flash(_("The signature has been recorded. From now on, changes are amendments."), "success")
    return redirect(_detail_url(contract, "signature"))


# --- milestones ---------------------------------------------------------------------------------


def _milestone_terms(form: MilestoneForm) -> services.MilestoneTerms:
    return services.MilestoneTerms(
        title=form.title.data or "", unit=form.unit.data or "", baseline=form.baseline.data, target=form.target.data,
        due_date=form.due_date.data, weight=form.weight.data, tranche_cents=form.tranche.data, rule=form.rule.data,
        minimum_level=form.minimum_level.data / 100 if form.minimum_level.data is not None else None,
        cap=form.cap.data / 100 if form.cap.data is not None else None)


@admin_required
def new_milestone(contract_id: int):
    """Add a milestone."""
    contract = _contract(contract_id)
    form = MilestoneForm()
    if request.method == "GET":
        form.due_date.data = contract.end_date
        form.tranche.data = 0 if contract.is_signed else None
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        with refusal:
            services.add_milestone(contract, _milestone_terms(form), current_user, form.reason.data)
            flash(_("The milestone has been added."), "success")
            return redirect(_detail_url(contract, "milestones"))
    return render_template("contracts/milestone_form.html", form=form, contract=contract, milestone=None,
                           refusal=refusal.message)


@admin_required
def edit_milestone(contract_id: int, milestone_id: int):
    """Change a milestone that has not been paid."""
    contract = _contract(contract_id)
    milestone = milestone_of(contract, milestone_id)
    if request.method == "GET":
        form = MilestoneForm(data={
            "title": milestone.title, "unit": milestone.unit, "baseline": milestone.baseline,
            "target": milestone.target, "due_date": milestone.due_date, "weight": milestone.weight,
            "tranche": milestone.tranche_cents, "rule": milestone.rule,
            "minimum_level": percent_of(milestone.minimum_level), "cap": percent_of(milestone.cap)})
    else:
        form = MilestoneForm()
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        with refusal:
            services.update_milestone(milestone, _milestone_terms(form), current_user, form.reason.data)
            flash(_("The milestone has been saved."), "success")
            return redirect(_detail_url(contract, "milestones"))
    return render_template("contracts/milestone_form.html", form=form, contract=contract, milestone=milestone,
                           refusal=refusal.message, delete_form=ConfirmForm())


@admin_required
def delete_milestone(contract_id: int, milestone_id: int):
    """Delete a milestone of an unsigned contract."""
    contract = _contract(contract_id)
    milestone = milestone_of(contract, milestone_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        services.delete_milestone(milestone, current_user)
        flash(_("The milestone has been deleted."), "success")
    return redirect(_detail_url(contract, "milestones"))


# --- documents ----------------------------------------------------------------------------------


@admin_required
def upload_document(contract_id: int):
    """Attach a document (checked like proposal attachments)."""
    contract = _contract(contract_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        flash(" ".join(form.file.errors) or _("Please choose a file."), "danger")
        return redirect(_detail_url(contract, "documents"))
    upload = form.file.data
    with refusal_shown():
        document = services.add_document(contract, upload.filename or "", upload.stream, current_user)
        flash(_("The file \"%(name)s\" has been attached.", name=document.display_name), "success")
    return redirect(_detail_url(contract, "documents"))


@admin_required
def delete_document(contract_id: int, file_id: int):
    """Remove a document from an unsigned contract."""
    contract = _contract(contract_id)
    document = db.session.get(ContractFile, file_id)
    if document is None or document.contract_id != contract.id or document.kind != "document":
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        services.remove_document(contract, document, current_user)
        flash(_("The document has been removed."), "success")
    return redirect(_detail_url(contract, "documents"))


# --- verifying reports --------------------------------------------------------------------------


def _report_of(contract: Contract, report_id: int) -> ProgressReport:
    report = db.session.get(ProgressReport, report_id)
    if report is None or report.milestone.contract_id != contract.id:
        abort(404)
    return report


@admin_required
def review_report(contract_id: int, report_id: int):
    """A report with its evidence and what accepting it would mean for the payment."""
    contract = _contract(contract_id)
    report = _report_of(contract, report_id)
    return _review_page(contract, report, RejectForm())


def _review_page(contract: Contract, report: ProgressReport, reject_form: RejectForm, refusal: str | None = None):
    milestone = report.milestone
    calculation = release.calculate(milestone, report.achieved)
    return render_template("contracts/review_report.html", contract=contract, report=report, milestone=milestone,
                           calculation=calculation, reject_form=reject_form, accept_form=ConfirmForm(),
                           refusal=refusal)


@admin_required
def accept_report(contract_id: int, report_id: int):
    """Accept the reported value; it now drives the payment."""
    contract = _contract(contract_id)
    report = _report_of(contract, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with refusal_shown():
        reports.accept_report(report, current_user)
        flash(_("The report has been accepted. The payment can now be released."), "success")
        return redirect(_detail_url(contract, f"milestone-{report.milestone_id}"))
    return redirect(url_for("contracts.review_report", contract_id=contract.id, report_id=report.id))


@admin_required
def reject_report(contract_id: int, report_id: int):
    """Reject a report with a reason the operator reads and receives by mail."""
    contract = _contract(contract_id)
    report = _report_of(contract, report_id)
    form = RejectForm()
    if form.validate_on_submit():
        with refusal_shown(form, inline=True) as refusal:
            reports.reject_report(report, form.reason.data, current_user)
            flash(_("The report has been rejected; the operator has been informed."), "success")
            return redirect(_detail_url(contract, f"milestone-{report.milestone_id}"))
        return _review_page(contract, _report_of(contract, report_id), form, refusal.message)
    return _review_page(contract, report, form)


# --- releasing payments -------------------------------------------------------------------------


def _release_done(contract: Contract, payment, created: bool):
    if created:
        flash(_("The payment of %(amount)s has been released.", amount=_money(payment.amount_cents)), "success")
    else:
        flash(_("This payment had already been released; it was not paid again."), "info")
    return redirect(_detail_url(contract, "payments"))


def _money(cents: int) -> str:
    from app.core.formatting import format_money

    return format_money(cents)


def _release(contract: Contract, form: ReleaseForm, do_release, back_url: str):
    """Run a release and answer: released, already released (idempotent), or refused."""
    with refusal_shown(shown_by_view=(release.PaymentAlreadyReleased,)) as refusal:
        payment, created = do_release(form.expected())
        return _release_done(contract, payment, created)
    if isinstance(refusal.error, release.PaymentAlreadyReleased):  # a concurrent request paid: not an error
        flash(str(refusal.error.message), "info")
        return redirect(_detail_url(contract, "payments"))
    return redirect(back_url)


@admin_required
def release_milestone(contract_id: int, milestone_id: int):
    """Show the calculation and split of a milestone payment; POST releases it (once)."""
    contract = _contract(contract_id)
    milestone = milestone_of(contract, milestone_id)
    form = ReleaseForm()
    back = url_for("contracts.release_milestone", contract_id=contract.id, milestone_id=milestone.id)
    if form.validate_on_submit():
        return _release(contract, form, lambda expected: release.release_milestone_payment(
            contract.id, milestone.id, expected_cents=expected, actor=current_user), back)
    preview = release.milestone_preview(milestone)
    form.expected_cents.data = preview.amount_cents
    return render_template("contracts/release.html", contract=contract, milestone=milestone, preview=preview,
                           form=form, close_form=CloseMilestoneForm())


@admin_required
def close_milestone(contract_id: int, milestone_id: int):
    """Close a milestone with a reason; it then pays no more instalments."""
    contract = _contract(contract_id)
    milestone = milestone_of(contract, milestone_id)
    close_form = CloseMilestoneForm()
    if close_form.validate_on_submit():
        with refusal_shown(close_form):
            release.close_milestone(milestone, close_form.reason.data, current_user)
            flash(_("The milestone has been closed; it pays no more."), "success")
            return redirect(_detail_url(contract, f"milestone-{milestone.id}"))
    form = ReleaseForm()
    preview = release.milestone_preview(milestone)
    form.expected_cents.data = preview.amount_cents
    return render_template("contracts/release.html", contract=contract, milestone=milestone, preview=preview,
                           form=form, close_form=close_form)


@admin_required
def release_fixed(contract_id: int):
    """Show the fixed tranche and its split; POST releases it (once per contract)."""
    contract = _contract(contract_id)
    form = ReleaseForm()
    back = url_for("contracts.release_fixed", contract_id=contract.id)
    if form.validate_on_submit():
        return _release(contract, form, lambda expected: release.release_fixed_payment(
            contract.id, expected_cents=expected, actor=current_user), back)
    preview = release.fixed_preview(contract)
    form.expected_cents.data = preview.amount_cents
    return render_template("contracts/release.html", contract=contract, milestone=None, preview=preview, form=form)
