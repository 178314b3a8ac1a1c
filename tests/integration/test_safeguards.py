"""Safeguards that warn an administrator before harm: a deadline that shuts out drafts, weights, jurors, ties."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.core.time import utcnow
from tests.factories import AdminFactory, CompetitionFactory, ProposalFactory, UserFactory
from tests.web import login, post_form


def _local(days: int) -> str:
    """A local date-time input value `days` from now (Berlin time is close enough for days apart)."""
    return (utcnow() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _edit_form(competition: Competition, **changes) -> dict:
    """The edit form of the competition as the admin sends it, with some values changed."""
    data = {
        "title": competition.title, "programme": competition.programme, "measure": competition.measure,
        "call_text": competition.call_text, "eligibility_rules": competition.eligibility_rules,
        "sectors": "\n".join(competition.sectors), "timezone": "Europe/Berlin",
        "submission_opens_at": _local(-10), "submission_deadline": _local(30), "review_deadline": _local(60),
        "winners_min": "3", "winners_max": "5", "budget": "1.500.000,00",
        "funding_sources-0-name": "EFRE", "funding_sources-0-share": "75",
        "funding_sources-1-name": "Stadt", "funding_sources-1-share": "25",
        "contract_months": "24", "scale_min": "0", "scale_max": "5", "scale_step": "0,5",
        "reviews_per_proposal": "3", "other_reviews_visibility": "after_own",
    }
    data.update(changes)
    return data


# --- (b) a submission deadline moved into the past while drafts are open ---------------------------------


def _competition_with_drafts():
    competition = CompetitionFactory()
    ProposalFactory(competition=competition, network_name="Netzwerk Leichtbau West",
                    applicant=UserFactory(name="Anna Schmidt", organisation="Leichtbau GmbH"))
    ProposalFactory(competition=competition, network_name="Kreativquartier Plagwitz")
    return competition


def test_moving_the_deadline_into_the_past_names_the_open_drafts_and_saves_nothing(client, db):
    admin = AdminFactory()
    competition = _competition_with_drafts()
    deadline_before = competition.submission_deadline
    login(client, admin.email)
    path = f"/admin/competitions/{competition.id}/edit"
    response = post_form(client, path, _edit_form(competition, title="Neuer Titel",
                                                  submission_deadline=_local(-1)))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Netzwerk Leichtbau West (Anna Schmidt, Leichtbau GmbH)" in html
    assert "Kreativquartier Plagwitz" in html
    assert "2 offene Entwürfe könnten dann nicht mehr eingereicht werden" in html
    db.session.expire_all()
    stored = db.session.get(Competition, competition.id)
    assert stored.submission_deadline == deadline_before
    assert stored.title != "Neuer Titel"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "competition.updated")) == 0


def test_the_confirmed_deadline_in_the_past_is_saved(client, db):
    admin = AdminFactory()
    competition = _competition_with_drafts()
    login(client, admin.email)
    path = f"/admin/competitions/{competition.id}/edit"
    response = post_form(client, path, _edit_form(competition, submission_deadline=_local(-1),
                                                  confirm_deadline="y"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).submission_deadline < utcnow()


def test_a_later_deadline_needs_no_confirmation(client, db):
    admin = AdminFactory()
    competition = _competition_with_drafts()
    login(client, admin.email)
    response = post_form(client, f"/admin/competitions/{competition.id}/edit",
                         _edit_form(competition, submission_deadline=_local(40)))
    assert response.status_code == 302
