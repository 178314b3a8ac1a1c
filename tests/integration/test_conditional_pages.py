"""The ranking, statistics and progress pages answer conditional GETs: 304 while nothing they show has changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.core import cache
from app.extensions import db as _db
from app.jury.models import Review, Score
from app.ranking import service
from tests.builders.ranking import hand_computed
from tests.factories import AdminFactory
from tests.web import login, post_form


@pytest.fixture
def hc(db):
    """The hand-computed competition in the decision phase."""
    cache.clear()
    return hand_computed()


@pytest.fixture
def computations(monkeypatch):
    """How often a ranking is asked for (computed or taken from the cache)."""
    calls = []
    original = service.compute_ranking

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "compute_ranking", counting)
    return calls


def _url(hc, tail: str) -> str:
    return f"/admin/competitions/{hc.competition.id}/{tail.format(p3=hc.p3.id)}"


def _logged_in(client, user):
    login(client, user.email)
    client.get("/")  # shows (and so ends) the login's welcome message, if any
    return client


def _change_a_score(hc) -> None:
    score = _db.session.scalar(select(Score).join(Review, Review.id == Score.review_id).where(
        Score.criterion_id == hc.a.id, Review.proposal_id == hc.p3.id, Review.user_id == hc.jurors[2].id))
    score.value = Decimal("5")  # p3's A: 3, 4, 5 -> mean 4, total 13
    _db.session.commit()


@pytest.mark.parametrize("tail", ["ranking", "ranking?method=median", "ranking/proposals/{p3}", "statistics",
                                  "progress", "ranking/weights?w_1=1"])
def test_an_unchanged_page_answers_304_without_a_body(client, hc, rendered_templates, tail):
    _logged_in(client, hc.admin)
    first = client.get(_url(hc, tail))
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    rendered = len(rendered_templates)
    again = client.get(_url(hc, tail), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "private, no-cache"
    assert len(rendered_templates) == rendered  # nothing rendered


def test_a_304_computes_nothing(client, hc, computations):
    _logged_in(client, hc.admin)
    etag = client.get(_url(hc, "ranking")).headers["ETag"]
    assert len(computations) == 1
    assert client.get(_url(hc, "ranking"), headers={"If-None-Match": etag}).status_code == 304
    assert len(computations) == 1


def test_a_score_change_gives_the_new_page(client, hc):
    _logged_in(client, hc.admin)
    first = client.get(_url(hc, "ranking"))
    assert "11,00" in first.text  # p3's total
    _change_a_score(hc)
    after = client.get(_url(hc, "ranking"), headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != first.headers["ETag"]
    assert "11,00" not in after.text and "13,00" in after.text


def test_a_score_change_gives_new_statistics_and_progress(client, hc):
    _logged_in(client, hc.admin)
    tags = {tail: client.get(_url(hc, tail)).headers["ETag"] for tail in ("statistics", "progress")}
    _change_a_score(hc)
    for tail, etag in tags.items():
        assert client.get(_url(hc, tail), headers={"If-None-Match": etag}).status_code == 200


def test_another_viewer_or_language_or_method_gets_its_own_page(app, client, hc):
    _logged_in(client, hc.admin)
    etag = client.get(_url(hc, "ranking")).headers["ETag"]
    other_admin = _logged_in(app.test_client(), AdminFactory())
    assert other_admin.get(_url(hc, "ranking"), headers={"If-None-Match": etag}).status_code == 200
    juror = _logged_in(app.test_client(), hc.jurors[0])
    assert juror.get(_url(hc, "ranking"), headers={"If-None-Match": etag}).status_code == 200
    assert client.get(_url(hc, "ranking?method=median"), headers={"If-None-Match": etag}).status_code == 200
    post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    english = client.get(_url(hc, "ranking"), headers={"If-None-Match": etag})
    assert english.status_code == 200 and "Scores are shown to two decimals" in english.text


def test_a_page_with_a_message_is_never_reused(client, hc):
    """A message flashed for the next page belongs to that response only, so it gets no ETag."""
    _logged_in(client, hc.admin)
    etag = client.get(_url(hc, "ranking")).headers["ETag"]
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Eine Nachricht")]
    shown = client.get(_url(hc, "ranking"), headers={"If-None-Match": etag})
    assert shown.status_code == 200 and "Eine Nachricht" in shown.text and "ETag" not in shown.headers


def test_the_ranking_page_is_computed_when_redis_is_down(app, client, hc, monkeypatch):
    from flask_caching.backends import RedisCache

    from app.extensions import cache as cache_extension
    from tests.builders.fake_redis import FakeRedis

    monkeypatch.setitem(app.extensions["cache"], cache_extension, RedisCache(host=FakeRedis(broken=True)))
    _logged_in(client, hc.admin)
    response = client.get(_url(hc, "ranking"))
    assert response.status_code == 200 and "11,00" in response.text
