"""The admin proposal list shows its query and every change at once, even one made by raw SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from app.core.time import utcnow
from app.proposals.models import Proposal
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory
from tests.web import without_tokens


@pytest.fixture
def listed(db, login_as):
    """A competition with a submitted and a draft proposal, and the admin logged in."""
    competition = CompetitionFactory()
    submitted = ProposalFactory(competition=competition, status="submitted", receipt_number="R-0001",
                                submitted_at=utcnow() - timedelta(days=1), network_name="Netzwerk Nordlicht",
                                snapshot={"network_name": "x"})
    ProposalFactory(competition=competition, status="draft", network_name="Netzwerk Entwurf")
    db.session.commit()
    login_as(AdminFactory())
    return competition, submitted


def test_each_query_shows_its_rows_and_search(client, listed):
    competition, _submitted = listed
    path = f"/admin/competitions/{competition.id}/proposals"
    first, again = client.get(path), client.get(path)
    searched = client.get(f"{path}?q=Netzwerk")  # the same rows as unfiltered, but the form shows the search
    filtered = client.get(f"{path}?status=draft")
    assert first.status_code == again.status_code == filtered.status_code == searched.status_code == 200
    assert without_tokens(first.text) == without_tokens(again.text)
    assert "Netzwerk Nordlicht" in first.text and "Netzwerk Entwurf" in first.text
    assert "Netzwerk Nordlicht" not in filtered.text and "Netzwerk Entwurf" in filtered.text
    assert 'value="Netzwerk"' in searched.text and 'value="Netzwerk"' not in first.text


def test_a_change_shows_at_once_even_when_made_outside_the_app(client, db, listed):
    competition, submitted = listed
    path = f"/admin/competitions/{competition.id}/proposals"
    assert "Netzwerk Polarstern" not in client.get(path).text
    db.session.execute(update(Proposal).where(Proposal.id == submitted.id).values(network_name="Netzwerk Polarstern"))
    db.session.commit()
    assert "Netzwerk Polarstern" in client.get(path).text


def test_a_new_proposal_changes_the_counts_at_once(client, db, listed):
    competition, _submitted = listed
    path = f"/admin/competitions/{competition.id}/proposals"
    assert "2 Anträge entsprechen" in client.get(path).text
    ProposalFactory(competition=competition, status="draft", network_name="Netzwerk Dritter")
    db.session.commit()
    after = client.get(path).text
    assert "3 Anträge entsprechen" in after and "Netzwerk Dritter" in after
