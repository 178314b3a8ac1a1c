"""Other jurors' reviews: visibility modes, pseudonyms for jurors, names for admins, nothing for conflicted jurors."""

from __future__ import annotations

import pytest

from app.extensions import db as _db
from app.jury.models import Consensus, DiscussionPost
from tests.builders.jury import assigned_juror, juror, pool_proposal
from tests.builders.scoring import review_competition, submitted_review
from tests.factories import AdminFactory, ConflictFactory, ReviewFactory
from tests.web import csrf_token

OTHER_TEXT = "Sehr starke Verankerung im Programmgebiet"


def _setting(visibility: str):
    competition = review_competition(other_reviews_visibility=visibility)
    proposal = pool_proposal(competition)
    me = assigned_juror(proposal, name="Erika Eigen")
    other = assigned_juror(proposal, name="Otto Anders")
    submitted_review(other, proposal, [4.5, 2], justification=OTHER_TEXT)
    return proposal, me, other


def _reviews_page(client, proposal) -> str:
    response = client.get(f"/jury/proposals/{proposal.id}/reviews")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("visibility,before_own,after_own", [
    ("never", False, False),
    ("after_own", False, True),
    ("always", True, True),
])
def test_visibility_modes(client, login_as, db, visibility, before_own, after_own):
    proposal, me, _other = _setting(visibility)
    login_as(me)
    assert (OTHER_TEXT in _reviews_page(client, proposal)) is before_own
    submitted_review(me, proposal, [3, 3])
    body = _reviews_page(client, proposal)
    assert (OTHER_TEXT in body) is after_own
    if not after_own:
        assert "4,5" not in body  # not even the scores


def test_a_draft_of_my_own_does_not_unlock_after_own(client, login_as, db):
    proposal, me, _other = _setting("after_own")
    ReviewFactory(proposal=proposal, user=me, status="draft")
    login_as(me)
    assert OTHER_TEXT not in _reviews_page(client, proposal)


def test_jurors_see_pseudonyms_not_names(client, login_as, db):
    proposal, me, other = _setting("always")
    third = assigned_juror(proposal, name="Dora Dritte")
    submitted_review(third, proposal, [1, 1], justification="Wenig Substanz")
    login_as(me)
    body = _reviews_page(client, proposal)
    assert "Otto Anders" not in body and "Dora Dritte" not in body
    assert "Bewertung von Jurymitglied A" in body and "Bewertung von Jurymitglied B" in body
    assert OTHER_TEXT in body and "Wenig Substanz" in body


def test_pseudonyms_follow_first_participation_and_stay_stable(client, login_as, db):
    proposal, me, other = _setting("always")  # other's review exists first: Juror A
    login_as(me)
    body = _reviews_page(client, proposal)
    assert "Bewertung von Jurymitglied A" in body and OTHER_TEXT in body
    late = assigned_juror(proposal, name="Lena Später")
    submitted_review(late, proposal, [2, 2], justification="Späte Sicht")
    body = _reviews_page(client, proposal)
    # Other keeps A; the newcomer gets the next letter.
    a_section = body.split("Bewertung von Jurymitglied A")[1].split("Bewertung von Jurymitglied")[0]
    assert OTHER_TEXT in a_section
    assert "Bewertung von Jurymitglied B" in body


def test_admin_sees_names(client, login_as, db):
    proposal, _me, _other = _setting("never")
    login_as(AdminFactory())
    body = _reviews_page(client, proposal)
    assert "Otto Anders" in body and OTHER_TEXT in body


def test_rapporteur_sees_the_reviews_even_when_jurors_never_do(client, login_as, db):
    proposal, me, _other = _setting("never")
    _db.session.add(Consensus(proposal_id=proposal.id, rapporteur_id=me.id, status="draft", version=1,
                              report="", minority_view=""))
    _db.session.commit()
    login_as(me)
    assert OTHER_TEXT in _reviews_page(client, proposal)
    consensus_page = client.get(f"/jury/proposals/{proposal.id}/consensus").get_data(as_text=True)
    assert "Punktzahlen der einzelnen Bewertungen" in consensus_page and "4,5" in consensus_page


def test_unassigned_signed_juror_sees_reviews_only_in_always_mode(client, login_as, db):
    proposal, _me, _other = _setting("after_own")
    reader = juror(proposal.competition)
    login_as(reader)
    assert OTHER_TEXT not in _reviews_page(client, proposal)


def test_conflicted_juror_sees_no_reviews_even_in_always_mode(client, login_as, db):
    proposal, me, _other = _setting("always")
    ConflictFactory(proposal=proposal, user=me)
    login_as(me)
    response = client.get(f"/jury/proposals/{proposal.id}/reviews")
    assert response.status_code == 404
    assert OTHER_TEXT not in response.get_data(as_text=True)


def test_discussion_shows_pseudonyms_to_jurors_and_names_to_admins(client, login_as, db):
    proposal, me, other = _setting("always")
    _db.session.add(DiscussionPost(proposal_id=proposal.id, author_id=other.id, body="Ich sehe das kritisch."))
    _db.session.commit()
    login_as(me)
    body = client.get(f"/jury/proposals/{proposal.id}/discussion").get_data(as_text=True)
    assert "Ich sehe das kritisch." in body and "Jurymitglied A" in body and "Otto Anders" not in body
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login_as(AdminFactory())
    body = client.get(f"/jury/proposals/{proposal.id}/discussion").get_data(as_text=True)
    assert "Otto Anders" in body
