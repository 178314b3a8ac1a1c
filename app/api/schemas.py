"""The API's marshmallow schemas: they validate the input and describe every answer in the OpenAPI document.

Money is integer cents (and euro strings in the list of operations), exact numbers (weights,
scores, shares, KPI values) are decimal strings, times ISO 8601 in UTC.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.core.bounds import INTEGER_MAX

Exact = fields.String  # a decimal written as a string, never a binary float


class PageArgs(Schema):
    """Page-wise reading in a stable order (by id), optionally only what changed since a time."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=INTEGER_MAX),
                          metadata={"description": "Page number, from 1."})
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100),
                              metadata={"description": "Items per page (at most 100)."})
    updated_since = fields.AwareDateTime(
        load_default=None, metadata={"description": "Only items changed at or after this time (ISO 8601 with zone)."})


class PageMeta(Schema):
    """Where this page stands."""

    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    next_page = fields.Integer(required=True, allow_none=True)


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A page envelope schema: {"items": [...], "pagination": {...}}."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item_schema), required=True),
                             "pagination": fields.Nested(PageMeta, required=True)}, name=name)


# --- public -------------------------------------------------------------------------------------


class CriterionOut(Schema):
    """A weighted evaluation criterion with its rubric."""

    id = fields.Integer(required=True)
    name_de = fields.String(required=True)
    name_en = fields.String(required=True)
    rubric_de = fields.String(required=True)
    rubric_en = fields.String(required=True)
    weight = Exact(required=True)
    threshold = Exact(required=True)
    priority = fields.Integer(required=True)


class FundingSourceOut(Schema):
    """A funding source and its share in percent."""

    name = fields.String(required=True)
    share = Exact(required=True)


class CallOut(Schema):
    """A published call with its criteria and deadlines."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    programme = fields.String(required=True)
    measure = fields.String(required=True)
    phase = fields.String(required=True)
    call_text = fields.String(required=True)
    sectors = fields.List(fields.String(), required=True)
    timezone = fields.String(required=True)
    submission_opens_at = fields.AwareDateTime(required=True, allow_none=True)
    submission_deadline = fields.AwareDateTime(required=True, allow_none=True)
    review_deadline = fields.AwareDateTime(required=True, allow_none=True)
    accepting_submissions = fields.Boolean(required=True)
    budget_cents = fields.Integer(required=True)
    funding_sources = fields.List(fields.Nested(FundingSourceOut), required=True)
    contract_months = fields.Integer(required=True)
    criteria = fields.List(fields.Nested(CriterionOut), required=True)
    updated_at = fields.AwareDateTime(required=True)
    url = fields.String(required=True)


class CallArgs(PageArgs):
    """Calls: only open ones, or every published one."""

    open_only = fields.Boolean(load_default=True, metadata={"description": "Only calls in the open phase."})


class MemberOut(Schema):
    """A member company that consented to being listed."""

    company_name = fields.String(required=True)
    town = fields.String(required=True)
    sector = fields.String(required=True)
    website = fields.String(required=True)
    joined_on = fields.String(required=True, allow_none=True)


class ResultOut(Schema):
    """An approved results post."""

    title = fields.String(required=True)
    event_date = fields.String(required=True, allow_none=True)
    text = fields.String(required=True)
    published_at = fields.String(required=True, allow_none=True)


class NetworkOut(Schema):
    """A published network of the directory with its listed members and results."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["funded", "external"]})
    status = fields.String(required=True)
    sector = fields.String(required=True)
    technology_fields = fields.List(fields.String(), required=True)
    region = fields.String(required=True)
    operator = fields.String(required=True, allow_none=True)
    summary = fields.String(required=True)
    description = fields.String(required=True)
    website = fields.String(required=True, allow_none=True)
    open_for_members = fields.Boolean(required=True)
    published_at = fields.String(required=True, allow_none=True)
    url = fields.String(required=True)
    funded_amount_eur = fields.String(required=True, allow_none=True)
    eu_share_eur = fields.String(required=True, allow_none=True)
    updated_at = fields.AwareDateTime(required=True)
    members = fields.List(fields.Nested(MemberOut), required=True)
    results = fields.List(fields.Nested(ResultOut), required=True)


