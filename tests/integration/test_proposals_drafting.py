"""Drafting a proposal through the pages: start, sections, repeatable rows, bad input, two tabs, deadline."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import time_machine
from sqlalchemy import select

from app.core.models import AuditEvent
from app.core.time import utcnow
from app.proposals.models import Proposal, ProposalKpi, ProposalMeasure, ProposalPartner
from tests.factories import CompetitionFactory, ProposalFactory, UserFactory
from tests.web import csrf_token, post_form


def page_version(client, path: str) -> str:
    """The hidden version the form was rendered with."""
    body = client.get(path).get_data(as_text=True)
    match = re.search(r'name="version"[^>]*value="(\d+)"', body) or re.search(r'value="(\d+)"[^>]*name="version"', body)
    assert match, f"no version field on {path}"
    return match.group(1)


def save(client, proposal_id: int, section: str, data: dict, **extra):
    """Post a section form with the current CSRF token and version, like a browser."""
    path = f"/proposals/{proposal_id}/edit/{section}"
    payload = {"version": page_version(client, path), **data, "save": "Save", **extra}
    return post_form(client, path, payload)


def reload(db, proposal_id: int) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id)


# --- starting a draft -----------------------------------------------------------------------------


def test_apply_creates_a_draft_prefilled_from_the_account_and_opens_the_first_section(client, db, login_as):
    user = login_as(UserFactory(name="Erika Muster", organisation="Muster GmbH", email="erika@muster.example"))
    competition = CompetitionFactory()
    response = post_form(client, f"/calls/{competition.id}/apply", token_from="/my/proposals")
    proposal = db.session.scalar(select(Proposal))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit/basics"
    assert (proposal.applicant_id, proposal.competition_id, proposal.status) == (user.id, competition.id, "draft")
    assert (proposal.lead_name, proposal.lead_contact_name, proposal.lead_contact_email) == (
        "Muster GmbH", "Erika Muster", "erika@muster.example")
    assert "proposal.created" in db.session.scalars(select(AuditEvent.action)).all()


def test_apply_is_refused_when_the_call_is_closed(client, db, login_as):
    login_as(UserFactory())
    competition = CompetitionFactory(submission_deadline=utcnow() - timedelta(minutes=1))
    response = post_form(client, f"/calls/{competition.id}/apply", token_from="/my/proposals",
                         follow_redirects=True)
    assert "Die Einreichungsfrist ist am" in response.get_data(as_text=True)
    assert db.session.scalar(select(Proposal)) is None


def test_apply_to_an_unpublished_call_is_not_found(client, db, login_as):
    login_as(UserFactory())
    competition = CompetitionFactory(phase="draft")
    assert post_form(client, f"/calls/{competition.id}/apply", token_from="/my/proposals").status_code == 404
    assert client.get(f"/calls/{competition.id}/apply").status_code == 404


def test_apply_without_csrf_token_creates_nothing(client, db, login_as):
    login_as(UserFactory())
    competition = CompetitionFactory()
    assert client.post(f"/calls/{competition.id}/apply").status_code == 400
    assert db.session.scalar(select(Proposal)) is None


def test_apply_get_asks_for_confirmation_for_example_after_login(client, db, login_as):
    login_as(UserFactory())
    competition = CompetitionFactory(title="Aufruf Leipziger Westen")
    body = client.get(f"/calls/{competition.id}/apply").get_data(as_text=True)
    assert "Aufruf Leipziger Westen" in body and "Antrag beginnen" in body
    assert db.session.scalar(select(Proposal)) is None


# --- dashboard ------------------------------------------------------------------------------------


def test_dashboard_lists_own_proposals_and_open_calls_only(client, db, login_as):
    user = login_as(UserFactory())
    mine = ProposalFactory(applicant=user, network_name="Mein Netzwerk", status="submitted",
                           receipt_number="2025-001-0007", snapshot={"x": 1})
    ProposalFactory(network_name="Fremdes Netzwerk")
    CompetitionFactory(title="Offener Aufruf")
    CompetitionFactory(title="Abgelaufener Aufruf", submission_deadline=utcnow() - timedelta(days=1))
    CompetitionFactory(title="Unveröffentlichter Aufruf", phase="draft")
    body = client.get("/my/proposals").get_data(as_text=True)
    assert "Mein Netzwerk" in body and "2025-001-0007" in body and "Eingereicht" in body
    assert mine.competition.title in body
    assert "Fremdes Netzwerk" not in body
    assert "Offener Aufruf" in body
    assert "Abgelaufener Aufruf" not in body and "Unveröffentlichter Aufruf" not in body


def test_dashboard_shows_the_deadline_in_berlin_time(client, db, login_as):
    user = login_as(UserFactory())
    competition = CompetitionFactory(submission_deadline=utcnow().replace(month=1, day=15, hour=11, minute=0,
                                                                          second=0, microsecond=0)
                                     + timedelta(days=400))
    ProposalFactory(applicant=user, competition=competition)
    body = client.get("/my/proposals").get_data(as_text=True)
    assert "12:00 Uhr" in body  # 11:00 UTC is 12:00 in Berlin in winter


# --- saving sections ------------------------------------------------------------------------------


def test_save_basics_stores_fields_increments_version_and_audits(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, network_name="", sector="")
    response = save(client, proposal.id, "basics", {
        "network_name": "  Netzwerk Medien West ", "short_name": "NMW", "sector": "Medien",
        "initiative_kind": "consultancy", "keywords": "Film, Ton"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit/basics"
    stored = reload(db, proposal.id)
    assert (stored.network_name, stored.sector, stored.initiative_kind, stored.keywords) == (
        "Netzwerk Medien West", "Medien", "consultancy", "Film, Ton")
    assert stored.version == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.section_saved"))
    assert event.before["values"]["network_name"] == "" and event.after["values"]["network_name"] == (
        "Netzwerk Medien West")


def test_save_and_continue_goes_to_the_next_section(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    response = save(client, proposal.id, "lead", {"lead_name": "Träger e.V.", "lead_town": "Leipzig"},
                    save_next="Speichern und weiter")
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit/partners"


def test_sector_must_be_one_of_the_call(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, sector="Medien")
    response = save(client, proposal.id, "basics", {"network_name": "X", "sector": "Erfunden"})
    assert response.status_code == 200
    assert reload(db, proposal.id).sector == "Medien"


def test_money_in_german_format_is_stored_in_cents(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, requested_funding_cents=None)
    save(client, proposal.id, "finances", {"duration_months": "18", "requested_funding": "1.234,56",
                                           "own_contribution": "300"})
    stored = reload(db, proposal.id)
    assert (stored.duration_months, stored.requested_funding_cents, stored.own_contribution_cents) == (
        18, 123456, 30000)
    body = client.get(f"/proposals/{proposal.id}/edit/finances").get_data(as_text=True)
    assert 'value="1.234,56"' in body


def test_money_in_english_format_when_the_ui_is_english(client, db, login_as):
    user = login_as(UserFactory(locale="en"))
    proposal = ProposalFactory(applicant=user)
    save(client, proposal.id, "finances", {"requested_funding": "1,234.50"})
    assert reload(db, proposal.id).requested_funding_cents == 123450


def test_malformed_money_is_refused_with_input_kept_and_nothing_saved(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, duration_months=24, requested_funding_cents=500_00)
    response = save(client, proposal.id, "finances", {"duration_months": "36", "requested_funding": "1.234,5x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie einen Betrag in Euro ein, z. B. 1.234,56." in body
    assert 'value="1.234,5x"' in body and 'value="36"' in body
    stored = reload(db, proposal.id)
    assert (stored.duration_months, stored.requested_funding_cents, stored.version) == (24, 500_00, 1)


def test_negative_duration_and_bad_email_are_refused(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    assert save(client, proposal.id, "finances", {"duration_months": "0"}).status_code == 200
    response = save(client, proposal.id, "lead", {"lead_contact_email": "kein-at-zeichen"})
    assert response.status_code == 200
    assert reload(db, proposal.id).version == 1


# --- repeatable rows ------------------------------------------------------------------------------


def partner_row(index: int, **values) -> dict:
    defaults = {"organisation": "", "town": "", "sector": "", "size": "", "contact_name": "", "contact_email": ""}
    return {f"partners-{index}-{key}": value for key, value in {**defaults, **values}.items()}


def test_partners_section_starts_with_one_empty_row(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    body = client.get(f"/proposals/{proposal.id}/edit/partners").get_data(as_text=True)
    assert 'id="partners-0-organisation"' in body and 'id="partners-1-organisation"' not in body


def test_add_partner_saves_the_rows_and_shows_an_empty_one(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    path = f"/proposals/{proposal.id}/edit/partners"
    response = post_form(client, path, {
        "version": page_version(client, path), "add_row": "Partner hinzufügen",
        **partner_row(0, organisation="Zulieferer A GmbH", town="Leipzig", size="small",
                      **{"in_programme_area": "y"})})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{path}?add=1#partners-1-organisation"
    stored = reload(db, proposal.id)
    assert [(p.organisation, p.town, p.size, p.in_programme_area) for p in stored.partners] == [
        ("Zulieferer A GmbH", "Leipzig", "small", True)]
    body = client.get(f"{path}?add=1").get_data(as_text=True)
    assert 'id="partners-1-organisation"' in body and 'value="Zulieferer A GmbH"' in body


def test_rows_keep_order_ignore_empty_ones_and_can_be_removed(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    save(client, proposal.id, "partners", {**partner_row(0, organisation="A", town="Leipzig"),
                                           **partner_row(1, organisation="B", town="Halle"),
                                           **partner_row(2)})
    assert [p.organisation for p in reload(db, proposal.id).partners] == ["A", "B"]
    save(client, proposal.id, "partners", {**partner_row(0, organisation="A", town="Leipzig", remove="y"),
                                           **partner_row(1, organisation="B2", town="Halle")})
    partners = reload(db, proposal.id).partners
    assert [(p.organisation, p.position) for p in partners] == [("B2", 0)]
    assert db.session.scalar(select(ProposalPartner).where(ProposalPartner.organisation == "A")) is None


def test_measures_and_kpis_with_money_and_decimals(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    save(client, proposal.id, "measures", {"measures-0-title": "Workshops", "measures-0-description": "Vier",
                                           "measures-0-period": "Monat 1 bis 6", "measures-0-cost": "12.500,00"})
    save(client, proposal.id, "kpis", {"kpis-0-indicator": "Partner", "kpis-0-unit": "Unternehmen",
                                       "kpis-0-baseline": "3", "kpis-0-target": "12,5"})
    stored = reload(db, proposal.id)
    assert [(m.title, m.cost_cents) for m in stored.measures] == [("Workshops", 1_250_000)]
    assert [(k.indicator, k.baseline, k.target) for k in stored.kpis] == [
        ("Partner", Decimal("3"), Decimal("12.5"))]
    assert stored.version == 3


def test_bad_money_in_a_row_keeps_all_rows_as_typed(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    response = save(client, proposal.id, "measures", {
        "measures-0-title": "Workshops", "measures-0-cost": "100",
        "measures-1-title": "Messe", "measures-1-cost": "1.234,5x"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Workshops"' in body and 'value="1.234,5x"' in body
    assert db.session.scalar(select(ProposalMeasure)) is None


def test_forged_company_size_is_refused(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    response = save(client, proposal.id, "partners", partner_row(0, organisation="A", size="giant"))
    assert response.status_code == 200
    assert reload(db, proposal.id).partners == []


# --- two tabs -------------------------------------------------------------------------------------


def test_second_tab_save_is_refused_and_keeps_the_typed_text(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, objectives="Alt")
    path = f"/proposals/{proposal.id}/edit/concept"
    tab_one = page_version(client, path)
    tab_two = page_version(client, path)
    token = csrf_token(client, path)
    first = client.post(path, data={"csrf_token": token, "version": tab_one, "cluster_analysis": "A",
                                    "objectives": "Aus Tab eins", "save": "1"})
    assert first.status_code == 302
    second = client.post(path, data={"csrf_token": token, "version": tab_two, "cluster_analysis": "B",
                                     "objectives": "Aus Tab zwei", "save": "1"})
    body = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "zwischenzeitlich geändert" in body
    assert "Aus Tab zwei" in body  # the user can copy what they typed
    stored = reload(db, proposal.id)
    assert (stored.objectives, stored.version) == ("Aus Tab eins", 2)


def test_missing_or_tampered_version_is_treated_as_a_conflict(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, objectives="Alt")
    path = f"/proposals/{proposal.id}/edit/concept"
    response = post_form(client, path, {"version": "abc", "objectives": "Neu", "save": "1"})
    assert "zwischenzeitlich geändert" in response.get_data(as_text=True)
    assert reload(db, proposal.id).objectives == "Alt"


# --- deadline -------------------------------------------------------------------------------------


def test_post_after_the_deadline_changes_nothing_and_says_when_it_passed(client, db, login_as):
    user = login_as(UserFactory())
    deadline = utcnow() + timedelta(minutes=30)
    proposal = ProposalFactory(applicant=user, objectives="Entwurf",
                               competition=CompetitionFactory(submission_deadline=deadline))
    path = f"/proposals/{proposal.id}/edit/concept"
    version = page_version(client, path)  # the form is opened before the deadline ...
    token = csrf_token(client, path)
    with time_machine.travel(deadline + timedelta(minutes=5)):  # ... and saved after it
        response = client.post(path, data={"csrf_token": token, "version": version, "cluster_analysis": "X",
                                           "objectives": "Nach der Frist", "save": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Die Einreichungsfrist ist am" in body and "abgelaufen" in body
    assert "Nach der Frist" in body
    stored = reload(db, proposal.id)
    assert (stored.objectives, stored.version, stored.status) == ("Entwurf", 1, "draft")


def test_edit_pages_after_the_deadline_redirect_with_the_reason(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user,
                               competition=CompetitionFactory(submission_deadline=utcnow() - timedelta(seconds=1)))
    for section in ("basics", "partners", "attachments"):
        response = client.get(f"/proposals/{proposal.id}/edit/{section}")
        assert response.headers["Location"] == f"/proposals/{proposal.id}"
    body = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Die Einreichungsfrist ist am" in body


def test_editing_a_submitted_proposal_is_refused(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, status="submitted", receipt_number="2025-001-0001",
                               snapshot={"network_name": "x"}, objectives="Eingereicht")
    response = client.get(f"/proposals/{proposal.id}/edit/concept", follow_redirects=True)
    assert "kann nicht mehr geändert werden" in response.get_data(as_text=True)
    path = f"/proposals/{proposal.id}/edit/concept"
    response = client.post(path, data={"csrf_token": csrf_token(client, f"/proposals/{proposal.id}"),
                                       "version": "1", "objectives": "Geändert", "save": "1"})
    assert "kann nicht mehr geändert werden" in response.get_data(as_text=True)
    assert reload(db, proposal.id).objectives == "Eingereicht"


def test_unknown_section_is_not_found(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    assert client.get(f"/proposals/{proposal.id}/edit/secret").status_code == 404


def test_section_navigation_marks_complete_and_incomplete_sections(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user)
    proposal.partners.append(ProposalPartner(organisation="A", town="Leipzig"))
    proposal.kpis.append(ProposalKpi(indicator="I", unit="U", baseline=Decimal(1), target=Decimal(2)))
    db.session.commit()
    body = client.get(f"/proposals/{proposal.id}/edit/basics").get_data(as_text=True)
    nav = body[body.index('id="h-sections"'):]
    status = dict(re.findall(r'/edit/(\w+)"[^>]*>[^<]*</a>\s*<span class="d-block mt-1">\s*'
                             r'<span class="badge[^"]*">(?:<span aria-hidden="true">✓</span> )?(\w+)', nav))
    assert status["basics"] == "vollständig" and status["partners"] == "vollständig"
    assert status["measures"] == "unvollständig" and status["kpis"] == "vollständig"
    assert 'aria-current="page"' in nav


def test_call_without_a_sector_list_takes_the_sector_as_free_text(client, db, login_as):
    user = login_as(UserFactory())
    proposal = ProposalFactory(applicant=user, sector="", competition=CompetitionFactory(sectors=[]))
    body = client.get(f"/proposals/{proposal.id}/edit/basics").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="sector"', body)
    save(client, proposal.id, "basics", {"network_name": "N", "sector": "Holzbau"})
    assert reload(db, proposal.id).sector == "Holzbau"


def test_english_ui_shows_english_labels_and_messages(client, db, login_as):
    user = login_as(UserFactory(locale="en"))
    proposal = ProposalFactory(applicant=user)
    body = client.get(f"/proposals/{proposal.id}/edit/partners").get_data(as_text=True)
    assert "Add partner" in body and "Remove this partner" in body
    response = save(client, proposal.id, "finances", {"requested_funding": "1,234.5x"})
    assert "Please enter an amount in euros" in response.get_data(as_text=True)
