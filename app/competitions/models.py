"""Competition, its criteria and the phases of its life."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.time import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.accounts.models import User

# The life of a competition, in order; every move is an explicit admin action.
PHASES = ("draft", "open", "precheck", "review", "consensus", "decision", "contracting", "closed")

REVIEW_VISIBILITY = ("never", "after_own", "always")


def new_stamp() -> str:
    """A fresh random stamp of a competition's inputs (16 hex characters; see app/competitions/stamps.py)."""
    return secrets.token_hex(8)


class Competition(db.Model):
    """An ideas competition: the call, its rules, deadlines, budget and defaults."""

    __tablename__ = "competitions"
    __table_args__ = (
        CheckConstraint("phase IN ('draft', 'open', 'precheck', 'review', 'consensus', 'decision', "
                        "'contracting', 'closed')", name="phase_known"),
        CheckConstraint("winners_min >= 1 AND winners_max >= winners_min", name="winners_range"),
        CheckConstraint("budget_cents >= 0", name="budget_not_negative"),
        CheckConstraint("scale_max > scale_min AND scale_step > 0", name="scale_valid"),
        CheckConstraint("reviews_per_proposal >= 1", name="reviews_positive"),
        CheckConstraint("contract_months >= 1", name="contract_months_positive"),
        CheckConstraint("other_reviews_visibility IN ('never', 'after_own', 'always')",
                        name="other_reviews_visibility_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str] = mapped_column(String(200), default="")
    measure: Mapped[str] = mapped_column(String(200), default="")
    call_text: Mapped[str] = mapped_column(Text, default="")
    # One rule per line; the formal pre-check turns them into its checklist.
    eligibility_rules: Mapped[str] = mapped_column(Text, default="")
    # The notice on legal remedies (Rechtsbehelfsbelehrung) that closes a letter of ineligibility.
    legal_remedies_de: Mapped[str] = mapped_column(Text, default="")
    legal_remedies_en: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    phase: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    timezone: Mapped[str] = mapped_column(String(40), default="Europe/Berlin")
    submission_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submission_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    winners_min: Mapped[int] = mapped_column(Integer, default=3)
    winners_max: Mapped[int] = mapped_column(Integer, default=5)
    budget_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    # [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}]; shares sum to 100.
    funding_sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contract_months: Mapped[int] = mapped_column(Integer, default=24)
    # The EU list of operations (Reg. (EU) 2021/1060 Art. 49(3)) names the fund, the specific
    # objective and the type of intervention; the Union share is the named funding source's share.
    eu_fund: Mapped[str] = mapped_column(String(20), default="ERDF", server_default="ERDF")
    eu_funding_source: Mapped[str] = mapped_column(String(80), default="EFRE", server_default="EFRE")
    specific_objective: Mapped[str] = mapped_column(String(200), default="", server_default="")
    intervention_type: Mapped[str] = mapped_column(String(200), default="", server_default="")
    scale_min: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0"))
    scale_max: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("5"))
    scale_step: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.5"))
    reviews_per_proposal: Mapped[int] = mapped_column(Integer, default=3)
    blind_review: Mapped[bool] = mapped_column(Boolean, default=False)
    other_reviews_visibility: Mapped[str] = mapped_column(String(10), default="after_own")
    # None means the default: the sum of the weighted criterion thresholds (METHOD.md).
    overall_threshold: Mapped[Decimal | None] = mapped_column(Numeric(8, 3))
    receipt_counter: Mapped[int] = mapped_column(Integer, default=0)
    # Change with every input of the ranking / of the jury's progress counts / of the contract pages
    # (app/competitions/stamps.py); the cache of those figures and page parts is keyed by them.
    ranking_stamp: Mapped[str] = mapped_column(String(16), default=new_stamp)
    progress_stamp: Mapped[str] = mapped_column(String(16), default=new_stamp)
    contracts_stamp: Mapped[str] = mapped_column(String(16), default=new_stamp)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # End of the retention period of the procedure's records, set by an administrator with a reason;
    # None means the default rule (app/privacy/retention.py).
    retention_until: Mapped[date | None] = mapped_column(Date)
    retention_reason: Mapped[str] = mapped_column(Text, default="")

    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="competition", order_by="Criterion.priority", cascade="all, delete-orphan"
    )
    created_by: Mapped[User | None] = relationship()

    @property
    def zone(self) -> ZoneInfo:
        """The competition's time zone, in which deadlines are shown and meant."""
        return ZoneInfo(self.timezone)

    def is_open_for_submissions(self, now: datetime | None = None) -> bool:
        """True while the call is open and the deadline has not passed (server time)."""
        now = now or utcnow()
        if self.phase != "open" or self.submission_deadline is None:
            return False
        if self.submission_opens_at is not None and now < self.submission_opens_at:
            return False
        return now < self.submission_deadline

    def deadline_passed(self, now: datetime | None = None) -> bool:
        """True once the submission deadline is over."""
        return self.submission_deadline is not None and (now or utcnow()) >= self.submission_deadline

    @property
    def is_public(self) -> bool:
        """Calls are public from opening on; drafts are for admins only."""
        return self.phase != "draft"

    def phase_index(self) -> int:
        """Position of the current phase in PHASES."""
        return PHASES.index(self.phase)

    def phase_at_least(self, phase: str) -> bool:
        """True when the competition has reached the given phase."""
        return self.phase_index() >= PHASES.index(phase)

    def can_view(self, user) -> bool:
        """Anyone may read a published call; drafts only administrators."""
        return self.is_public or bool(user and user.is_authenticated and user.is_admin)

    def criteria_locked(self) -> bool:
        """Criteria stay fixed once scoring has started, so all reviews judge the same thing."""
        return self.phase_at_least("review")

    def total_weight(self) -> Decimal:
        """The sum of the criteria weights."""
        return sum((c.weight for c in self.criteria), Decimal("0"))

    def weights_off_one(self) -> bool:
        """True when there are criteria and their weights do not sum to 1 (totals leave the score scale)."""
        return bool(self.criteria) and self.total_weight() != 1

    def eligibility_rule_list(self) -> list[str]:
        """The eligibility rules as a list (one per non-empty line)."""
        return [line.strip() for line in self.eligibility_rules.splitlines() if line.strip()]

    def default_overall_threshold(self) -> Decimal:
        """H = Σ w_c · h_c unless the competition sets its own."""
        if self.overall_threshold is not None:
            return self.overall_threshold
        return sum((c.weight * c.threshold for c in self.criteria), Decimal("0"))

    def audit_view(self) -> dict[str, Any]:
        """Fields recorded in the audit trail."""
        return {
            "title": self.title, "programme": self.programme, "measure": self.measure,
            "phase": self.phase, "timezone": self.timezone,
            "submission_opens_at": _iso(self.submission_opens_at),
            "submission_deadline": _iso(self.submission_deadline),
            "review_deadline": _iso(self.review_deadline),
            "winners_min": self.winners_min, "winners_max": self.winners_max,
            "budget_cents": self.budget_cents, "funding_sources": self.funding_sources,
            "contract_months": self.contract_months, "eu_fund": self.eu_fund,
            "eu_funding_source": self.eu_funding_source, "specific_objective": self.specific_objective,
            "intervention_type": self.intervention_type, "scale": [str(self.scale_min), str(self.scale_max),
                                                               str(self.scale_step)],
            "reviews_per_proposal": self.reviews_per_proposal, "blind_review": self.blind_review,
            "other_reviews_visibility": self.other_reviews_visibility,
            "sectors": self.sectors, "eligibility_rules": self.eligibility_rules, "call_text": self.call_text,
            "legal_remedies_de": self.legal_remedies_de, "legal_remedies_en": self.legal_remedies_en,
        }

    def legal_remedies(self, locale: str) -> str:
        """The notice on legal remedies in the given language, the German one where no other is set."""
        text = self.legal_remedies_en if locale == "en" else ""
        return (text or self.legal_remedies_de or "").strip()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Criterion(db.Model):
    """A weighted evaluation criterion with its rubric, in German and English."""

    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("priority >= 1", name="priority_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    name_de: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    rubric_de: Mapped[str] = mapped_column(Text, default="")
    rubric_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 3), default=Decimal("1"))
    threshold: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("3"))
    priority: Mapped[int] = mapped_column(Integer)

    competition: Mapped[Competition] = relationship(back_populates="criteria")

    def name(self, locale: str) -> str:
        """The criterion's name in the given language (German as fallback)."""
        return self.name_en if locale == "en" and self.name_en else self.name_de

    def rubric(self, locale: str) -> str:
        """The rubric in the given language (German as fallback)."""
        return self.rubric_en if locale == "en" and self.rubric_en else self.rubric_de

    def rubric_lines(self, locale: str) -> list[str]:
        """The rubric as one line per score level."""
        return [line.strip() for line in self.rubric(locale).splitlines() if line.strip()]

    def weight_percent(self) -> Decimal:
        """This criterion's share of the total weight, in percent."""
        total = self.competition.total_weight()
        return self.weight * 100 / total if total else Decimal("0")

    def audit_view(self) -> dict[str, Any]:
        """Fields recorded in the audit trail."""
        return {"name_de": self.name_de, "name_en": self.name_en, "weight": str(self.weight),
                "threshold": str(self.threshold), "priority": self.priority,
                "rubric_de": self.rubric_de, "rubric_en": self.rubric_en}
