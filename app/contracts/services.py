"""Contract state changes for administrators: create from an award, terms, operators, funding
shares, approval steps, team, milestones, amounts, signing, status and documents.

Before signing, everything may be edited freely (every change audited). From signing on, a
change to the terms (number, dates, amounts, operators, funding shares, milestones) is an
amendment: it needs a reason, is kept as an Amendment row with the terms before and after,
and must leave the contract consistent (A = A_fixed + Σ a_i, shares summing to 100 %).
Status, approval steps, project team and documents record the project's progress; they
are audited but are not amendments.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.contracts import payments
from app.contracts.models import (
    CONTRACT_STATUSES,
    MILESTONE_RULES,
    Amendment,
    ApprovalStep,
    Contract,
    ContractFile,
    ContractFundingShare,
    ContractOperator,
    Milestone,
    TeamMember,
)
from app.core import uploads
from app.core.audit import record_event
from app.core.bounds import numeric_maximum
from app.core.errors import DomainError
from app.core.formatting import Money, Percent, Quantity
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.core.time import utcnow
from app.decisions.models import Decision
from app.extensions import db

HUNDRED = Decimal(100)
# A milestone's weight is a Numeric(6, 3) column.
MILESTONE_WEIGHT_MAX = numeric_maximum(6, 3)
# The Leipzig project sheets list these approval steps; new contracts start with them.
DEFAULT_APPROVAL_STEPS = (
    _l("Approved early start"),
    _l("Application submitted"),
    _l("Committee resolution"),
    _l("Project decision"),
)


@dataclass(frozen=True)
class Terms:
    """The dated terms of a contract (the amounts have their own form and service)."""

    number: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class Publication:
    """What the EU list of operations publishes about a contract beyond its terms."""

    purpose: str
    achievements: str
    postcode: str
    country: str


def update_publication(contract: Contract, publication: Publication, actor) -> None:
    """Change the contract's entry in the list of operations (publication data, not terms: no amendment)."""
    country = publication.country.strip().upper()
    if len(country) != 2 or not country.isalpha() or not country.isascii():
        raise DomainError(_l("Please enter the country as a two-letter code, e.g. DE."), "country")
    postcode = publication.postcode.strip()
    if len(postcode) > 10:
        raise DomainError(_l("The postcode is too long."), "location_postcode")
    before = contract.audit_view()
    contract.operation_purpose = publication.purpose.strip()
    contract.operation_achievements = publication.achievements.strip()
    contract.location_postcode, contract.country = postcode, country
    contract.updated_at = utcnow()
    after = contract.audit_view()
    if after != before:
        record_event("contract.publication_updated", contract, before=before, after=after, actor=actor)


@dataclass(frozen=True)
class MilestoneTerms:
    """What an administrator sets for a milestone."""

    title: str
    unit: str
    baseline: Decimal
    target: Decimal
    due_date: date
    weight: Decimal
    tranche_cents: int
    rule: str = "pro_rata"
    minimum_level: Decimal = payments.DEFAULT_MINIMUM_LEVEL
    cap: Decimal = payments.DEFAULT_CAP


def local_today(contract: Contract | None = None) -> date:
    """Today's date in the competition's time zone (Europe/Berlin by default)."""
    from zoneinfo import ZoneInfo

    zone = contract.competition.zone if contract is not None else ZoneInfo("Europe/Berlin")
    return utcnow().astimezone(zone).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- checks -------------------------------------------------------------------------------------


def amount_problems(contract: Contract) -> list:
    """Why the contract's amounts do not add up (A = A_fixed + Σ a_i); empty when they do."""
    tranches = [m.tranche_cents for m in contract.milestones]
    codes = payments.validate_contract_amount(contract.fixed_cents, tranches, contract.amount_cents)
    problems: list = []
    if "amount_not_positive" in codes:
        problems.append(_l("The contract amount must be greater than zero."))
    if "fixed_negative" in codes or "tranche_negative" in codes:
        problems.append(_l("Amounts must not be negative."))
    if "sum_mismatch" in codes:
        total = contract.fixed_cents + sum(tranches)
        values = dict(fixed=Money(contract.fixed_cents), tranches=Money(sum(tranches)), total=Money(total),
                      amount=Money(contract.amount_cents), difference=Money(abs(contract.amount_cents - total)))
        if total < contract.amount_cents:
            problems.append(_l("The fixed part (%(fixed)s) and the milestone tranches (%(tranches)s) add up to "
                               "%(total)s, but the contract amount is %(amount)s: %(difference)s are not assigned "
                               "yet.", **values))
        else:
            problems.append(_l("The fixed part (%(fixed)s) and the milestone tranches (%(tranches)s) add up to "
                               "%(total)s, which exceeds the contract amount of %(amount)s by %(difference)s.",
                               **values))
    return problems


