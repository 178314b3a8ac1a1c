"""Network operator pages: their contracts, milestones with due dates, progress reports with evidence."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.contracts import reports
from app.contracts.forms import ReportForm
from app.contracts.models import Contract
from app.contracts.queries import load_contract
from app.contracts.queries import operator_contracts as load_operator_contracts
from app.contracts.views import contract_body, milestone_of
from app.core.i18n import gettext as _
from app.core.refusals import refusal_shown


def _own_contract(contract_id: int) -> Contract:
    """The current user's contract; another operator's (or a missing) contract is not found."""
    contract = load_contract(contract_id)
    if contract is None or not contract.is_operated_by(current_user):
        abort(404)
    return contract


@login_required
def operator_contracts():
    """The contracts of the networks the current user operates."""
    return render_template("contracts/operator_list.html", contracts=load_operator_contracts(current_user))


@login_required
def operator_detail(contract_id: int):
    """The operator's contract page: milestones, due dates, reports, payments and charts."""
    contract = _own_contract(contract_id)
    return render_template("contracts/operator_detail.html", contract=contract,
                           body=contract_body(contract, admin_view=False))


@login_required
def submit_report(contract_id: int, milestone_id: int):
    """Report the achieved KPI value of a milestone with evidence (text and files)."""
    contract = _own_contract(contract_id)
    milestone = milestone_of(contract, milestone_id)
    form = ReportForm()
    refusal = refusal_shown(form, inline=True)
    if form.validate_on_submit():
        files = [(f.filename or "", f.stream) for f in (form.files.data or []) if f and f.filename]
        with refusal:
            reports.submit_report(milestone, achieved=form.achieved.data, evidence_text=form.evidence_text.data,
                                  files=files, actor=current_user)
            flash(_("Thank you. Your report has been submitted and will be verified by the funding office."),
                  "success")
            return redirect(url_for("contracts.operator_detail", contract_id=contract.id,
                                    _anchor=f"milestone-{milestone.id}"))
    return render_template("contracts/report_form.html", form=form, contract=contract, milestone=milestone,
                           refusal=refusal.message, may_report=contract.can_report(current_user))