class NetworkArgs(PageArgs):
    """The directory's filters."""

    q = fields.String(load_default="", validate=validate.Length(max=100))
    sector = fields.String(load_default="", validate=validate.Length(max=100))
    technology = fields.String(load_default="", validate=validate.Length(max=100))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    status = fields.String(load_default="", validate=validate.Length(max=100))
    kind = fields.String(load_default="", validate=validate.OneOf(["", "funded", "external"]),
                         metadata={"description": "funded or external; empty for both."})


class ResultPostOut(ResultOut):
    """An approved results post with its network."""

    id = fields.Integer(required=True)
    network_slug = fields.String(required=True)
    network_name = fields.String(required=True)


class OperationOut(Schema):
    """One operation of the EU list of operations (Reg. (EU) 2021/1060, Art. 49(3))."""

    operation_id = fields.String(required=True)
    beneficiary = fields.String(required=True)
    operation_name = fields.String(required=True)
    purpose = fields.String(required=True)
    achievements = fields.String(required=True)
    start_date = fields.String(required=True)
    end_date = fields.String(required=True)
    total_cost_eur = fields.String(required=True)
    union_amount_eur = fields.String(required=True)
    fund = fields.String(required=True)
    specific_objective = fields.String(required=True)
    union_cofinancing_rate_percent = fields.String(required=True)
    location_postcode = fields.String(required=True)
    country = fields.String(required=True)
    intervention_type = fields.String(required=True)
    status = fields.String(required=True)
    updated_at = fields.String(required=True)


class LicenceOut(Schema):
    """The open data licence."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    url = fields.String(required=True)
    attribution = fields.String(required=True)


class OperationsOut(Schema):
    """The list of operations with its licence and the time of its last change."""

    licence = fields.Nested(LicenceOut, required=True)
    last_changed = fields.String(required=True, allow_none=True)
    items = fields.List(fields.Nested(OperationOut), required=True)
    pagination = fields.Nested(PageMeta, required=True)


# --- with a token -------------------------------------------------------------------------------


class CompetitionOut(CallOut):
    """A competition with the settings administrators see."""

    winners_min = fields.Integer(required=True)
    winners_max = fields.Integer(required=True)
    reviews_per_proposal = fields.Integer(required=True)
    blind_review = fields.Boolean(required=True)
    scale_min = Exact(required=True)
    scale_max = Exact(required=True)
    scale_step = Exact(required=True)
    eu_fund = fields.String(required=True)
    eu_funding_source = fields.String(required=True)
    specific_objective = fields.String(required=True)
    intervention_type = fields.String(required=True)


class PrecheckOut(Schema):
    """The formal pre-check: eligible or not, with the reason and the checklist."""

    result = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True)
    checked_at = fields.AwareDateTime(required=True, allow_none=True)


class ProposalOut(Schema):
    """A submitted proposal as administrators see it in the list."""

    id = fields.Integer(required=True)
    competition_id = fields.Integer(required=True)
    receipt_number = fields.String(required=True, allow_none=True)
    title = fields.String(required=True)
    sector = fields.String(required=True)
    lead_organisation = fields.String(required=True)
    status = fields.String(required=True)
    requested_funding_cents = fields.Integer(required=True, allow_none=True)
    own_contribution_cents = fields.Integer(required=True, allow_none=True)
    submitted_at = fields.AwareDateTime(required=True, allow_none=True)
    updated_at = fields.AwareDateTime(required=True)
    precheck = fields.Nested(PrecheckOut, required=True)


class ScoreOut(Schema):
    """One criterion's score with its justification."""

    criterion_id = fields.Integer(required=True)
    value = Exact(required=True, allow_none=True)
    justification = fields.String(required=True)


class ReviewOut(Schema):
    """A submitted review; the juror appears only under a per-proposal pseudonym."""

    id = fields.Integer(required=True)
    proposal_id = fields.Integer(required=True)
    juror = fields.String(required=True, metadata={"description": "Pseudonym, numbered per proposal."})
    submitted_at = fields.AwareDateTime(required=True, allow_none=True)
    updated_at = fields.AwareDateTime(required=True)
    scores = fields.List(fields.Nested(ScoreOut), required=True)


