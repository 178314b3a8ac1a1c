"""Endpoints with a token: what the token's owner may see in the browser, and nothing more.

Every permission comes from the packages' own rules (`Contract.can_view`, `can_report`,
`ranking.service.can_view_ranking` and `filter_for_viewer` for conflicted jurors), so the API
cannot drift from the pages.
"""

from __future__ import annotations

from decimal import Decimal

from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.api import schemas
from app.api.auth import refuse, require_admin, require_user, require_write
from app.api.paging import page_of_rows
from app.api.records import (
    competition_record,
    contract_record,
    decision_record,
    proposal_record,
    report_record,
)
from app.competitions.models import Competition
from app.contracts import reports
from app.contracts.models import Contract, Milestone, Payment
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.decisions.models import Decision
from app.decisions.queries import submitted_reviews_with_scores
from app.extensions import db
from app.jury.pseudonyms import proposal_pseudonyms
from app.proposals.models import Proposal
from app.ranking import service as ranking

blp = Blueprint("api_private", __name__, url_prefix="/api/v1",
                description="Needs a token (Authorization: Bearer ...). A token sees what its owner sees.")
BEARER = [{"bearerAuth": []}]


@blp.before_request
def token_first() -> None:
    """Every endpoint here needs a token: ask for it before the input is even read (401 before 422)."""
    require_user()


def _competition(competition_id: int) -> Competition:
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        refuse(404, _l("There is no competition with this id."))
    return competition


@blp.route("/competitions")
@blp.etag
@blp.doc(security=BEARER)
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.CompetitionOut, "CompetitionPage"))
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Administrators only.")
def list_competitions(args):
    """Every competition with its settings, drafts included (administrators)."""
    require_admin()
    query = select(Competition).options(selectinload(Competition.criteria))
    rows, meta = page_of_rows(query, args, order_by=Competition.id, updated_column=Competition.updated_at)
    return {"items": [competition_record(c) for c in rows], "pagination": meta}


@blp.route("/competitions/<int:competition_id>/proposals")
@blp.etag
@blp.doc(security=BEARER)
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.ProposalOut, "ProposalPage"))
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Administrators only.")
@blp.alt_response(404, description="No such competition.")
def list_proposals(args, competition_id):
    """The submitted proposals of a competition with their formal pre-check result (administrators)."""
    require_admin()
    competition = _competition(competition_id)
    query = select(Proposal).where(Proposal.competition_id == competition.id, Proposal.status != "draft")
    rows, meta = page_of_rows(query, args, order_by=Proposal.id, updated_column=Proposal.updated_at)
    return {"items": [proposal_record(p) for p in rows], "pagination": meta}


@blp.route("/competitions/<int:competition_id>/proposals/<int:proposal_id>/reviews")
@blp.etag
@blp.doc(security=BEARER)
@blp.response(200, schemas.ReviewOut(many=True))
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Administrators only.")
@blp.alt_response(404, description="No such proposal in this competition.")
def list_reviews(competition_id, proposal_id):
    """A proposal's submitted reviews and scores; jurors appear under per-proposal pseudonyms (administrators)."""
    require_admin()
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.competition_id != competition_id:
        refuse(404, _l("There is no such proposal in this competition."))
    letters = proposal_pseudonyms(proposal)
    return [{"id": r.id, "proposal_id": r.proposal_id, "juror": letters.get(r.user_id, "?"),
             "submitted_at": r.submitted_at, "updated_at": r.updated_at,
             "scores": [{"criterion_id": s.criterion_id, "value": None if s.value is None else str(s.value),
                         "justification": s.justification} for s in r.scores]}
            for r in submitted_reviews_with_scores(proposal.id)]


