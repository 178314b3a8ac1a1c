"""Performance-based contracts: operators, funding shares, approval steps, team, milestones,
progress reports with evidence, payments split by funding source, amendments and reminders.

Money is integer cents, shares are percent as Numeric, KPI values Numeric. The schema itself
makes a double payment impossible: one Payment per accepted report (unique report_id; a milestone
is paid in instalments, each from a newer report) and one fixed-tranche Payment per contract
(unique partial index), whatever the application does.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.competitions.models import Competition
    from app.decisions.models import Decision
    from app.proposals.models import Proposal

# Project status in the words of the funder's project sheets (GLOSSARY "Projektstand").
CONTRACT_STATUSES = ("preliminary_planning", "planning", "implementation", "completed")
MILESTONE_RULES = ("binary", "pro_rata")
REPORT_STATUSES = ("submitted", "accepted", "rejected")
PAYMENT_KINDS = ("fixed", "milestone")
FILE_KINDS = ("document", "evidence")
REMINDER_KINDS = ("due_soon", "overdue")


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


class Contract(db.Model):
    """A performance-based contract with the operator of one awarded proposal."""

    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("number", name="uq_contracts_number"),
        UniqueConstraint("proposal_id", name="uq_contracts_proposal_id"),
        CheckConstraint("status IN ('preliminary_planning', 'planning', 'implementation', 'completed')",
                        name="status_known"),
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        CheckConstraint("fixed_cents >= 0 AND fixed_cents <= amount_cents", name="fixed_within_amount"),
        CheckConstraint("end_date > start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="RESTRICT"))
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="RESTRICT"), index=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    award_date: Mapped[date] = mapped_column(Date)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    fixed_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(24), default="preliminary_planning", index=True)
    # Published in the EU list of operations (Reg. (EU) 2021/1060 Art. 49(3)).
    operation_purpose: Mapped[str] = mapped_column(Text, default="", server_default="")
    operation_achievements: Mapped[str] = mapped_column(Text, default="", server_default="")
    location_postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    country: Mapped[str] = mapped_column(String(2), default="DE", server_default="DE")
    # Signing freezes the terms: from then on every change is an Amendment with a reason.
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship()
    decision: Mapped[Decision] = relationship()
    competition: Mapped[Competition] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    operators: Mapped[list[ContractOperator]] = relationship(
        back_populates="contract", order_by="ContractOperator.position", cascade="all, delete-orphan")
    funding_shares: Mapped[list[ContractFundingShare]] = relationship(
        back_populates="contract", order_by="ContractFundingShare.position", cascade="all, delete-orphan")
    approval_steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="contract", order_by="ApprovalStep.position", cascade="all, delete-orphan")
    team_members: Mapped[list[TeamMember]] = relationship(
        back_populates="contract", order_by="TeamMember.position", cascade="all, delete-orphan")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="contract", order_by="[Milestone.due_date, Milestone.id]", cascade="all, delete-orphan")
    documents: Mapped[list[ContractFile]] = relationship(
        primaryjoin="and_(ContractFile.contract_id == Contract.id, ContractFile.kind == 'document')",
        order_by="ContractFile.id", viewonly=True)
    payments: Mapped[list[Payment]] = relationship(back_populates="contract", order_by="Payment.released_at")
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="contract", order_by="Amendment.created_at.desc()", cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        """The funded network's name."""
        return self.proposal.title

    @property
    def is_signed(self) -> bool:
        """True once the contract has been signed."""
        return self.signed_on is not None

    @property
    def operator_user_id(self) -> int:
        """The account that acts as network operator: the awarded applicant."""
        return self.proposal.applicant_id

    def is_operated_by(self, user) -> bool:
        """True for the awarded applicant who runs the network."""
        return _is_user(user) and user.id == self.operator_user_id

    def can_view(self, user) -> bool:
        """Administrators see every contract, the operator their own; nobody else any."""
        return _is_user(user) and (user.is_admin or self.is_operated_by(user))

    def can_report(self, user) -> bool:
        """The operator reports progress on a signed contract that is not completed yet."""
        return self.is_operated_by(user) and self.is_signed and self.status != "completed"

    @property
    def tranches_cents(self) -> int:
        """Σ a_i over the milestones."""
        return sum(m.tranche_cents for m in self.milestones)

    @property
    def paid_cents(self) -> int:
        """The sum already released."""
        return sum(p.amount_cents for p in self.payments)

    def shares_map(self) -> dict[str, Decimal]:
        """{source: percent} in the declared order, as payments.split_by_shares wants it."""
        return {share.source: share.share for share in self.funding_shares}

    @property
    def fixed_payment(self) -> Payment | None:
        """The released fixed tranche, if any."""
        return next((p for p in self.payments if p.kind == "fixed"), None)

    def audit_view(self) -> dict[str, Any]:
        """The contract's terms as recorded in amendments and the audit trail."""
        return {
            "number": self.number, "award_date": _iso(self.award_date), "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date), "amount_cents": self.amount_cents, "fixed_cents": self.fixed_cents,
            "status": self.status, "signed_on": _iso(self.signed_on),
            "operation_purpose": self.operation_purpose, "operation_achievements": self.operation_achievements,
            "location_postcode": self.location_postcode, "country": self.country,
        }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