def share_problems(contract: Contract) -> list:
    """Why the contract's funding shares cannot split a payment; empty when they sum to 100 %."""
    if not contract.funding_shares:
        return [_l("No funding sources are recorded.")]
    total = sum((s.share for s in contract.funding_shares), Decimal(0))
    if total != HUNDRED:
        return [_l("The funding shares add up to %(total)s instead of 100 %%.", total=Percent(total))]
    return []


def contract_problems(contract: Contract) -> list:
    """Everything that keeps a contract from being signed or paid out."""
    problems: list = []
    if not contract.operators:
        problems.append(_l("At least one operator is required."))
    if not contract.milestones:
        problems.append(_l("A performance-based contract needs at least one milestone."))
    return problems + share_problems(contract) + amount_problems(contract)


def _raise_first(problems: list, field: str | None = None) -> None:
    if problems:
        raise DomainError(problems[0] if len(problems) == 1 else "; ".join(str(p) for p in problems), field)


def _require_reason(contract: Contract, reason: str | None) -> str:
    """A signed contract only changes by amendment, and an amendment needs its reason."""
    reason = (reason or "").strip()
    if contract.is_signed and not reason:
        raise DomainError(_l("The contract is signed, so this change is an amendment: please give its reason."),
                          "reason")
    return reason


def _record_change(contract: Contract, subject: str, *, before: Any, after: Any, reason: str, actor) -> None:
    """Audit a change; on a signed contract also keep it as an amendment."""
    if contract.is_signed:
        db.session.add(Amendment(contract=contract, subject=subject, reason=reason, before=_wrap(before),
                                 after=_wrap(after), created_by_id=actor.id))
        record_event("contract.amended", contract, before=_wrap(before),
                     after={**_wrap(after), "subject": subject, "reason": reason}, actor=actor)
    else:
        record_event(f"contract.{subject}_changed", contract, before=_wrap(before), after=_wrap(after), actor=actor)


def _wrap(value: Any) -> dict:
    """Audit columns hold JSON objects; lists are wrapped."""
    if value is None:
        return {}
    return value if isinstance(value, dict) else {"rows": value}


def _check_dates(start: date | None, end: date | None) -> None:
    if start is None:
        raise DomainError(_l("Please enter the start date."), "start_date")
    if end is None:
        raise DomainError(_l("Please enter the end date."), "end_date")
    if end <= start:
        raise DomainError(_l("The end date must lie after the start date."), "end_date")


def _check_number(number: str, contract: Contract | None = None) -> str:
    number = (number or "").strip()
    if not number:
        raise DomainError(_l("Please enter the contract number."), "number")
    query = select(Contract.id).where(func.lower(Contract.number) == number.lower())
    if contract is not None and contract.id is not None:
        query = query.where(Contract.id != contract.id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("The contract number %(number)s is already in use.", number=number), "number")
    return number


def _check_amounts(amount_cents: int | None, fixed_cents: int | None) -> None:
    if amount_cents is None or amount_cents <= 0:
        raise DomainError(_l("The contract amount must be greater than zero."), "amount")
    if fixed_cents is None or fixed_cents < 0:
        raise DomainError(_l("Please enter the fixed part (0 when there is none)."), "fixed")
    if fixed_cents > amount_cents:
        raise DomainError(_l("The fixed part cannot be larger than the contract amount."), "fixed")


# --- creation -----------------------------------------------------------------------------------


def suggested_number(decision: Decision) -> str:
    """A free contract number such as NW-2002-3-01 (year of the award, competition, sequence)."""
    competition_id = decision.proposal.competition_id
    count = db.session.scalar(select(func.count(Contract.id)).where(Contract.competition_id == competition_id)) or 0
    for sequence in range(count + 1, count + 1000):
        number = f"NW-{decision.award_date:%Y}-{competition_id}-{sequence:02d}"
        if db.session.scalar(select(Contract.id).where(Contract.number == number)) is None:
            return number
    raise RuntimeError("no free contract number")  # pragma: no cover - a thousand contracts a year


