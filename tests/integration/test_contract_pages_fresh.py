"""The contract page and the portfolio show every change at once, though their bodies are kept in the one cache.

The bodies are keyed by the competition's contracts stamp, which every ORM write of what the pages
show renews (app/contracts/stamp_inputs.py): a change from a request, a command or a script using
the models shows on the next request.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from app.contracts import release
from app.contracts.models import Contract, Milestone
from tests.builders.contracts import accepted_value, in_request, worked_example_contract
from tests.factories import AdminFactory
from tests.web import login, post_form


@pytest.fixture
def signed(db, login_as):
    """The worked example, signed, with the admin logged in: (admin, contract, "member companies" milestone)."""
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    login_as(admin)
    return admin, contract, members


def test_an_accepted_report_shows_at_once(client, signed):
    admin, contract, members = signed
    before = client.get(f"/admin/contracts/{contract.id}").text
    assert "anerkannt, Teilzahlung offen" not in before
    accepted_value(members, 20, admin)
    after = client.get(f"/admin/contracts/{contract.id}").text
    assert "anerkannt, Teilzahlung offen" in after


def test_a_change_made_outside_a_request_shows_at_once(client, db, signed):
    _admin, contract, members = signed
    assert "Neue Mitglieder" not in client.get(f"/admin/contracts/{contract.id}").text
    db.session.get(Milestone, members.id).title = "Neue Mitglieder"  # as a command or script would
    db.session.commit()
    assert "Neue Mitglieder" in client.get(f"/admin/contracts/{contract.id}").text


def test_each_language_and_viewer_gets_its_own_body(app, client, signed):
    _admin, contract, _members = signed
    german = client.get(f"/admin/contracts/{contract.id}").text
    post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    english = client.get(f"/admin/contracts/{contract.id}").text
    assert '<h2 id="h-milestones" class="h4">Meilensteine</h2>' in german
    assert '<h2 id="h-milestones" class="h4">Milestones</h2>' in english

    operator = app.test_client()
    login(operator, contract.proposal.applicant.email)
    own = operator.get(f"/my/contracts/{contract.id}").text
    assert "Fortschritt berichten" in own  # the operator's report buttons, never the admin's
    assert "Bericht prüfen" not in own and "Bearbeiten" not in own


def test_the_next_day_is_rendered_anew(app, signed):
    """Overdue marks depend on today."""
    admin, contract, _members = signed  # "member companies" is due on 1 November 2003
    pages = []
    for moment in (datetime(2003, 10, 31, 12, tzinfo=UTC), datetime(2003, 11, 2, 12, tzinfo=UTC)):
        with time_machine.travel(moment, tick=False):
            visitor = app.test_client()  # logged in on that day (a session from the future would not count)
            login(visitor, admin.email)
            pages.append(visitor.get(f"/admin/contracts/{contract.id}").text)
    on_time, late = pages
    assert on_time.count("überfällig") < late.count("überfällig")


def test_the_portfolio_shows_a_payment_at_once(client, db, signed):
    admin, contract, members = signed
    first = client.get("/admin/contracts").text
    accepted_value(members, 25, admin)  # the target: the full tranche of 60,000.00
    with in_request():
        release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
        db.session.commit()
    after = client.get("/admin/contracts").text
    assert "45.000,00" not in first and "45.000,00" in after  # paid by the EU (75 % of the tranche)


def test_the_portfolio_shows_a_change_made_outside_a_request(client, db, signed):
    _admin, contract, _members = signed
    assert "2.400.000,00" not in client.get("/admin/contracts").text
    db.session.get(Contract, contract.id).amount_cents = 240_000_000  # as a command or script would
    db.session.commit()
    assert "2.400.000,00" in client.get("/admin/contracts").text


def test_a_contract_write_moves_only_its_competitions_contracts_stamp(db, signed):
    admin, contract, members = signed
    other = worked_example_contract(admin)[0].competition
    competition = contract.competition
    before = (competition.contracts_stamp, competition.ranking_stamp, other.contracts_stamp)
    db.session.get(Milestone, members.id).title = "Neue Mitglieder"
    db.session.commit()
    db.session.refresh(competition)
    db.session.refresh(other)
    assert competition.contracts_stamp != before[0]
    assert competition.ranking_stamp == before[1]  # the ranking is not computed from contracts
    assert other.contracts_stamp == before[2]
