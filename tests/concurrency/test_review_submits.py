"""Concurrent submits of one review: submitted once, one history entry; a racing autosave never changes it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.extensions import db as _db
from app.jury.models import Review, ReviewHistory
from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import JUSTIFICATION, review_competition
from tests.concurrency.helpers import browser, run_together
from tests.factories import ReviewFactory, ScoreFactory

TABS = 4


def _complete_draft(juror, proposal) -> Review:
    """A draft with a score and justification for every criterion, ready to submit."""
    review = ReviewFactory(proposal=proposal, user=juror, status="draft", version=3)
    for criterion in proposal.competition.criteria:
        ScoreFactory(review=review, criterion=criterion, value=Decimal("4"), justification=JUSTIFICATION)
    return review


def _count(model_column, *conditions) -> int:
    return _db.session.scalar(select(func.count(model_column)).where(*conditions))


def test_the_same_review_submitted_from_several_tabs_is_submitted_once(app, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    juror = assigned_juror(proposal)
    review = _complete_draft(juror, proposal)
    url = f"/jury/proposals/{proposal.id}/review/submit"
    tabs = [browser(app, juror, number, token_from=url) for number in range(TABS)]  # every tab shows version 3

    def submit(tab: int):
        client, token = tabs[tab]
        response = client.post(url, data={"csrf_token": token, "version": "3"})
        return response.status_code, response.headers.get("Location")

    outcomes = run_together([lambda t=t: submit(t) for t in range(TABS)])

    locations = sorted(o.result[1] for o in outcomes)
    assert {o.result[0] for o in outcomes} == {302}  # never a 500
    # The winner goes on to all reviews; the others are sent back to the (now locked) review.
    assert locations == sorted([f"/jury/proposals/{proposal.id}/reviews"]
                               + [f"/jury/proposals/{proposal.id}/review"] * (TABS - 1))
    _db.session.expire_all()
    stored = _db.session.get(Review, review.id)
    assert (stored.status, stored.version) == ("submitted", 4)
    assert _count(ReviewHistory.id, ReviewHistory.review_id == review.id, ReviewHistory.event == "submitted") == 1
    assert _count(AuditEvent.id, AuditEvent.action == "review.submitted") == 1


def test_an_autosave_racing_the_submit_never_changes_the_submitted_review(app, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    juror = assigned_juror(proposal)
    review = _complete_draft(juror, proposal)
    criteria = [c.id for c in competition.criteria]
    submit_url = f"/jury/proposals/{proposal.id}/review/submit"
    autosave_url = f"/jury/proposals/{proposal.id}/review/autosave"
    submitter, typer = browser(app, juror, 0, token_from=submit_url), browser(app, juror, 1)
    late_text = "Nachträglich geänderte Begründung."
    autosave = {"version": "3", "overall_comment": "",
                **{f"score_{c}": "1" for c in criteria}, **{f"justification_{c}": late_text for c in criteria}}

    outcomes = run_together([
        lambda: submitter[0].post(submit_url, data={"csrf_token": submitter[1], "version": "3"}).headers["Location"],
        lambda: typer[0].post(autosave_url, data={**autosave, "csrf_token": typer[1]}).status_code,
    ])
    submit_location, autosave_status = outcomes[0].result, outcomes[1].result

    _db.session.expire_all()
    stored = _db.session.get(Review, review.id)
    texts = {stored.score_for(c).justification for c in criteria}
    submitted = submit_location.endswith("/reviews")
    # Exactly one of the two got through, and what was submitted is what is stored.
    assert submitted != (autosave_status == 200), (submit_location, autosave_status)
    if submitted:
        assert autosave_status in (409, 422)
        assert (stored.status, texts) == ("submitted", {JUSTIFICATION})
        history = _db.session.scalars(select(ReviewHistory).where(ReviewHistory.review_id == review.id)).one()
        assert {s["justification"] for s in history.data["scores"]} == {JUSTIFICATION}
    else:
        assert (stored.status, texts) == ("draft", {late_text})
        assert _count(ReviewHistory.id, ReviewHistory.review_id == review.id) == 0