def suggested_terms(decision: Decision) -> Terms:
    """Defaults for a new contract: it runs from the award for the competition's duration."""
    months = decision.proposal.competition.contract_months
    return Terms(number=suggested_number(decision), start_date=decision.award_date,
                 end_date=add_months(decision.award_date, months))


def contract_for_proposal(proposal_id: int) -> Contract | None:
    """The contract of a proposal, if one was recorded."""
    return db.session.scalar(select(Contract).where(Contract.proposal_id == proposal_id))


def create_contract(decision: Decision, terms: Terms, *, amount_cents: int, fixed_cents: int, actor,
                    take_over_kpis: bool = True) -> Contract:
    """Record the contract of an awarded proposal with defaults from the proposal and the competition."""
    if decision.outcome != "awarded" or decision.award_date is None:
        raise DomainError(_l("Contracts are only made for awarded proposals."))
    if contract_for_proposal(decision.proposal_id) is not None:
        raise DomainError(_l("This proposal already has a contract."))
    number = _check_number(terms.number)
    _check_dates(terms.start_date, terms.end_date)
    _check_amounts(amount_cents, fixed_cents)
    proposal = decision.proposal
    competition = proposal.competition
    contract = Contract(proposal=proposal, decision=decision, competition=competition, number=number,
                        award_date=decision.award_date, start_date=terms.start_date, end_date=terms.end_date,
                        amount_cents=amount_cents, fixed_cents=fixed_cents, status="preliminary_planning",
                        created_by_id=actor.id)
    lead = proposal.lead_name or proposal.applicant.organisation or proposal.applicant.name
    contract.operators.append(ContractOperator(position=0, name=lead, role=_("Network operator")))
    for position, source in enumerate(competition.funding_sources or []):
        share = _decimal_or_none(source.get("share"))
        if (source.get("name") or "").strip() and share is not None and share > 0:
            contract.funding_shares.append(ContractFundingShare(position=position, source=source["name"].strip(),
                                                                share=share))
    for position, label in enumerate(DEFAULT_APPROVAL_STEPS):
        contract.approval_steps.append(ApprovalStep(position=position, label=str(label)))
    if take_over_kpis:
        for kpi in proposal.kpis:
            if kpi.indicator and kpi.baseline is not None and kpi.target is not None and kpi.baseline != kpi.target:
                contract.milestones.append(Milestone(title=kpi.indicator[:200], unit=kpi.unit, baseline=kpi.baseline,
                                                     target=kpi.target, due_date=terms.end_date, tranche_cents=0,
                                                     weight=Decimal(1), rule="pro_rata"))
    db.session.add(contract)
    db.session.flush()
    record_event("contract.created", contract, after={**contract.audit_view(), "decision_id": decision.id,
                                                      "proposal_id": proposal.id}, actor=actor)
    return contract


def _decimal_or_none(value) -> Decimal | None:
    try:
        return payments.to_decimal(value if not isinstance(value, float) else str(value))
    except (TypeError, ValueError):
        return None


# --- terms, amounts, operators and shares (amendments once signed) ------------------------------


def update_terms(contract: Contract, terms: Terms, actor, reason: str | None = None) -> None:
    """Change number and period; milestones must still fall into the period."""
    reason = _require_reason(contract, reason)
    number = _check_number(terms.number, contract)
    _check_dates(terms.start_date, terms.end_date)
    outside = [m.title for m in contract.milestones if not terms.start_date <= m.due_date <= terms.end_date]
    if outside:
        raise DomainError(_l("These milestones would fall outside the contract period: %(titles)s.",
                             titles=", ".join(outside)), "end_date")
    before = contract.audit_view()
    contract.number, contract.start_date, contract.end_date = number, terms.start_date, terms.end_date
    _record_change(contract, "terms", before=before, after=contract.audit_view(), reason=reason, actor=actor)


def _amounts_view(contract: Contract) -> dict:
    return {"amount_cents": contract.amount_cents, "fixed_cents": contract.fixed_cents,
            "tranches": {str(m.id): m.tranche_cents for m in contract.milestones}}