class ContractOperator(db.Model):
    """An organisation that runs the network under the contract (one or several)."""

    __tablename__ = "contract_operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(120), default="")

    contract: Mapped[Contract] = relationship(back_populates="operators")


class ContractFundingShare(db.Model):
    """One funding source's share of every payment, in percent (all shares sum to 100)."""

    __tablename__ = "contract_funding_shares"
    __table_args__ = (
        UniqueConstraint("contract_id", "source", name="uq_contract_funding_shares_contract_source"),
        CheckConstraint("share > 0 AND share <= 100", name="share_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(80))
    share: Mapped[Decimal] = mapped_column(Numeric(7, 4))

    contract: Mapped[Contract] = relationship(back_populates="funding_shares")


class ApprovalStep(db.Model):
    """A dated approval step, e.g. "Projektentscheidung": planned and actually done."""

    __tablename__ = "contract_approval_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    contract: Mapped[Contract] = relationship(back_populates="approval_steps")


class TeamMember(db.Model):
    """A person of the project team (funder's side or operator's side)."""

    __tablename__ = "contract_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120), default="")

    contract: Mapped[Contract] = relationship(back_populates="team_members")


class Milestone(db.Model):
    """A KPI with baseline, target and due date whose attainment pays one tranche, in instalments."""

    __tablename__ = "contract_milestones"
    __table_args__ = (
        CheckConstraint("rule IN ('binary', 'pro_rata')", name="rule_known"),
        CheckConstraint("target != baseline", name="target_differs_from_baseline"),
        CheckConstraint("tranche_cents >= 0", name="tranche_not_negative"),
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("minimum_level >= 0", name="minimum_level_not_negative"),
        CheckConstraint("cap > 0 AND cap <= 1", name="cap_in_range"),
        CheckConstraint("closed_at IS NOT NULL OR closing_reason = ''", name="reason_only_when_closed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    due_date: Mapped[date] = mapped_column(Date, index=True)
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal("1"))
    tranche_cents: Mapped[int] = mapped_column(BigInteger)
    rule: Mapped[str] = mapped_column(String(10), default="pro_rata")
    minimum_level: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal("0.5"))
    cap: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal("1"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when fully earned or closed by the administrator (then with a reason): no more instalments.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closing_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    contract: Mapped[Contract] = relationship(back_populates="milestones")
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="milestone", order_by="ProgressReport.submitted_at", cascade="all, delete-orphan")
    payments: Mapped[list[Payment]] = relationship(back_populates="milestone", order_by="Payment.id")

    @property
    def is_paid(self) -> bool:
        """True once an instalment was released: the milestone's terms are then fixed."""
        return bool(self.payments)

    @property
    def paid_cents(self) -> int:
        """What the milestone's instalments have paid so far."""
        return sum(p.amount_cents for p in self.payments)

    @property
    def ceiling_cents(self) -> int:
        """The most the milestone can ever pay (a · c; a for a binary milestone)."""
        from app.contracts.payments import milestone_ceiling_cents

        return milestone_ceiling_cents(self.rule, self.tranche_cents, self.cap)

    @property
    def open_cents(self) -> int:
        """What the milestone could still pay (nothing once closed)."""
        return 0 if self.is_closed else max(self.ceiling_cents - self.paid_cents, 0)

    @property
    def is_closed(self) -> bool:
        """Closed milestones pay no more: fully earned, closed by the administrator, or the contract completed."""
        return (self.closed_at is not None or self.contract.status == "completed"
                or 0 < self.ceiling_cents <= self.paid_cents)  # also milestones fully paid before instalments

    @property
    def last_payment(self) -> Payment | None:
        """The latest instalment, if any."""
        return self.payments[-1] if self.payments else None

    @property
    def open_report(self) -> ProgressReport | None:
        """The report awaiting verification, if any (at most one)."""
        return next((r for r in self.reports if r.status == "submitted"), None)

    @property
    def accepted_report(self) -> ProgressReport | None:
        """The most recently accepted report: its value drives the payment."""
        accepted = [r for r in self.reports if r.status == "accepted"]
        return max(accepted, key=lambda r: (r.verified_at, r.id)) if accepted else None

    @property
    def awaits_report(self) -> bool:
        """True while the operator still owes a first report (open milestone, nothing open or accepted yet)."""
        return not self.is_closed and self.open_report is None and self.accepted_report is None

    @property
    def takes_reports(self) -> bool:
        """True while a (further) report can come in: open milestone, no report awaiting verification."""
        return not self.is_closed and self.open_report is None

    def audit_view(self) -> dict[str, Any]:
        """The milestone's terms as recorded in amendments and the audit trail."""
        return {
            "milestone_id": self.id, "title": self.title, "unit": self.unit, "baseline": str(self.baseline),
            "target": str(self.target), "due_date": _iso(self.due_date), "weight": str(self.weight),
            "tranche_cents": self.tranche_cents, "rule": self.rule, "minimum_level": str(self.minimum_level),
            "cap": str(self.cap), "closed_at": _iso(self.closed_at), "closing_reason": self.closing_reason,
        }


class ProgressReport(db.Model):
    """An operator's reported KPI value for one milestone with evidence; verified by the funder."""

    __tablename__ = "contract_reports"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'accepted', 'rejected')", name="status_known"),
        CheckConstraint("achieved >= 0", name="achieved_not_negative"),
        CheckConstraint("status != 'rejected' OR length(rejection_reason) > 0", name="rejection_has_reason"),
        # One open report per milestone at a time, enforced by the database.
        Index("uq_contract_reports_one_open", "milestone_id", unique=True,
              sqlite_where=text("status = 'submitted'"), postgresql_where=text("status = 'submitted'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id", ondelete="CASCADE"), index=True)
    achieved: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="submitted", index=True)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")

    milestone: Mapped[Milestone] = relationship(back_populates="reports")
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    files: Mapped[list[ContractFile]] = relationship(back_populates="report", order_by="ContractFile.id")

    def audit_view(self) -> dict[str, Any]:
        """The report as recorded in the audit trail."""
        return {"report_id": self.id, "milestone_id": self.milestone_id, "achieved": str(self.achieved),
                "status": self.status, "rejection_reason": self.rejection_reason,
                "files": [f.sha256 for f in self.files]}


