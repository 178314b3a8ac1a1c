"""Helpers shared by the contract pages of administrators and operators, and the contract file download."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from app.contracts.models import Contract, ContractFile, Milestone
from app.contracts.queries import load_contract
from app.core import uploads
from app.core.cache import CONTRACTS_INPUTS, cached
from app.core.formatting import current_locale
from app.extensions import db


def contract_template_helpers() -> dict:
    """Labels and value formatters for the contract templates."""
    from app.contracts import display
    from app.core.formatting import Percent, format_kpi, format_ratio

    return {"labels": display, "step_value": display.step_value, "kpi": format_kpi,
            "ratio": format_ratio, "share_percent": lambda value: str(Percent(value))}


def viewable_contract(contract_id: int) -> Contract:
    """The contract if the current user may see it (admin or its operator), else 404."""
    contract = load_contract(contract_id)
    if contract is None or not contract.can_view(current_user):
        abort(404)
    return contract


def milestone_of(contract: Contract, milestone_id: int) -> Milestone:
    """A milestone of this contract, else 404 (ids of other contracts are not found here)."""
    milestone = next((m for m in contract.milestones if m.id == milestone_id), None)
    if milestone is None:
        abort(404)
    return milestone


def computed_payments(contract: Contract) -> dict[int, object]:
    """Milestone id -> what its latest accepted value earns in all, P(x_latest) (from loaded data, no queries)."""
    from app.contracts.release import calculate

    result = {}
    for milestone in contract.milestones:
        report = milestone.accepted_report
        if report is not None:
            result[milestone.id] = calculate(milestone, report.achieved)
    return result


def _body_context(contract: Contract, today) -> dict:
    """What the contract page's body shows besides the contract: charts, computed payments, sums by source."""
    from app.contracts.queries import contract_charts

    paid_by_source: dict[str, int] = {}
    for payment in contract.payments:
        for part in payment.parts:
            paid_by_source[part.source] = paid_by_source.get(part.source, 0) + part.amount_cents
    return {"contract": contract, "charts": contract_charts(contract, today), "today": today,
            "computed": computed_payments(contract), "paid_by_source": paid_by_source}


def contract_body(contract: Contract, *, admin_view: bool) -> Markup:
    """The body both the admin's and the operator's contract page show, rendered once per version of the contracts.

    Rendering the milestones, reports, payments and charts was most of the page's time (make bench:
    the contract page missed its target without this), so the body is kept by the one cache under
    the competition's contracts stamp, the viewer's kind, the language and the day (overdue marks).
    """
    from app.contracts.services import local_today

    today = local_today(contract)
    can_report = not admin_view and contract.can_report(current_user)

    def render() -> Markup:
        html = render_template("contracts/_contract_body.html", admin_view=admin_view, can_report=can_report,
                               **_body_context(contract, today))
        return Markup(html)  # noqa: S704  # nosec B704

    return cached("contract-body", contract.competition,
                  (contract.id, admin_view, can_report, current_locale(), today.isoformat()), render,
                  inputs=(CONTRACTS_INPUTS,))


@login_required
def download_file(contract_id: int, file_id: int):
    """Download a contract document or evidence file (admin or the contract's operator)."""
    contract = viewable_contract(contract_id)
    stored = db.session.get(ContractFile, file_id)
    if stored is None or stored.contract_id != contract.id:
        abort(404)
    return uploads.send_stored(stored.storage_key, stored.display_name, stored.mime_type)


