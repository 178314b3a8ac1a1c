"""Admin pages for competitions: access, create, edit, phases and criteria, all audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select

from app.competitions.models import Competition, Criterion
from app.core.models import AuditEvent
from app.core.time import utcnow
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, UserFactory
from tests.web import post_form

NEW = "/admin/competitions/new"


def form_data(**changes) -> dict:
    """The create/edit form as a German-speaking admin fills it in."""
    data = {
        "title": "Ideenwettbewerb Unternehmensnetzwerke Leipziger Westen",
        "programme": "URBAN II Leipziger Westen",
        "measure": "1.2 Förderung vernetzter Wirtschaftsstrukturen",
        "call_text": "Die Stadt Leipzig ruft Unternehmen auf, **Netzwerkideen** einzureichen.",
        "eligibility_rules": "Sitz im Programmgebiet\nMindestens drei Partnerunternehmen",
        "sectors": "Automobilzulieferer\nVirtuelle Produktentwicklung\nEnergie- und Umwelttechnik",
        "timezone": "Europe/Berlin",
        "submission_opens_at": "2030-03-01T09:00",
        "submission_deadline": "2030-05-31T12:00",
        "review_deadline": "2030-07-15T18:00",
        "winners_min": "3", "winners_max": "5",
        "budget": "1.500.000,00",
        "funding_sources-0-name": "EFRE", "funding_sources-0-share": "75",
        "funding_sources-1-name": "Stadt", "funding_sources-1-share": "25",
        "funding_sources-2-name": "", "funding_sources-2-share": "",
        "funding_sources-3-name": "", "funding_sources-3-share": "",
        "contract_months": "24",
        "scale_min": "0", "scale_max": "5", "scale_step": "0,5",
        "reviews_per_proposal": "3",
        "other_reviews_visibility": "after_own",
        "use_default_criteria": "y",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def criterion_form(**changes) -> dict:
    data = {"name_de": "Innovationsgrad", "name_en": "Degree of innovation", "rubric_de": "0 – keine\n5 – hoch",
            "rubric_en": "0 – none\n5 – high", "weight": "0,5", "threshold": "2,5", "priority": "7"}
    data.update(changes)
    return data


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def competition_events(db) -> list[str]:
    """Audit actions on competitions and criteria (logging in is audited too, but not counted here)."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).where(~AuditEvent.action.like("user.%"))
                                   .order_by(AuditEvent.id)))


@pytest.fixture
def admin(login_as):
    return login_as(AdminFactory())


