"""The list of operations' fields on the competition and contract forms, and the API's rate limit per token."""

from __future__ import annotations

from sqlalchemy import select

from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.extensions import db
from tests.builders.api import bearer, issue_token
from tests.builders.contracts import worked_example_contract
from tests.factories import AdminFactory
from tests.web import login, post_form

NEW_COMPETITION = {
    "title": "Ideenwettbewerb Leipziger Westen", "timezone": "Europe/Berlin",
    "submission_opens_at": "2030-03-01T09:00", "submission_deadline": "2030-05-31T12:00",
    "review_deadline": "2030-07-15T18:00", "winners_min": "3", "winners_max": "5", "budget": "900.000,00",
    "funding_sources-0-name": "EFRE", "funding_sources-0-share": "75",
    "funding_sources-1-name": "Stadt", "funding_sources-1-share": "25",
    "contract_months": "24", "scale_min": "0", "scale_max": "5", "scale_step": "0,5",
    "reviews_per_proposal": "3", "other_reviews_visibility": "after_own",
    "eu_fund": "ERDF", "eu_funding_source": "EFRE", "specific_objective": "RSO1.3",
    "intervention_type": "021 Unternehmensentwicklung",
}


def test_competition_form_stores_the_eu_fields(client):
    login(client, AdminFactory().email)
    response = post_form(client, "/admin/competitions/new", NEW_COMPETITION)
    assert response.status_code == 302, response.get_data(as_text=True)
    competition = db.session.scalar(select(Competition))
    assert (competition.eu_fund, competition.eu_funding_source, competition.specific_objective,
            competition.intervention_type) == ("ERDF", "EFRE", "RSO1.3", "021 Unternehmensentwicklung")


def test_competition_form_refuses_an_eu_source_that_is_no_funding_source(client):
    login(client, AdminFactory().email)
    response = post_form(client, "/admin/competitions/new", {**NEW_COMPETITION, "eu_funding_source": "Bund"})
    assert response.status_code == 200
    assert "Bitte nennen Sie eine der Finanzierungsquellen." in response.get_data(as_text=True)
    assert db.session.scalar(select(Competition)) is None


def test_contract_publication_form_saves_and_audits(client):
    admin = AdminFactory()
    contract, _m = worked_example_contract(admin)
    login(client, admin.email)
    url = f"/admin/contracts/{contract.id}/publication"
    response = post_form(client, url, {"operation_purpose": "Zulieferer vernetzen",
                                       "operation_achievements": "Portal online", "location_postcode": "04229",
                                       "country": "de"})
    assert response.status_code == 302
    db.session.refresh(contract)
    assert (contract.operation_purpose, contract.location_postcode, contract.country) == \
        ("Zulieferer vernetzen", "04229", "DE")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.publication_updated"))
    assert event.after["operation_achievements"] == "Portal online"


def test_contract_publication_form_refuses_a_country_name_and_changes_nothing(client):
    admin = AdminFactory()
    contract, _m = worked_example_contract(admin)
    login(client, admin.email)
    response = post_form(client, f"/admin/contracts/{contract.id}/publication",
                         {"operation_purpose": "Neu", "country": "D1"})
    assert response.status_code == 200
    assert "Bitte geben Sie das Land als Code aus zwei Buchstaben an, z. B. DE." in response.get_data(as_text=True)
    db.session.refresh(contract)
    assert (contract.operation_purpose, contract.country) == ("", "DE")


def test_rate_limit_counts_per_token(app, client):
    admin = AdminFactory()
    first, second = issue_token(admin), issue_token(admin)
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        assert [client.get("/api/v1/competitions", headers=bearer(first)).status_code for _ in range(2)] == [200, 200]
        refused = client.get("/api/v1/competitions", headers=bearer(first, "en"))
        assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
        assert client.get("/api/v1/competitions", headers=bearer(second)).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "300 per minute"