def change_amounts(contract: Contract, *, amount_cents: int | None, fixed_cents: int | None,
                   tranches: dict[int, int | None], actor, reason: str | None = None) -> None:
    """Set contract amount, fixed part and all tranches at once; they must add up exactly."""
    reason = _require_reason(contract, reason)
    _check_amounts(amount_cents, fixed_cents)
    assert amount_cents is not None and fixed_cents is not None
    by_id = {m.id: m for m in contract.milestones}
    if set(tranches) != set(by_id):
        raise DomainError(_l("The milestones have changed in the meantime. Please reload the page."))
    if any(value is None for value in tranches.values()):
        raise DomainError(_l("Please enter a tranche for every milestone (0 when there is none)."))
    for milestone_id, cents in tranches.items():
        milestone = by_id[milestone_id]
        if milestone.is_paid and cents != milestone.tranche_cents:
            raise DomainError(_l("The milestone \"%(title)s\" has been paid; its tranche can no longer change.",
                                 title=milestone.title))
    if contract.fixed_payment is not None and fixed_cents != contract.fixed_cents:
        raise DomainError(_l("The fixed tranche has been paid; it can no longer change."), "fixed")
    if amount_cents < contract.paid_cents:
        raise DomainError(_l("%(paid)s have already been paid; the contract amount cannot be lower.",
                             paid=Money(contract.paid_cents)), "amount")
    before = _amounts_view(contract)
    contract.amount_cents, contract.fixed_cents = amount_cents, fixed_cents
    for milestone_id, cents in tranches.items():
        by_id[milestone_id].tranche_cents = cents
    _raise_first(amount_problems(contract), "amount")
    _record_change(contract, "amounts", before=before, after=_amounts_view(contract), reason=reason, actor=actor)


def _replace_rows(collection: list, rows: list) -> None:
    """Replace a child collection; the old rows are deleted first so unique names can be reused."""
    collection.clear()
    db.session.flush()
    collection.extend(rows)


def set_operators(contract: Contract, rows: Sequence[tuple[str, str]], actor, reason: str | None = None) -> None:
    """Replace the operators (organisations that run the network); at least one is required."""
    reason = _require_reason(contract, reason)
    cleaned = [(name.strip(), role.strip()) for name, role in rows if name.strip() or role.strip()]
    if any(not name for name, _role in cleaned):
        raise DomainError(_l("Every operator needs the name of the organisation."), "rows")
    if not cleaned:
        raise DomainError(_l("At least one operator is required."), "rows")
    before = [{"name": o.name, "role": o.role} for o in contract.operators]
    _replace_rows(contract.operators, [ContractOperator(position=i, name=name, role=role)
                                       for i, (name, role) in enumerate(cleaned)])
    _record_change(contract, "operators", before=before, after=[{"name": n, "role": r} for n, r in cleaned],
                   reason=reason, actor=actor)


def set_funding_shares(contract: Contract, rows: Sequence[tuple[str, Decimal | None]], actor,
                       reason: str | None = None) -> None:
    """Replace the funding sources and shares; they must add up to exactly 100 %, else nothing changes."""
    reason = _require_reason(contract, reason)
    cleaned = [((name or "").strip(), share) for name, share in rows if (name or "").strip() or share is not None]
    if any(not name for name, _share in cleaned):
        raise DomainError(_l("Every share needs the name of its funding source."), "rows")
    if any(share is None or share <= 0 or share > HUNDRED for _name, share in cleaned):
        raise DomainError(_l("Every share must be a percentage greater than 0 and at most 100."), "rows")
    names = [name.lower() for name, _share in cleaned]
    if len(set(names)) != len(names):
        raise DomainError(_l("Each funding source may appear only once."), "rows")
    total = sum((share for _name, share in cleaned), Decimal(0))  # type: ignore[misc]
    if not cleaned or total != HUNDRED:
        raise DomainError(_l("The shares add up to %(total)s; they must add up to exactly 100 %%.",
                             total=Percent(total)), "rows")
    before = [{"source": s.source, "share": str(s.share)} for s in contract.funding_shares]
    _replace_rows(contract.funding_shares, [ContractFundingShare(position=i, source=name, share=share)
                                            for i, (name, share) in enumerate(cleaned)])
    _record_change(contract, "funding_shares", before=before,
                   after=[{"source": n, "share": str(s)} for n, s in cleaned], reason=reason, actor=actor)


# --- progress records: approval steps, team, status (audited, not amendments) ------------------