# --- access -----------------------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/competitions",
    "/admin/competitions/new",
    "/admin/competitions/{id}",
    "/admin/competitions/{id}/edit",
    "/admin/competitions/{id}/criteria",
    "/admin/competitions/{id}/criteria/{criterion}/edit",
]
ADMIN_POSTS = [
    "/admin/competitions/{id}/advance",
    "/admin/competitions/{id}/criteria/{criterion}/delete",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("who,status", [("anonymous", 302), ("applicant", 403), ("admin", 200)])
def test_admin_pages_per_role(client, db, login_as, path, who, status):
    criterion = CriterionFactory(competition=CompetitionFactory(phase="draft"))
    if who == "applicant":
        login_as(UserFactory())
    elif who == "admin":
        login_as(AdminFactory())
    response = client.get(path.format(id=criterion.competition_id, criterion=criterion.id))
    assert response.status_code == status
    if who == "anonymous":
        assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", ADMIN_POSTS)
@pytest.mark.parametrize("who,status", [("anonymous", 302), ("applicant", 403)])
def test_admin_actions_refused_to_others(client, db, login_as, path, who, status):
    criterion = CriterionFactory(competition=CompetitionFactory(phase="draft"))
    if who == "applicant":
        login_as(UserFactory())
    url = path.format(id=criterion.competition_id, criterion=criterion.id)
    response = post_form(client, url, {"target_phase": "open"}, token_from="/")
    assert response.status_code == status
    assert count(db, Criterion) == 1
    assert db.session.get(Competition, criterion.competition_id).phase == "draft"


@pytest.mark.parametrize("path", [
    "/admin/competitions/999999", "/admin/competitions/999999/edit", "/admin/competitions/999999/criteria",
])
def test_missing_competition_is_404(client, db, admin, path):
    assert client.get(path).status_code == 404


def test_criterion_of_another_competition_is_404(client, db, admin):
    mine = CompetitionFactory(phase="draft")
    foreign = CriterionFactory(competition=CompetitionFactory(phase="draft"))
    assert client.get(f"/admin/competitions/{mine.id}/criteria/{foreign.id}/edit").status_code == 404
    response = post_form(client, f"/admin/competitions/{mine.id}/criteria/{foreign.id}/delete", {},
                         token_from="/")
    assert response.status_code == 404
    assert count(db, Criterion) == 1


# --- list, create, edit -----------------------------------------------------------------

def test_admin_list_shows_phase_and_deadline(client, db, admin):
    CompetitionFactory(title="Wettbewerb A", phase="draft", submission_deadline=datetime(2030, 5, 31, 10, tzinfo=UTC))
    CompetitionFactory(title="Wettbewerb B", phase="review")
    body = client.get("/admin/competitions").get_data(as_text=True)
    assert "Wettbewerb A" in body and "Wettbewerb B" in body
    assert "Entwurf" in body and "Bewertung" in body
    assert "31.05.2030, 12:00 Uhr" in body


def test_create_form_is_prefilled_with_the_defaults(client, db, admin):
    body = client.get(NEW).get_data(as_text=True)
    assert "Automobilzulieferer" in body and "Energie- und Umwelttechnik" in body
    assert 'value="EFRE"' in body and 'value="Stadt"' in body and 'value="75"' in body
    assert "Clusterpotenzial" in body and "Qualität und Umsetzbarkeit des Maßnahmenkatalogs" in body
    assert 'name="use_default_criteria"' in body and "checked" in body


def test_create_stores_utc_money_and_default_criteria_and_audits(client, db, admin):
    response = post_form(client, NEW, form_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    competition = db.session.scalar(select(Competition))
    assert response.headers["Location"] == f"/admin/competitions/{competition.id}"
    assert competition.phase == "draft"
    assert competition.submission_deadline == datetime(2030, 5, 31, 10, 0, tzinfo=UTC)
    assert competition.submission_opens_at == datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    assert competition.budget_cents == 150_000_000
    assert competition.scale_step == Decimal("0.5")
    assert competition.funding_sources == [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}]
    assert competition.sectors == ["Automobilzulieferer", "Virtuelle Produktentwicklung", "Energie- und Umwelttechnik"]
    assert len(competition.criteria) == 6
    events = competition_events(db)
    assert events.count("competition.created") == 1 and events.count("criterion.created") == 6


def test_create_without_default_criteria(client, db, admin):
    assert post_form(client, NEW, form_data(use_default_criteria=None)).status_code == 302
    assert count(db, Criterion) == 0


def test_funding_shares_75_and_24_9_are_refused_and_nothing_saved(client, db, admin):
    response = post_form(client, NEW, form_data(**{"funding_sources-1-share": "24,9"}))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Die Finanzierungsanteile müssen zusammen genau 100 % ergeben (derzeit: 99,9 %)." in body
    assert 'value="24,9"' in body  # what the admin typed stays
    assert 'value="Ideenwettbewerb Unternehmensnetzwerke Leipziger Westen"' in body
    assert count(db, Competition) == 0 and competition_events(db) == []


@pytest.mark.parametrize("changes,message", [
    ({"budget": "1.500.000,0x"}, "Bitte geben Sie einen Betrag in Euro ein"),
    ({"submission_deadline": "2030-03-31T02:30"}, "Diese Uhrzeit gibt es in der Zeitzone Europe/Berlin nicht"),
    ({"submission_opens_at": "2030-06-01T09:00"}, "Die Einreichung muss vor der Einreichungsfrist beginnen."),
    ({"scale_step": "0,3"}, "Vielfaches der Schrittweite"),
    ({"winners_min": "5", "winners_max": "3"}, "Die höchste Zahl der Gewinner"),
    ({"title": ""}, "Bitte korrigieren Sie die markierten Felder."),
])
def test_invalid_input_is_refused_with_a_message(client, db, admin, changes, message):
    response = post_form(client, NEW, form_data(**changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert count(db, Competition) == 0


def test_edit_shows_local_times_and_saves_with_audit(client, db, admin):
    competition = CompetitionFactory(phase="draft", submission_deadline=datetime(2030, 5, 31, 10, tzinfo=UTC),
                                     submission_opens_at=datetime(2030, 3, 1, 8, tzinfo=UTC),
                                     review_deadline=datetime(2030, 7, 15, 16, tzinfo=UTC))
    url = f"/admin/competitions/{competition.id}/edit"
    body = client.get(url).get_data(as_text=True)
    assert 'value="2030-05-31T12:00"' in body  # Berlin wall-clock time, not UTC
    assert 'value="1.500.000,00"' in body
    assert 'name="use_default_criteria"' not in body
    response = post_form(client, url, form_data(title="Zweiter Aufruf", submission_deadline="2030-06-30T23:59",
                                                use_default_criteria=None))
    assert response.status_code == 302
    db.session.expire_all()
    competition = db.session.get(Competition, competition.id)
    assert competition.title == "Zweiter Aufruf"
    assert competition.submission_deadline == datetime(2030, 6, 30, 21, 59, tzinfo=UTC)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.updated"))
    assert event.after["title"] == "Zweiter Aufruf" and event.before["title"] != "Zweiter Aufruf"


# --- phases -----------------------------------------------------------------------------

def test_detail_shows_phase_progress_and_what_is_missing(client, db, admin):
    competition = CompetitionFactory(phase="draft", call_text="", funding_sources=[])
    body = client.get(f"/admin/competitions/{competition.id}").get_data(as_text=True)
    assert 'aria-current="step"' in body
    for label in ("Entwurf", "Einreichung offen", "Vorprüfung", "Bewertung", "Konsens", "Entscheidung",
                  "Vertragsabschluss", "Abgeschlossen"):
        assert label in body
    assert "Nächste Phase: Einreichung offen" in body
    assert "Der Aufrufstext fehlt." in body
    assert "Mindestens ein Bewertungskriterium ist erforderlich." in body
    assert "Die Finanzierungsanteile müssen zusammen 100 % ergeben (derzeit: 0 %)." in body
    assert "disabled" in body


def test_advancing_a_ready_draft_opens_it_once(client, db, admin):
    competition = CompetitionFactory(phase="draft")
    CriterionFactory(competition=competition)
    url = f"/admin/competitions/{competition.id}"
    body = client.get(url).get_data(as_text=True)
    assert "Alle Voraussetzungen für die nächste Phase sind erfüllt." in body
    assert 'data-confirm="Den Wettbewerb wirklich in die Phase' in body
    response = post_form(client, url + "/advance", {"target_phase": "open"}, token_from=url, follow_redirects=True)
    assert "Der Wettbewerb ist jetzt in der Phase „Einreichung offen“." in response.get_data(as_text=True)
    assert db.session.get(Competition, competition.id).phase == "open"
    # A second click on the same (stale) button does not skip a phase.
    response = post_form(client, url + "/advance", {"target_phase": "open"}, token_from=url, follow_redirects=True)
    assert "nur in die nächste Phase" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).phase == "open"
    assert competition_events(db) == ["competition.phase_changed"]


def test_advancing_with_unmet_requirements_is_refused(client, db, admin):
    competition = CompetitionFactory(phase="draft", call_text="")
    url = f"/admin/competitions/{competition.id}"
    response = post_form(client, url + "/advance", {"target_phase": "open"}, token_from=url, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Die nächste Phase kann noch nicht beginnen" in body and "Der Aufrufstext fehlt." in body
    assert db.session.get(Competition, competition.id).phase == "draft"
    assert competition_events(db) == []


def test_advance_without_csrf_is_refused(client, db, admin):
    competition = CompetitionFactory(phase="draft")
    CriterionFactory(competition=competition)
    response = client.post(f"/admin/competitions/{competition.id}/advance", data={"target_phase": "open"})
    assert response.status_code == 400
    assert db.session.get(Competition, competition.id).phase == "draft"


def test_precheck_starts_only_after_the_deadline(client, db, admin):
    deadline = utcnow() + timedelta(days=2)
    competition = CompetitionFactory(phase="open", submission_deadline=deadline)
    url = f"/admin/competitions/{competition.id}"
    response = post_form(client, url + "/advance", {"target_phase": "precheck"}, token_from=url,
                         follow_redirects=True)
    assert "ist noch nicht abgelaufen" in response.get_data(as_text=True)
    assert db.session.get(Competition, competition.id).phase == "open"
    with time_machine.travel(deadline + timedelta(minutes=1)):
        body = client.get(url).get_data(as_text=True)
        assert "Alle Voraussetzungen für die nächste Phase sind erfüllt." in body
        post_form(client, url + "/advance", {"target_phase": "precheck"}, token_from=url)
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).phase == "precheck"


# --- criteria ---------------------------------------------------------------------------

def test_add_edit_and_delete_a_criterion(client, db, admin):
    competition = CompetitionFactory(phase="open")
    url = f"/admin/competitions/{competition.id}/criteria"
    assert 'value="1"' in client.get(url).get_data(as_text=True)  # the next free priority
    response = post_form(client, url, criterion_form())
    assert response.status_code == 302
    criterion = db.session.scalar(select(Criterion))
    assert (criterion.weight, criterion.threshold, criterion.priority) == (Decimal("0.5"), Decimal("2.5"), 7)

    edit_url = f"{url}/{criterion.id}/edit"
    assert 'value="Innovationsgrad"' in client.get(edit_url).get_data(as_text=True)
    response = post_form(client, edit_url, criterion_form(name_de="Innovation", weight="1,25"))
    assert response.status_code == 302
    db.session.expire_all()
    criterion = db.session.get(Criterion, criterion.id)
    assert (criterion.name_de, criterion.weight) == ("Innovation", Decimal("1.25"))

    response = post_form(client, f"{url}/{criterion.id}/delete", {}, token_from=url, follow_redirects=True)
    assert "Das Kriterium wurde gelöscht." in response.get_data(as_text=True)
    assert count(db, Criterion) == 0
    assert competition_events(db) == ["criterion.created", "criterion.updated", "criterion.deleted"]


@pytest.mark.parametrize("changes,message", [
    ({"weight": "0"}, "Die Gewichtung muss größer als 0 sein."),
    ({"threshold": "5,5"}, "Der Schwellenwert muss innerhalb der Skala liegen (0 bis 5)."),
    ({"priority": "1"}, "Ein anderes Kriterium hat bereits die Priorität 1."),
    ({"weight": "abc"}, "Bitte geben Sie eine Zahl ein"),
])
def test_invalid_criterion_is_refused(client, db, admin, changes, message):
    competition = CompetitionFactory(phase="draft")
    CriterionFactory(competition=competition, priority=1)
    url = f"/admin/competitions/{competition.id}/criteria"
    response = post_form(client, url, criterion_form(**changes))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert message in body
    assert 'value="Innovationsgrad"' in body
    assert count(db, Criterion) == 1


def test_criteria_are_locked_once_scoring_started(client, db, admin):
    competition = CompetitionFactory(phase="review")
    criterion = CriterionFactory(competition=competition, name_de="Clusterpotenzial", priority=1)
    url = f"/admin/competitions/{competition.id}/criteria"
    body = client.get(url).get_data(as_text=True)
    assert "Die Kriterien können nicht mehr geändert werden" in body
    assert "Kriterium hinzufügen" not in body and "/delete" not in body

    response = post_form(client, url, criterion_form(), token_from="/")
    assert "Die Kriterien können nicht mehr geändert werden" in response.get_data(as_text=True)
    response = post_form(client, f"{url}/{criterion.id}/edit", criterion_form(priority="1"), token_from="/")
    assert "Die Kriterien können nicht mehr geändert werden" in response.get_data(as_text=True)
    response = post_form(client, f"{url}/{criterion.id}/delete", {}, token_from="/", follow_redirects=True)
    assert "Die Kriterien können nicht mehr geändert werden" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [c.name_de for c in db.session.scalars(select(Criterion))] == ["Clusterpotenzial"]
    assert competition_events(db) == []
