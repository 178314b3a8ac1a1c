"""Turn model objects into the plain records the API's schemas describe."""

from __future__ import annotations

from typing import Any

from flask import url_for

from app.competitions.models import Competition
from app.contracts.models import Contract, Milestone, Payment, ProgressReport
from app.contracts.operations import Operation
from app.decisions.models import Decision
from app.directory.models import Network, ResultsPost
from app.directory.open_data import member_record, network_record, result_record
from app.proposals.models import Proposal


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def call_record(competition: Competition) -> dict[str, Any]:
    """A published call with criteria and deadlines."""
    return {
        "id": competition.id, "title": competition.title, "programme": competition.programme,
        "measure": competition.measure, "phase": competition.phase, "call_text": competition.call_text,
        "sectors": list(competition.sectors or []), "timezone": competition.timezone,
        "submission_opens_at": competition.submission_opens_at,
        "submission_deadline": competition.submission_deadline, "review_deadline": competition.review_deadline,
        "accepting_submissions": competition.is_open_for_submissions(), "budget_cents": competition.budget_cents,
        "funding_sources": [{"name": str(s.get("name", "")), "share": str(s.get("share", ""))}
                            for s in competition.funding_sources or []],
        "contract_months": competition.contract_months,
        "criteria": [{"id": c.id, "name_de": c.name_de, "name_en": c.name_en, "rubric_de": c.rubric_de,
                      "rubric_en": c.rubric_en, "weight": str(c.weight), "threshold": str(c.threshold),
                      "priority": c.priority} for c in competition.criteria],
        "updated_at": competition.updated_at,
        "url": url_for("competitions.public_call", competition_id=competition.id, _external=True),
    }


def competition_record(competition: Competition) -> dict[str, Any]:
    """A competition with the settings administrators see."""
    return {
        **call_record(competition), "winners_min": competition.winners_min, "winners_max": competition.winners_max,
        "reviews_per_proposal": competition.reviews_per_proposal, "blind_review": competition.blind_review,
        "scale_min": str(competition.scale_min), "scale_max": str(competition.scale_max),
        "scale_step": str(competition.scale_step), "eu_fund": competition.eu_fund,
        "eu_funding_source": competition.eu_funding_source, "specific_objective": competition.specific_objective,
        "intervention_type": competition.intervention_type,
    }


def directory_network_record(network: Network, operation: Operation | None) -> dict[str, Any]:
    """A published network with its listed members and approved results (the open data's fields)."""
    url = url_for("directory.network", slug=network.slug, _external=True)
    return {
        **network_record(network, url, operation), "updated_at": network.updated_at,
        "members": [member_record(m) for m in network.members if m.listed_consent],
        "results": [result_record(p) for p in sorted((p for p in network.posts if p.status == "approved"),
                                                     key=lambda p: (p.approved_at, p.id))],
    }


def results_post_record(post: ResultsPost) -> dict[str, Any]:
    """An approved results post with its network."""
    return {**result_record(post), "id": post.id, "network_slug": post.network.slug,
            "network_name": post.network.name}


def proposal_record(proposal: Proposal) -> dict[str, Any]:
    """A proposal with its formal pre-check result."""
    return {
        "id": proposal.id, "competition_id": proposal.competition_id, "receipt_number": proposal.receipt_number,
        "title": proposal.title, "sector": proposal.sector, "lead_organisation": proposal.lead_name,
        "status": proposal.status, "requested_funding_cents": proposal.requested_funding_cents,
        "own_contribution_cents": proposal.own_contribution_cents, "submitted_at": proposal.submitted_at,
        "updated_at": proposal.updated_at,
        "precheck": {"result": proposal.eligibility, "reason": proposal.eligibility_reason,
                     "checked_at": proposal.prechecked_at},
    }


def decision_record(decision: Decision) -> dict[str, Any]:
    """A decision on a proposal."""
    return {"id": decision.id, "proposal_id": decision.proposal_id, "outcome": decision.outcome,
            "rationale": decision.rationale, "award_date": _iso(decision.award_date),
            "rank_at_decision": decision.rank_at_decision, "decided_at": decision.decided_at}


def report_record(report: ProgressReport) -> dict[str, Any]:
    """A KPI report with its verification."""
    return {"id": report.id, "milestone_id": report.milestone_id, "achieved": str(report.achieved),
            "evidence_text": report.evidence_text, "status": report.status, "submitted_at": report.submitted_at,
            "verified_at": report.verified_at, "rejection_reason": report.rejection_reason}


def milestone_record(milestone: Milestone) -> dict[str, Any]:
    """A milestone with its reports."""
    return {"id": milestone.id, "title": milestone.title, "unit": milestone.unit,
            "baseline": str(milestone.baseline), "target": str(milestone.target),
            "due_date": milestone.due_date.isoformat(), "weight": str(milestone.weight),
            "tranche_cents": milestone.tranche_cents, "rule": milestone.rule,
            "reports": [report_record(r) for r in milestone.reports]}


def payment_record(payment: Payment) -> dict[str, Any]:
    """A payment with its split by funding source."""
    return {"id": payment.id, "kind": payment.kind, "milestone_id": payment.milestone_id,
            "amount_cents": payment.amount_cents, "released_at": payment.released_at,
            "parts": [{"source": p.source, "share": str(p.share), "amount_cents": p.amount_cents}
                      for p in payment.parts]}


def contract_record(contract: Contract) -> dict[str, Any]:
    """A contract with shares, milestones, reports and payments."""
    return {
        "id": contract.id, "number": contract.number, "competition_id": contract.competition_id,
        "proposal_id": contract.proposal_id, "title": contract.title, "status": contract.status,
        "award_date": contract.award_date.isoformat(), "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(), "signed_on": _iso(contract.signed_on),
        "amount_cents": contract.amount_cents, "fixed_cents": contract.fixed_cents,
        "paid_cents": contract.paid_cents,
        "funding_shares": [{"source": s.source, "share": str(s.share)} for s in contract.funding_shares],
        "milestones": [milestone_record(m) for m in contract.milestones],
        "payments": [payment_record(p) for p in contract.payments],
        "updated_at": contract.updated_at,
    }