class RankingRowOut(Schema):
    """One proposal's line of the ranking."""

    rank = fields.Integer(required=True)
    rank_label = fields.String(required=True)
    proposal_id = fields.Integer(required=True)
    title = fields.String(required=True)
    total = fields.Float(required=True)
    passed = fields.Boolean(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    reviews = fields.Integer(required=True)
    rank_low = fields.Integer(required=True, allow_none=True)
    rank_high = fields.Integer(required=True, allow_none=True)
    p_top_k = fields.Float(required=True, allow_none=True)
    above_funding_line = fields.Boolean(required=True)
    requested_cents = fields.Integer(required=True)


class RankingOut(Schema):
    """A ranking under one aggregation method, with rank intervals where the viewer may see them."""

    competition_id = fields.Integer(required=True)
    method = fields.String(required=True)
    filtered = fields.Boolean(required=True, metadata={"description": "True when proposals are hidden from "
                                                                     "this viewer (conflicts of interest)."})
    methods = fields.List(fields.String(), required=True)
    rows = fields.List(fields.Nested(RankingRowOut), required=True)


class RankingArgs(Schema):
    """The aggregation method."""

    method = fields.String(load_default="mean", validate=validate.OneOf(
        ["mean", "median", "trimmed", "normalised", "calibrated", "consensus"]))


class DecisionOut(Schema):
    """A decision on a proposal."""

    id = fields.Integer(required=True)
    proposal_id = fields.Integer(required=True)
    outcome = fields.String(required=True)
    rationale = fields.String(required=True)
    award_date = fields.String(required=True, allow_none=True)
    rank_at_decision = fields.Integer(required=True, allow_none=True)
    decided_at = fields.AwareDateTime(required=True)


class ShareOut(Schema):
    """A funding source's share of a contract, in percent."""

    source = fields.String(required=True)
    share = Exact(required=True)


class PartOut(Schema):
    """A funding source's part of a payment, in cents."""

    source = fields.String(required=True)
    share = Exact(required=True)
    amount_cents = fields.Integer(required=True)


class PaymentOut(Schema):
    """A released payment and its split by funding source."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    milestone_id = fields.Integer(required=True, allow_none=True)
    amount_cents = fields.Integer(required=True)
    released_at = fields.AwareDateTime(required=True)
    parts = fields.List(fields.Nested(PartOut), required=True)


class ReportOut(Schema):
    """An operator's reported KPI value with its evidence and verification."""

    id = fields.Integer(required=True)
    milestone_id = fields.Integer(required=True)
    achieved = Exact(required=True)
    evidence_text = fields.String(required=True)
    status = fields.String(required=True)
    submitted_at = fields.AwareDateTime(required=True)
    verified_at = fields.AwareDateTime(required=True, allow_none=True)
    rejection_reason = fields.String(required=True)


class MilestoneOut(Schema):
    """A KPI milestone with its tranche and its reports."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    unit = fields.String(required=True)
    baseline = Exact(required=True)
    target = Exact(required=True)
    due_date = fields.String(required=True)
    weight = Exact(required=True)
    tranche_cents = fields.Integer(required=True)
    rule = fields.String(required=True)
    reports = fields.List(fields.Nested(ReportOut), required=True)


class ContractOut(Schema):
    """A contract with its funding shares, milestones, reports and payments."""

    id = fields.Integer(required=True)
    number = fields.String(required=True)
    competition_id = fields.Integer(required=True)
    proposal_id = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True)
    award_date = fields.String(required=True)
    start_date = fields.String(required=True)
    end_date = fields.String(required=True)
    signed_on = fields.String(required=True, allow_none=True)
    amount_cents = fields.Integer(required=True)
    fixed_cents = fields.Integer(required=True)
    paid_cents = fields.Integer(required=True)
    funding_shares = fields.List(fields.Nested(ShareOut), required=True)
    milestones = fields.List(fields.Nested(MilestoneOut), required=True)
    payments = fields.List(fields.Nested(PaymentOut), required=True)
    updated_at = fields.AwareDateTime(required=True)


class ReportIn(Schema):
    """An operator's KPI report: the achieved value and the evidence for it."""

    # A string, so no value passes through a binary float; at most 11 digits and 3 decimals (Numeric(14, 3)).
    achieved = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{1,11}(\.[0-9]{1,3})?$"),
                             metadata={"description": "The achieved value, point as decimal mark, e.g. 12.5."})
    evidence_text = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
