"""`flask demo-data`: the Leipzig call with 28 submitted ideas, drafts and a finished pre-check."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.proposals.models import Proposal
from app.proposals.precheck import review_requirement

WINNERS = {
    "Netzwerk Automobilzulieferer Leipziger Westen": "Automobilzulieferer",
    "Netzwerk Virtuelle Produktentwicklung": "Virtuelle Produktentwicklung",
    "Netzwerk Energie- und Umwelttechnik Leipziger Westen": "Energie- und Umwelttechnik",
}


def _load(runner) -> None:
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output + repr(result.exception)


def test_demo_data_loads_the_leipzig_call_with_28_submitted_ideas(runner, db):
    _load(runner)  # how long it takes is a matter for a benchmark, not a test (a busy machine is slower)

    competition = db.session.scalar(select(Competition))
    assert competition.programme == "Gemeinschaftsinitiative URBAN II Leipziger Westen"
    assert competition.measure.startswith("1.2")
    assert competition.funding_sources == [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}]
    assert competition.contract_months == 24
    assert competition.phase_at_least("precheck")  # later demo steps may take it on to the jury
    assert competition.deadline_passed() and competition.review_deadline > utcnow()
    assert len(competition.criteria) >= 3
    assert {"Automobilzulieferer", "Medien", "Handwerk und Dienstleistungen"} <= set(competition.sectors)

    proposals = db.session.scalars(select(Proposal)).all()
    submitted = [p for p in proposals if p.status == "submitted"]
    drafts = [p for p in proposals if p.status == "draft"]
    assert len(submitted) == 28
    assert 3 <= len(drafts) <= 4
    receipts = [p.receipt_number for p in submitted]
    assert len(set(receipts)) == 28 and all(receipts)
    assert all(p.snapshot and p.submitted_at < competition.submission_deadline for p in submitted)
    assert len({p.sector for p in submitted}) >= 6
    assert {p.network_name: p.sector for p in submitted if p.network_name in WINNERS} == WINNERS
    assert all(len(p.partners) >= 2 and p.measures and p.kpis for p in submitted)

    # The pre-check is done: every submitted idea has a result, a few are not eligible with a reason.
    assert all(p.eligibility and p.prechecked_at and p.precheck_checklist for p in submitted)
    not_eligible = [p for p in submitted if p.eligibility == "not_eligible"]
    assert 2 <= len(not_eligible) <= 3
    assert all(p.eligibility_reason for p in not_eligible)
    assert all(p.eligibility == "eligible" for p in submitted if p.network_name in WINNERS)
    assert review_requirement(competition) == []
    assert db.session.scalar(select(func.count(AuditEvent.id))
                             .where(AuditEvent.action == "proposal.prechecked")) == 28

    # No real contact data: every address is on a reserved example domain.
    emails = db.session.scalars(select(User.email)).all() + [p.lead_contact_email for p in proposals]
    assert all(email.endswith(".example") for email in emails)


def test_demo_data_is_deterministic(runner, db):
    _load(runner)
    first = _fingerprint(db)
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    _load(runner)
    assert _fingerprint(db) == first


def _fingerprint(db):
    # Receipt numbers embed the competition's id, which a database sequence may not reuse.
    return [(p.network_name, (p.receipt_number or "").rsplit("-", 1)[-1], p.requested_funding_cents,
             p.eligibility, [partner.organisation for partner in p.partners])
            for p in db.session.scalars(select(Proposal).order_by(Proposal.network_name))]


def test_demo_data_if_empty_leaves_a_filled_database_alone(runner, db):
    _load(runner)
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(Competition.id))) == 1
