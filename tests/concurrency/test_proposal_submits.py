"""Many applicants submitting at once before and around the deadline: distinct, consecutive receipt numbers;
refused submissions leave their drafts as they were."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from app.competitions.models import Competition
from app.core.models import OutboxMessage
from app.core.time import utcnow
from app.extensions import db as _db
from app.proposals.models import Proposal
from tests.builders.proposals import complete_proposal
from tests.concurrency.helpers import browser, run_together
from tests.factories import CompetitionFactory, UserFactory

APPLICANTS = 15


def _applicants_with_complete_drafts(app, competition, count: int) -> list[tuple[int, int, tuple]]:
    """(proposal id, version, logged-in browser) for `count` applicants, each with a complete draft."""
    prepared = []
    for number in range(count):
        applicant = UserFactory()
        proposal = complete_proposal(_db, applicant=applicant, competition=competition,
                                     objectives=f"Ziele von Antrag {number}")
        prepared.append((proposal.id, proposal.version,
                         browser(app, applicant, number, token_from=f"/proposals/{proposal.id}/review")))
    return prepared


def _set_deadline(competition_id: int, deadline) -> None:
    _db.session.execute(update(Competition).where(Competition.id == competition_id)
                        .values(submission_deadline=deadline))
    _db.session.commit()


def _submit(prepared_entry, delay: float = 0.0):
    """Press "submit" on the review page (after `delay` seconds); answer (status, location, flashed messages)."""
    proposal_id, version, (client, token) = prepared_entry
    if delay:
        time.sleep(delay)
    response = client.post(f"/proposals/{proposal_id}/submit", data={"csrf_token": token, "version": str(version)})
    with client.session_transaction() as session:
        flashes = [message for _category, message in session.get("_flashes", [])]
    return response.status_code, response.headers.get("Location"), flashes


def _proposals(ids: list[int]) -> dict[int, Proposal]:
    _db.session.expire_all()
    return {p.id: p for p in _db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))}


def _counter(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def test_many_applicants_submitting_at_once_get_distinct_consecutive_receipt_numbers(app, db):
    competition = CompetitionFactory()
    prepared = _applicants_with_complete_drafts(app, competition, APPLICANTS)
    _set_deadline(competition.id, utcnow() + timedelta(seconds=45))  # just before the deadline

    outcomes = run_together([lambda e=entry: _submit(e) for entry in prepared])

    for outcome, (proposal_id, _version, _browser) in zip(outcomes, prepared, strict=True):
        status, location, _flashes = outcome.result
        assert (status, location) == (302, f"/proposals/{proposal_id}")
    proposals = _proposals([entry[0] for entry in prepared])
    assert {p.status for p in proposals.values()} == {"submitted"}
    numbers = [p.receipt_number for p in proposals.values()]
    assert len(set(numbers)) == APPLICANTS
    assert sorted(_counter(n) for n in numbers) == list(range(1, APPLICANTS + 1))
    assert all(re.fullmatch(rf"\d{{4}}-{competition.id:03d}-\d{{4}}", n) for n in numbers), numbers
    _db.session.expire_all()
    assert _db.session.get(Competition, competition.id).receipt_counter == APPLICANTS
    assert _db.session.scalar(select(func.count(OutboxMessage.id))
                              .where(OutboxMessage.template == "proposal_submitted")) == APPLICANTS


def test_submits_right_around_the_deadline_either_get_a_receipt_or_are_refused_with_the_reason(app, db):
    competition = CompetitionFactory()
    prepared = _applicants_with_complete_drafts(app, competition, 12)
    deadline = utcnow() + timedelta(seconds=1.5)
    _set_deadline(competition.id, deadline)
    # Released together, then one request every quarter second: from well before to well after the deadline.
    outcomes = run_together([lambda e=entry, i=index: _submit(e, delay=0.25 * i)
                             for index, entry in enumerate(prepared)])

    proposals = _proposals([entry[0] for entry in prepared])
    accepted, refused = [], []
    for outcome, (proposal_id, version, _browser) in zip(outcomes, prepared, strict=True):
        status, location, flashes = outcome.result
        assert status == 302  # never a 500
        proposal = proposals[proposal_id]
        if proposal.status == "submitted":
            accepted.append(proposal)
            assert location == f"/proposals/{proposal_id}"
            assert proposal.receipt_number and proposal.submitted_at < deadline
        else:
            refused.append(proposal)
            assert location == f"/proposals/{proposal_id}/review"
            assert any("Die Einreichungsfrist ist am" in str(m) and "abgelaufen" in str(m) for m in flashes), flashes
            # The draft is intact: unchanged, without number or snapshot, as the applicant left it.
            assert (proposal.status, proposal.version, proposal.receipt_number, proposal.snapshot) == (
                "draft", version, None, None)
            assert proposal.objectives.startswith("Ziele von Antrag")
            assert len(proposal.partners) == 1 and len(proposal.measures) == 1
    assert refused, "the last requests were sent well after the deadline"
    assert accepted, "the first requests were sent well before the deadline"
    assert sorted(_counter(p.receipt_number) for p in accepted) == list(range(1, len(accepted) + 1))