def set_approval_steps(contract: Contract, rows: Sequence[tuple[str, date | None, date | None]], actor) -> None:
    """Replace the approval steps with their planned and actual dates."""
    cleaned = [((label or "").strip(), planned, done) for label, planned, done in rows
               if (label or "").strip() or planned or done]
    if any(not label for label, _p, _d in cleaned):
        raise DomainError(_l("Every approval step needs a label."), "rows")
    today = local_today(contract)
    if any(done is not None and done > today for _label, _planned, done in cleaned):
        raise DomainError(_l("A step cannot have been done in the future."), "rows")
    before = [_step_view(s.label, s.planned_on, s.done_on) for s in contract.approval_steps]
    _replace_rows(contract.approval_steps, [ApprovalStep(position=i, label=label, planned_on=planned, done_on=done)
                                            for i, (label, planned, done) in enumerate(cleaned)])
    record_event("contract.approval_steps_changed", contract, before={"rows": before},
                 after={"rows": [_step_view(*row) for row in cleaned]}, actor=actor)


def _step_view(label: str, planned: date | None, done: date | None) -> dict:
    return {"label": label, "planned_on": planned.isoformat() if planned else None,
            "done_on": done.isoformat() if done else None}


def set_team(contract: Contract, rows: Sequence[tuple[str, str]], actor) -> None:
    """Replace the project team (names and roles)."""
    cleaned = [(name.strip(), role.strip()) for name, role in rows if name.strip() or role.strip()]
    if any(not name for name, _role in cleaned):
        raise DomainError(_l("Every team member needs a name."), "rows")
    before = [{"name": m.name, "role": m.role} for m in contract.team_members]
    _replace_rows(contract.team_members, [TeamMember(position=i, name=name, role=role)
                                          for i, (name, role) in enumerate(cleaned)])
    record_event("contract.team_changed", contract, before={"rows": before},
                 after={"rows": [{"name": n, "role": r} for n, r in cleaned]}, actor=actor)


def set_status(contract: Contract, status: str, actor) -> None:
    """Record the project status (preliminary planning … completed)."""
    if status not in CONTRACT_STATUSES:
        raise DomainError(_l("Unknown project status."), "status")
    if status == "completed" and not contract.is_signed:
        raise DomainError(_l("An unsigned contract cannot be completed."), "status")
    if status == contract.status:
        return
    before = contract.status
    contract.status = status
    record_event("contract.status_changed", contract, before={"status": before}, after={"status": status},
                 actor=actor)


# --- milestones ---------------------------------------------------------------------------------


def _check_milestone(contract: Contract, terms: MilestoneTerms) -> None:
    if not terms.title.strip():
        raise DomainError(_l("Please name the KPI of the milestone."), "title")
    if terms.baseline is None:
        raise DomainError(_l("Please enter the baseline."), "baseline")
    if terms.target is None:
        raise DomainError(_l("Please enter the target."), "target")
    if terms.target == terms.baseline:
        raise DomainError(_l("The target must differ from the baseline, otherwise attainment is undefined."),
                          "target")
    if terms.due_date is None:
        raise DomainError(_l("Please enter the due date."), "due_date")
    if not contract.start_date <= terms.due_date <= contract.end_date:
        raise DomainError(_l("The due date must lie within the contract period."), "due_date")
    if terms.weight is None or terms.weight <= 0:
        raise DomainError(_l("The weight must be greater than zero."), "weight")
    if terms.weight > MILESTONE_WEIGHT_MAX:  # what the Numeric(6, 3) column holds, whoever calls
        raise DomainError(_l("Please enter a value of at most %(max)s.", max=Quantity(MILESTONE_WEIGHT_MAX)), "weight")
    if terms.tranche_cents is None or terms.tranche_cents < 0:
        raise DomainError(_l("Please enter the tranche (0 when there is none)."), "tranche")
    if terms.rule not in MILESTONE_RULES:
        raise DomainError(_l("Unknown payment rule."), "rule")
    if terms.minimum_level is None or not 0 <= terms.minimum_level <= 1:
        raise DomainError(_l("The minimum level must lie between 0 and 100 %."), "minimum_level")
    if terms.cap is None or not 0 < terms.cap <= 1:
        raise DomainError(_l("The cap must be greater than 0 and at most 100 %."), "cap")


def _apply_milestone(milestone: Milestone, terms: MilestoneTerms) -> None:
    milestone.title, milestone.unit = terms.title.strip(), terms.unit.strip()
    milestone.baseline, milestone.target, milestone.due_date = terms.baseline, terms.target, terms.due_date
    milestone.weight, milestone.tranche_cents, milestone.rule = terms.weight, terms.tranche_cents, terms.rule
    milestone.minimum_level, milestone.cap = terms.minimum_level, terms.cap


