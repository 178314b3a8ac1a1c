"""The applicant's stage of a proposal: the publication rules of app/proposals/outcomes.py on plain records."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from app.proposals.outcomes import LaterFacts, derive_outcome

PHASES = ("draft", "open", "precheck", "review", "consensus", "decision", "contracting", "closed")
SENT = datetime(2026, 7, 1, tzinfo=UTC)


def proposal(*, status="submitted", eligibility=None, phase="precheck", letter_sent=None, reopened=False):
    """A stand-in with the attributes derive_outcome reads."""
    competition = SimpleNamespace(phase_at_least=lambda name: PHASES.index(phase) >= PHASES.index(name))
    return SimpleNamespace(status=status, eligibility=eligibility, competition=competition,
                           ineligibility_letter_sent_at=letter_sent, is_reopened_for_correction=reopened)


@pytest.mark.parametrize(("record", "facts", "stage"), [
    (proposal(status="draft"), LaterFacts(), "draft"),
    (proposal(status="draft", reopened=True), LaterFacts(), "reopened"),
    (proposal(status="withdrawn"), LaterFacts(), "withdrawn"),
    # The pre-check result waits for the end of the pre-check (the office may still revise it) ...
    (proposal(eligibility="not_eligible", phase="precheck"), LaterFacts(), "submitted"),
    (proposal(eligibility="eligible", phase="precheck"), LaterFacts(), "submitted"),
    # ... unless its letter already went out.
    (proposal(eligibility="not_eligible", phase="precheck", letter_sent=SENT), LaterFacts(), "not_eligible"),
    (proposal(eligibility="not_eligible", phase="review"), LaterFacts(), "not_eligible"),
    (proposal(eligibility="eligible", phase="review"), LaterFacts(), "under_review"),
    # A decision shows only with its letter; a shortlist is never shown.
    (proposal(eligibility="eligible", phase="decision"), LaterFacts(decision="awarded"), "under_review"),
    (proposal(eligibility="eligible", phase="decision"),
     LaterFacts(decision="shortlisted", decision_letter_sent_at=SENT), "under_review"),
    (proposal(eligibility="eligible", phase="decision"),
     LaterFacts(decision="reserve", decision_letter_sent_at=SENT), "reserve"),
    (proposal(eligibility="eligible", phase="decision"),
     LaterFacts(decision="rejected", decision_letter_sent_at=SENT), "rejected"),
    (proposal(eligibility="eligible", phase="contracting"),
     LaterFacts(decision="awarded", decision_letter_sent_at=SENT), "awarded"),
    (proposal(eligibility="eligible", phase="contracting"),
     LaterFacts(decision="awarded", decision_letter_sent_at=SENT, contract_id=7), "contracted"),
])
def test_the_stage_follows_the_records_and_the_publication_rules(record, facts, stage):
    assert derive_outcome(record, facts).stage == stage
