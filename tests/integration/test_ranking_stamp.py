"""The ranking stamp changes with every input of the ranking, and only then (app/competitions/stamps.py).

The ranking cache is keyed by the stamp, so a missed change would serve a stale ranking,
and a needless change would make concurrent jurors' autosaves queue on the competition row.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.competitions.models import Competition
from app.extensions import db as _db
from app.jury import scoring
from app.jury.models import Assignment, Consensus, Review, Score
from app.ranking import service
from tests.builders.jury import juror
from tests.builders.ranking import approved_consensus, conflict, hand_computed, review
from tests.factories import ProposalFactory


def _stamp(competition_id: int) -> str:
    """The stamp as committed in the database (not the session's copy)."""
    _db.session.expire_all()
    return _db.session.scalar(select(Competition.ranking_stamp).where(Competition.id == competition_id))


@pytest.fixture
def hc(db):
    return hand_computed(phase="review")


def _changes_stamp(hc, change) -> bool:
    before = _stamp(hc.competition.id)
    change()
    _db.session.commit()
    return _stamp(hc.competition.id) != before


def test_every_competition_starts_with_its_own_stamp(db, hc):
    other = hand_computed()
    assert len(_stamp(hc.competition.id)) == 16
    assert _stamp(hc.competition.id) != _stamp(other.competition.id)


def test_a_score_of_a_submitted_review_changes_the_stamp(hc):
    score = _db.session.scalar(select(Score).join(Review).where(Review.proposal_id == hc.p1.id))
    assert _changes_stamp(hc, lambda: setattr(score, "value", Decimal("1")))


def test_submitting_and_reopening_a_review_change_the_stamp(hc):
    item = _db.session.scalar(select(Review).where(Review.proposal_id == hc.p1.id))
    assert _changes_stamp(hc, lambda: setattr(item, "status", "draft"))
    assert _changes_stamp(hc, lambda: setattr(item, "status", "submitted"))


def test_a_draft_autosave_leaves_the_stamp_alone(hc):
    # A fourth juror drafts a review of p3: nothing the ranking reads changes.
    fourth = juror(hc.competition, name="Jurorin 4")
    draft = review(hc.p3, fourth, {hc.a: 3, hc.b: 3}, status="draft")
    before = _stamp(hc.competition.id)
    entries = [scoring.ScoreEntry(hc.a.id, "4", "Gut"), scoring.ScoreEntry(hc.b.id, "2.5", "Mittel")]
    scoring.save_review(hc.p3, fourth, entries=entries, overall_comment="Zwischenstand",
                        expected_version=draft.version, autosave=True)
    _db.session.commit()
    assert _db.session.get(Review, draft.id).scores[0].value == Decimal("4")
    assert _stamp(hc.competition.id) == before


def test_an_applicants_draft_edit_leaves_the_stamp_alone(hc):
    draft = ProposalFactory(competition=hc.competition, status="draft")
    _db.session.commit()
    assert not _changes_stamp(hc, lambda: setattr(draft, "network_name", "Neuer Name"))


def test_pool_proposals_consensus_conflicts_criteria_and_settings_change_the_stamp(hc):
    assert _changes_stamp(hc, lambda: setattr(hc.p2, "network_name", "Medienhof Connewitz"))
    assert _changes_stamp(hc, lambda: setattr(hc.p2, "eligibility", "not_eligible"))
    assert _changes_stamp(hc, lambda: approved_consensus(hc.p3, {hc.a: 5, hc.b: 5}))
    report = _db.session.scalar(select(Consensus).where(Consensus.proposal_id == hc.p3.id))
    assert _changes_stamp(hc, lambda: setattr(report.scores[0], "value", Decimal("1")))
    assert _changes_stamp(hc, lambda: conflict(hc.jurors[0], hc.p3))
    assert _changes_stamp(hc, lambda: setattr(hc.a, "weight", Decimal("3")))
    assert _changes_stamp(hc, lambda: setattr(hc.competition, "budget_cents", 1))


def test_a_recorded_draw_changes_the_stamp(db):
    hc = hand_computed()
    # Make p1 and p3 equal on every criterion so that only a draw can order them.
    for item in _db.session.scalars(select(Review).where(Review.proposal_id.in_([hc.p1.id, hc.p3.id]))):
        for score in item.scores:
            score.value = Decimal("4")
    _db.session.commit()
    assert service.compute_ranking(hc.competition).unresolved_ties
    assert _changes_stamp(hc, lambda: service.record_draw(hc.competition, "mean", hc.admin))
    assert not service.compute_ranking(hc.competition).unresolved_ties


def test_the_cached_ranking_follows_a_score_change_made_in_another_session(app, hc):
    """Another worker's change reaches this one through the stamp in the database."""
    first = service.compute_ranking(hc.competition)
    with app.app_context():  # a separate session, as in another gunicorn worker
        other = _db.session.scalar(select(Score).join(Review).where(
            Review.proposal_id == hc.p3.id, Score.criterion_id == hc.a.id, Review.user_id == hc.jurors[2].id))
        other.value = Decimal("5")
        _db.session.commit()
    _db.session.expire_all()
    after = service.compute_ranking(_db.session.get(Competition, hc.competition.id))
    assert after is not first
    assert {r.title: r.total for r in after.rows}["Energie Lindenau"] == pytest.approx(13.0)


def _progress_stamp(competition_id: int) -> str:
    _db.session.expire_all()
    return _db.session.scalar(select(Competition.progress_stamp).where(Competition.id == competition_id))


def test_starting_a_draft_changes_only_the_progress_stamp(hc):
    fourth = juror(hc.competition, name="Jurorin 4")
    ranking_before, progress_before = _stamp(hc.competition.id), _progress_stamp(hc.competition.id)
    scoring.save_review(hc.p3, fourth, entries=[scoring.ScoreEntry(hc.a.id, "4", "Gut")], overall_comment="",
                        expected_version=None, autosave=True)
    _db.session.commit()
    assert _stamp(hc.competition.id) == ranking_before
    assert _progress_stamp(hc.competition.id) != progress_before


def test_assignments_and_seats_change_the_progress_stamp(hc):
    fourth = juror(hc.competition, name="Jurorin 4")  # a new seat
    before = _progress_stamp(hc.competition.id)
    _db.session.add(Assignment(proposal_id=hc.p1.id, user_id=fourth.id, source="manual"))
    _db.session.commit()
    assert _progress_stamp(hc.competition.id) != before


def test_the_progress_page_counts_a_review_a_juror_just_started(client, hc):
    from tests.web import login

    fourth = juror(hc.competition, name="Jurorin Vier")
    _db.session.add(Assignment(proposal_id=hc.p1.id, user_id=fourth.id, source="manual"))
    _db.session.commit()
    login(client, hc.admin.email)
    url = f"/admin/competitions/{hc.competition.id}/progress"

    def drafts_of_fourth() -> str:
        body = client.get(url).get_data(as_text=True)
        row = body[body.index("Jurorin Vier"):]
        return row.split("</tr>")[0].split('<td class="text-end">')[3].split("<")[0]

    def state_in_proposal_table() -> str:
        body = client.get(url).get_data(as_text=True)
        table = body[body.index('id="h-proposals"'):]
        return table[table.index("Jurorin Vier (") + len("Jurorin Vier ("):].split(")")[0]

    assert (drafts_of_fourth(), state_in_proposal_table()) == ("0", "nicht begonnen")
    scoring.save_review(hc.p1, fourth, entries=[scoring.ScoreEntry(hc.a.id, "4", "Gut")], overall_comment="",
                        expected_version=None, autosave=True)
    _db.session.commit()
    assert (drafts_of_fourth(), state_in_proposal_table()) == ("1", "Entwurf")


def test_a_jurors_new_name_shows_on_the_progress_page(client, hc):
    from tests.web import login

    login(client, hc.admin.email)
    url = f"/admin/competitions/{hc.competition.id}/progress"
    assert "Jurorin 1" in client.get(url).get_data(as_text=True)
    hc.jurors[0].name = "Jurorin Eins"
    _db.session.commit()
    body = client.get(url).get_data(as_text=True)
    assert "Jurorin Eins" in body and "Jurorin 1<" not in body and "Jurorin 1 (" not in body