class ContractFile(db.Model):
    """An uploaded file of a contract: a contract document or evidence of a report."""

    __tablename__ = "contract_files"
    __table_args__ = (
        UniqueConstraint("storage_key", name="uq_contract_files_storage_key"),
        CheckConstraint("kind IN ('document', 'evidence')", name="kind_known"),
        CheckConstraint("(kind = 'evidence') = (report_id IS NOT NULL)", name="evidence_has_report"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("contract_reports.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    storage_key: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(160))
    mime_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    report: Mapped[ProgressReport | None] = relationship(back_populates="files")

    def audit_view(self) -> dict[str, Any]:
        """The file as recorded in the audit trail."""
        return {"file_id": self.id, "kind": self.kind, "display_name": self.display_name,
                "mime_type": self.mime_type, "size_bytes": self.size_bytes, "sha256": self.sha256}


class Payment(db.Model):
    """A released payment: a milestone's instalment (once per accepted report) or the fixed tranche (once)."""

    __tablename__ = "contract_payments"
    __table_args__ = (
        # The final guard against double payment: the database refuses a second row.
        UniqueConstraint("report_id", name="uq_contract_payments_report_id"),
        Index("uq_contract_payments_fixed_once", "contract_id", unique=True,
              sqlite_where=text("kind = 'fixed'"), postgresql_where=text("kind = 'fixed'")),
        CheckConstraint("kind IN ('fixed', 'milestone')", name="kind_known"),
        CheckConstraint("(kind = 'milestone') = (milestone_id IS NOT NULL)", name="milestone_iff_kind"),
        # An instalment is paid from one accepted report; the unique report_id makes that once.
        CheckConstraint("kind != 'milestone' OR report_id IS NOT NULL", name="milestone_has_report"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="RESTRICT"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("contract_milestones.id", ondelete="RESTRICT"),
                                                     index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("contract_reports.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    # The calculation's inputs and steps, so anyone can recompute the figure later.
    calculation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contract: Mapped[Contract] = relationship(back_populates="payments")
    milestone: Mapped[Milestone | None] = relationship(back_populates="payments")
    report: Mapped[ProgressReport | None] = relationship()
    released_by: Mapped[User | None] = relationship()
    parts: Mapped[list[PaymentPart]] = relationship(
        back_populates="payment", order_by="PaymentPart.position", cascade="all, delete-orphan")

    def audit_view(self) -> dict[str, Any]:
        """The payment as recorded in the audit trail."""
        return {"payment_id": self.id, "kind": self.kind, "milestone_id": self.milestone_id,
                "report_id": self.report_id, "amount_cents": self.amount_cents,
                "parts": {p.source: p.amount_cents for p in self.parts}}


class PaymentPart(db.Model):
    """The share of one funding source in a payment; the parts add up to the payment."""

    __tablename__ = "contract_payment_parts"
    __table_args__ = (
        UniqueConstraint("payment_id", "source", name="uq_contract_payment_parts_payment_source"),
        CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("contract_payments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(80))
    share: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    amount_cents: Mapped[int] = mapped_column(BigInteger)

    payment: Mapped[Payment] = relationship(back_populates="parts")


class Amendment(db.Model):
    """A change to a signed contract: who, when, why, and the terms before and after."""

    __tablename__ = "contract_amendments"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_required"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    contract: Mapped[Contract] = relationship(back_populates="amendments")
    created_by: Mapped[User | None] = relationship()


class ContractReminder(db.Model):
    """A reminder mail sent for a milestone; the unique day makes `flask contract-reminders` idempotent."""

    __tablename__ = "contract_reminders"
    __table_args__ = (
        UniqueConstraint("milestone_id", "kind", "sent_on", name="uq_contract_reminders_milestone_kind_day"),
        CheckConstraint("kind IN ('due_soon', 'overdue')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("contract_milestones.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