@blp.route("/competitions/<int:competition_id>/ranking")
@blp.etag
@blp.doc(security=BEARER)
@blp.arguments(schemas.RankingArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.RankingOut)
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Administrators, and signed jurors from the decision phase on.")
@blp.alt_response(404, description="No such competition.")
def get_ranking(args, competition_id):
    """The ranking under one method, with rank intervals; a conflicted juror sees it as on the ranking page."""
    user = require_user()
    competition = _competition(competition_id)
    if not ranking.can_view_ranking(user, competition):
        refuse(403, _l("This token may not see this ranking."))
    view = ranking.filter_for_viewer(ranking.compute_ranking(competition, args["method"]), user)
    return {
        "competition_id": competition.id, "method": view.method.value, "filtered": view.filtered,
        "methods": [m.value for m in ranking.methods_for_viewer(view)],
        "rows": [{"rank": r.rank, "rank_label": r.rank_label, "proposal_id": r.proposal_id, "title": r.title,
                  "total": r.total, "passed": r.passed, "scores": {str(k): v for k, v in r.scores.items()},
                  "reviews": r.reviews, "rank_low": r.rank_low, "rank_high": r.rank_high, "p_top_k": r.p_top_k,
                  "above_funding_line": r.above_funding_line, "requested_cents": r.requested_cents}
                 for r in view.rows],
    }


@blp.route("/competitions/<int:competition_id>/decisions")
@blp.etag
@blp.doc(security=BEARER)
@blp.response(200, schemas.DecisionOut(many=True))
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Administrators only.")
@blp.alt_response(404, description="No such competition.")
def list_decisions(competition_id):
    """The decisions of a competition (administrators)."""
    require_admin()
    competition = _competition(competition_id)
    decisions = db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .where(Proposal.competition_id == competition.id).order_by(Decision.id))
    return [decision_record(d) for d in decisions]


def _contracts_statement():
    return select(Contract).options(
        joinedload(Contract.proposal), selectinload(Contract.funding_shares),
        selectinload(Contract.milestones).selectinload(Milestone.reports),
        selectinload(Contract.payments).selectinload(Payment.parts))


@blp.route("/contracts")
@blp.etag
@blp.doc(security=BEARER)
@blp.arguments(schemas.PageArgs, location="query", as_kwargs=False)
@blp.response(200, schemas.page_of(schemas.ContractOut, "ContractPage"))
@blp.alt_response(401, description="No valid token.")
def list_contracts(args):
    """Contracts with milestones, reports and payments split by source: all for administrators, own for operators."""
    user = require_user()
    query = _contracts_statement()
    if not user.is_admin:
        query = query.join(Proposal, Proposal.id == Contract.proposal_id).where(Proposal.applicant_id == user.id)
    rows, meta = page_of_rows(query, args, order_by=Contract.id, updated_column=Contract.updated_at)
    return {"items": [contract_record(c) for c in rows], "pagination": meta}


def _visible_contract(user, contract_id: int) -> Contract:
    contract = db.session.scalar(_contracts_statement().where(Contract.id == contract_id))
    if contract is None or not contract.can_view(user):
        refuse(404, _l("There is no such contract for this token."))
    return contract


@blp.route("/contracts/<int:contract_id>")
@blp.etag
@blp.doc(security=BEARER)
@blp.response(200, schemas.ContractOut)
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(404, description="No such contract for this token.")
def get_contract(contract_id):
    """One contract (administrators: any; operators: their own)."""
    return contract_record(_visible_contract(require_user(), contract_id))


@blp.route("/contracts/<int:contract_id>/milestones/<int:milestone_id>/reports", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(schemas.ReportIn)
@blp.response(201, schemas.ReportOut)
@blp.alt_response(401, description="No valid token.")
@blp.alt_response(403, description="Read-only token, or not the contract's operator.")
@blp.alt_response(404, description="No such contract or milestone for this token.")
@blp.alt_response(409, description="The milestone takes no report now (e.g. one awaits verification).")
def submit_report(data, contract_id, milestone_id):
    """An operator's KPI report with its evidence, as on the operator's report page (read-write operator tokens)."""
    user = require_write()
    contract = _visible_contract(user, contract_id)
    milestone = next((m for m in contract.milestones if m.id == milestone_id), None)
    if milestone is None:
        refuse(404, _l("There is no such milestone in this contract."))
    if not contract.is_operated_by(user):
        refuse(403, _l("Only the network operator reports on this contract."))
    try:
        report = reports.submit_report(milestone, achieved=Decimal(data["achieved"]),
                                       evidence_text=data["evidence_text"], files=[], actor=user)
    except DomainError as exc:
        refuse(409 if exc.field is None else 422, exc.message)
    return report_record(report)


