"""A juror cannot apply in the competition they judge, and an applicant cannot join its jury."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.models import AuditEvent
from app.extensions import db as _db
from app.jury.models import JuryMembership
from app.proposals.models import Proposal
from tests.builders.jury import juror
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory, UserFactory
from tests.web import login, post_form

pytestmark = pytest.mark.usefixtures("fresh")


def _proposals() -> int:
    return _db.session.scalar(select(func.count(Proposal.id)))


def test_a_juror_cannot_start_a_proposal_in_their_competition(app):
    competition = CompetitionFactory()
    user = juror(competition)
    client = app.test_client()
    login(client, user.email)
    response = post_form(client, f"/calls/{competition.id}/apply", follow_redirects=True)
    assert "Mitglied der Jury" in response.get_data(as_text=True)
    assert _proposals() == 0
    assert _db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "proposal.created")) == 0


def test_the_same_juror_may_apply_in_another_competition(app):
    judged, other = CompetitionFactory(), CompetitionFactory()
    user = juror(judged)
    client = app.test_client()
    login(client, user.email)
    post_form(client, f"/calls/{other.id}/apply")
    assert _db.session.scalar(select(Proposal.competition_id)) == other.id


def test_a_removed_juror_may_apply(app):
    competition = CompetitionFactory()
    user = juror(competition)
    _db.session.scalar(select(JuryMembership).where(JuryMembership.user_id == user.id)).status = "removed"
    _db.session.commit()
    client = app.test_client()
    login(client, user.email)
    post_form(client, f"/calls/{competition.id}/apply")
    assert _proposals() == 1


def test_an_applicant_cannot_be_appointed_to_the_jury_of_the_same_competition(app):
    competition = CompetitionFactory()
    applicant = UserFactory()
    ProposalFactory(competition=competition, applicant=applicant)
    client = app.test_client()
    login(client, AdminFactory().email)
    jury = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{jury}/appoint", {"email": applicant.email, "locale": "de"}, token_from=jury)
    assert response.status_code == 200
    assert "einen Antrag" in response.get_data(as_text=True)
    assert _db.session.scalar(select(func.count(JuryMembership.id))) == 0
