"""Concurrent autosaves of reviews: no lost update between jurors, no silent overwrite between tabs."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db as _db
from app.jury.models import Review
from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import review_competition
from tests.concurrency.helpers import browser, run_together

JURORS = 12
SAVES_EACH = 5
SCALE = [Decimal(n) / 2 for n in range(11)]  # 0, 0.5 … 5: the default scale


def _autosave_url(proposal) -> str:
    return f"/jury/proposals/{proposal.id}/review/autosave"


def _payload(criterion_ids: list[int], score, text: str, version) -> dict:
    """The review form as the autosave script posts it (the same score and text for every criterion).

    Built from plain ids: the threads have no app context to load the test's objects in.
    """
    data = {"version": str(version), "overall_comment": ""}
    for criterion_id in criterion_ids:
        data[f"score_{criterion_id}"] = str(score)
        data[f"justification_{criterion_id}"] = text
    return data


def _stored_review(user, proposal) -> Review:
    _db.session.expire_all()
    return _db.session.scalars(select(Review).where(Review.user_id == user.id,
                                                    Review.proposal_id == proposal.id)).one()


def test_many_jurors_autosaving_at_once_each_keep_their_own_last_value(app, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    jurors = [assigned_juror(proposal) for _ in range(JURORS)]
    browsers = [browser(app, juror, number) for number, juror in enumerate(jurors)]
    url = _autosave_url(proposal)
    criteria = [c.id for c in competition.criteria]

    def typing(number: int):
        """One juror's autosave script: each save carries the version the previous answer gave."""
        client, token = browsers[number]
        version, answers = 0, []
        for step in range(SAVES_EACH):
            score = SCALE[(number + step) % len(SCALE)]
            payload = _payload(criteria, score, f"Juror {number}, Stand {step}", version)
            response = client.post(url, data={**payload, "csrf_token": token},
                                   headers={"Accept": "application/json"})
            answers.append(response.status_code)
            if response.status_code != 200:
                return answers
            version = response.get_json()["version"]
        return answers

    outcomes = run_together([lambda n=n: typing(n) for n in range(JURORS)])

    assert [o.result for o in outcomes] == [[200] * SAVES_EACH] * JURORS
    last = SAVES_EACH - 1
    for number, juror in enumerate(jurors):
        review = _stored_review(juror, proposal)
        assert review.version == SAVES_EACH
        assert review.status == "draft"
        expected = SCALE[(number + last) % len(SCALE)]
        for criterion in competition.criteria:
            score = review.score_for(criterion.id)
            assert score.value == expected
            assert score.justification == f"Juror {number}, Stand {last}"


def test_two_tabs_autosaving_with_the_same_version_one_wins_the_other_gets_409(app, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    juror = assigned_juror(proposal)
    tabs = [browser(app, juror, number) for number in range(2)]
    url = _autosave_url(proposal)
    criteria = [c.id for c in competition.criteria]
    first = tabs[0][0].post(url, data={**_payload(criteria, 1, "Anfang", 0), "csrf_token": tabs[0][1]})
    assert first.status_code == 200
    version = first.get_json()["version"]

    for round_number in range(4):  # several rounds: a race that is lost only sometimes still shows
        texts = [f"Runde {round_number}, Tab {tab}" for tab in range(2)]

        def save(tab: int, version=version, texts=texts):
            client, token = tabs[tab]
            payload = _payload(criteria, tab + 2, texts[tab], version)
            response = client.post(url, data={**payload, "csrf_token": token})
            return response.status_code, response.get_json()

        outcomes = run_together([lambda t=t: save(t) for t in range(2)])
        statuses = sorted(o.result[0] for o in outcomes)
        assert statuses == [200, 409], statuses
        winner = next(o.index for o in outcomes if o.result[0] == 200)
        loser = next(o.result[1] for o in outcomes if o.result[0] == 409)
        assert loser["ok"] is False and loser["conflict"] is True
        assert "in einem anderen Tab oder Fenster geändert" in loser["message"]

        review = _stored_review(juror, proposal)
        assert review.version == version + 1
        for criterion in competition.criteria:
            score = review.score_for(criterion.id)
            assert (score.value, score.justification) == (Decimal(winner + 2), texts[winner])
        version = review.version


def test_two_tabs_starting_a_new_review_at_once_create_exactly_one(app, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    juror = assigned_juror(proposal)
    tabs = [browser(app, juror, number) for number in range(3)]
    url = _autosave_url(proposal)
    criteria = [c.id for c in competition.criteria]

    def save(tab: int):
        client, token = tabs[tab]
        payload = _payload(criteria, 3, f"Tab {tab}", 0)
        return client.post(url, data={**payload, "csrf_token": token}).status_code

    outcomes = run_together([lambda t=t: save(t) for t in range(3)])

    assert sorted(o.result for o in outcomes) == [200, 409, 409]
    winner = next(o.index for o in outcomes if o.result == 200)
    review = _stored_review(juror, proposal)  # .one(): exactly one review row
    assert review.version == 1
    assert {review.score_for(c.id).justification for c in competition.criteria} == {f"Tab {winner}"}