def add_milestone(contract: Contract, terms: MilestoneTerms, actor, reason: str | None = None) -> Milestone:
    """Add a milestone; on a signed contract the amounts must still add up (add it with tranche 0 first)."""
    reason = _require_reason(contract, reason)
    _check_milestone(contract, terms)
    milestone = Milestone(contract=contract)
    _apply_milestone(milestone, terms)
    db.session.add(milestone)
    db.session.flush()
    if contract.is_signed:
        _raise_first(amount_problems(contract), "tranche")
    _record_change(contract, "milestone_added", before=None, after=milestone.audit_view(), reason=reason,
                   actor=actor)
    return milestone


def update_milestone(milestone: Milestone, terms: MilestoneTerms, actor, reason: str | None = None) -> None:
    """Change a milestone that has not been paid; on a signed contract the amounts must still add up."""
    contract = milestone.contract
    reason = _require_reason(contract, reason)
    if milestone.is_paid:
        raise DomainError(_l("This milestone has been paid; it can no longer change."))
    _check_milestone(contract, terms)
    before = milestone.audit_view()
    _apply_milestone(milestone, terms)
    if contract.is_signed:
        _raise_first(amount_problems(contract), "tranche")
    _record_change(contract, "milestone_changed", before=before, after=milestone.audit_view(), reason=reason,
                   actor=actor)


def delete_milestone(milestone: Milestone, actor) -> None:
    """Remove a milestone from an unsigned contract (a signed one changes by amendment only)."""
    contract = milestone.contract
    if contract.is_signed:
        raise DomainError(_l("Milestones of a signed contract cannot be deleted; set the tranche to 0 by an "
                             "amendment instead."))
    before = milestone.audit_view()
    contract.milestones.remove(milestone)
    record_event("contract.milestone_deleted", contract, before=before, actor=actor)


# --- signing ------------------------------------------------------------------------------------


def sign_contract(contract: Contract, signed_on: date | None, actor) -> None:
    """Record the signature; from now on the operator reports and changes are amendments."""
    if contract.is_signed:
        raise DomainError(_l("The contract has already been signed."))
    if signed_on is None:
        raise DomainError(_l("Please enter the date of signature."), "signed_on")
    if signed_on > local_today(contract):
        raise DomainError(_l("The date of signature cannot lie in the future."), "signed_on")
    _raise_first(contract_problems(contract))
    contract.signed_on, contract.signed_at, contract.signed_by_id = signed_on, utcnow(), actor.id
    record_event("contract.signed", contract, after=contract.audit_view(), actor=actor)
    operator = contract.proposal.applicant
    queue_mail(operator.email, "contract_signed", operator.locale, user=operator, user_obj=operator,
               contract=contract, link=external_url("contracts.operator_detail", contract_id=contract.id))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mails (BASE_URL behind a proxy, else the request's host)."""
    from flask import current_app, has_request_context, url_for

    base = current_app.config.get("BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    # A cron job without BASE_URL: still a readable link (set BASE_URL in production).
    with current_app.test_request_context(base_url="http://localhost"):
        return url_for(endpoint, _external=True, **values)


# --- documents ----------------------------------------------------------------------------------


def add_document(contract: Contract, filename: str, data, actor) -> ContractFile:
    """Attach a checked document (e.g. the signed contract) to the contract."""
    checked = uploads.check_file(filename, data)
    key = uploads.store_bytes(checked.data)
    document = ContractFile(contract_id=contract.id, kind="document", storage_key=key,
                            display_name=checked.safe_display_name, mime_type=checked.mime_type,
                            size_bytes=checked.size, sha256=checked.sha256, uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    record_event("contract.document_added", contract, after=document.audit_view(), actor=actor)
    return document


def remove_document(contract: Contract, document: ContractFile, actor) -> str:
    """Remove a document from an unsigned contract; its file is deleted once the removal is committed."""
    if contract.is_signed:
        raise DomainError(_l("Documents of a signed contract are kept for the audit file."))
    if document.contract_id != contract.id or document.kind != "document":
        raise ValueError("document of another contract")
    before = document.audit_view()
    key = document.storage_key
    db.session.delete(document)
    record_event("contract.document_removed", contract, before=before, actor=actor)
    uploads.delete_when_committed(key)
    return key
