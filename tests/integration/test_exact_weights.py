"""Weights and thresholds are shown exactly as set (0.15 stays 0,15), on every page that shows them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import review_competition, submitted_review
from tests.factories import AdminFactory
from tests.web import csrf_token


def _text(body: str) -> str:
    """The page's text without tags, whitespace collapsed (numbers sit in table cells and sentences)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _fine_weights(competition, db):
    """The first criterion weighs 0.15 with threshold 2.5 (a fixed one-decimal format would show 0,2)."""
    first = competition.criteria[0]
    first.weight, first.threshold = Decimal("0.150"), Decimal("2.50")
    db.session.commit()


def _in_english(client):
    client.post("/language", data={"locale": "en", "next": "/", "csrf_token": csrf_token(client, "/")})


@pytest.fixture
def review_setting(db):
    competition = review_competition()
    _fine_weights(competition, db)
    proposal = pool_proposal(competition)
    return {"competition": competition, "proposal": proposal, "juror": assigned_juror(proposal)}


@pytest.fixture
def consensus_setting(db):
    competition = review_competition(phase="consensus")
    _fine_weights(competition, db)
    proposal = pool_proposal(competition)
    jurors = [assigned_juror(proposal, email=f"j{n}@uni.example") for n in range(2)]
    for user, values in zip(jurors, ([4, 4.5], [1, 2]), strict=True):
        submitted_review(user, proposal, values)
    return {"competition": competition, "proposal": proposal, "juror": jurors[0]}


def test_review_form_shows_the_weight_and_threshold_as_set(client, login_as, review_setting):
    login_as(review_setting["juror"])
    url = f"/jury/proposals/{review_setting['proposal'].id}/review"
    assert "Gewichtung 0,15 · Schwellenwert 2,5" in _text(client.get(url).get_data(as_text=True))
    _in_english(client)
    assert "Weight 0.15 · threshold 2.5" in _text(client.get(url).get_data(as_text=True))


def test_consensus_page_shows_the_weight_as_set(client, login_as, consensus_setting):
    login_as(consensus_setting["juror"])
    url = f"/jury/proposals/{consensus_setting['proposal'].id}/consensus"
    german = _text(client.get(url).get_data(as_text=True))
    assert "Clusterpotenzial 0,15 " in german and "0,2" not in german
    _in_english(client)
    assert "Cluster potential 0.15 " in _text(client.get(url).get_data(as_text=True))


def test_criteria_list_and_public_call_show_weight_and_threshold_as_set(client, login_as, review_setting):
    competition = review_setting["competition"]
    login_as(AdminFactory())
    criteria = _text(client.get(f"/admin/competitions/{competition.id}/criteria").get_data(as_text=True))
    assert "Clusterpotenzial Cluster potential 0,15 " in criteria and " 2,5 " in criteria
    public = _text(client.get(f"/calls/{competition.id}").get_data(as_text=True))
    assert " 0,15 " in public and " 2,5 " in public
    _in_english(client)
    criteria = _text(client.get(f"/admin/competitions/{competition.id}/criteria").get_data(as_text=True))
    assert "Clusterpotenzial Cluster potential 0.15 " in criteria and " 2.5 " in criteria


def test_ranking_header_shows_the_weight_as_set(client, login_as, consensus_setting):
    login_as(AdminFactory())
    body = _text(client.get(f"/admin/competitions/{consensus_setting['competition'].id}/ranking")
                 .get_data(as_text=True))
    assert "Clusterpotenzial (×0,15)" in body
