"""Competition services: creation, settings, criteria, phase preconditions, and their audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import func, select

from app.competitions import services
from app.competitions.models import Competition, Criterion
from app.competitions.phases import unmet_requirements
from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.extensions import db as _db
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory

D = Decimal


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages are translated, which needs a request (German, the default)."""
    with app.test_request_context():
        yield


@pytest.fixture
def admin(db):
    return AdminFactory()


def leipzig_settings(**changes) -> services.CompetitionSettings:
    values = {
        "title": "Ideenwettbewerb Unternehmensnetzwerke Leipziger Westen",
        "programme": "URBAN II Leipziger Westen",
        "measure": "1.2 Förderung vernetzter Wirtschaftsstrukturen",
        "call_text": "Die Stadt Leipzig ruft zur Einreichung von **Netzwerkideen** auf.",
        "eligibility_rules": "Sitz im Programmgebiet\n\n  Mindestens drei Partnerunternehmen  \n",
        "sectors": ["Automobilzulieferer", "Medien"],
        "submission_opens_local": datetime(2030, 3, 1, 9, 0),
        "submission_deadline_local": datetime(2030, 5, 31, 12, 0),
        "review_deadline_local": datetime(2030, 7, 15, 18, 0),
        "budget_cents": 150_000_000,
        "funding_rows": [("EFRE", D("75")), ("Stadt", D("25")), ("", None)],
    }
    values.update(changes)
    return services.CompetitionSettings(**values)


def actions(db) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- creating and editing ---------------------------------------------------------------

def test_create_stores_utc_times_defaults_and_default_criteria_and_audits(db, admin):
    competition = services.create_competition(leipzig_settings(), admin)
    db.session.commit()
    assert competition.phase == "draft"
    # 12:00 in Berlin summer time is 10:00 UTC; 09:00 on 1 March (winter) is 08:00 UTC.
    assert competition.submission_deadline == datetime(2030, 5, 31, 10, 0, tzinfo=UTC)
    assert competition.submission_opens_at == datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
    assert competition.funding_sources == [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}]
    assert competition.eligibility_rule_list() == ["Sitz im Programmgebiet", "Mindestens drei Partnerunternehmen"]
    assert (competition.contract_months, competition.reviews_per_proposal) == (24, 3)
    assert (competition.scale_min, competition.scale_max, competition.scale_step) == (D("0"), D("5"), D("0.5"))
    assert [c.priority for c in competition.criteria] == [1, 2, 3, 4, 5, 6]
    assert competition.criteria[0].name_de == "Clusterpotenzial"
    assert competition.total_weight() == D("1")
    assert competition.default_overall_threshold() == D("3")
    assert competition.created_by_id == admin.id
    assert actions(db) == ["competition.created"] + ["criterion.created"] * 6
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.created"))
    assert created.actor_id == admin.id and created.object_id == competition.id
    assert created.after["submission_deadline"] == "2030-05-31T10:00:00+00:00"


def test_create_without_default_criteria(db, admin):
    competition = services.create_competition(leipzig_settings(), admin, with_default_criteria=False)
    assert competition.criteria == []


def test_funding_shares_not_summing_to_100_save_nothing(db, admin):
    with pytest.raises(DomainError) as caught:
        services.create_competition(leipzig_settings(funding_rows=[("EFRE", D("75")), ("Stadt", D("24.9"))]),
                                    admin)
    db.session.rollback()
    assert caught.value.field == "funding_sources"
    assert db.session.scalar(select(func.count(Competition.id))) == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_update_records_before_and_after(db, admin):
    competition = services.create_competition(leipzig_settings(), admin)
    db.session.commit()
    services.update_competition(competition, leipzig_settings(title="Neuer Titel", winners_max=4,
                                                              submission_deadline_local=datetime(2030, 12, 1, 12),
                                                              review_deadline_local=None),
                                admin)
    db.session.commit()
    assert competition.submission_deadline == datetime(2030, 12, 1, 11, 0, tzinfo=UTC)  # winter: UTC+1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.updated"))
    assert event.before["title"].startswith("Ideenwettbewerb") and event.after["title"] == "Neuer Titel"
    assert (event.before["winners_max"], event.after["winners_max"]) == (5, 4)


def test_saving_unchanged_settings_writes_no_event(db, admin):
    competition = services.create_competition(leipzig_settings(), admin)
    db.session.commit()
    services.update_competition(competition, leipzig_settings(), admin)
    assert "competition.updated" not in actions(db)


def test_deadline_in_the_spring_forward_gap_is_refused(db, admin):
    with pytest.raises(DomainError) as caught:
        services.create_competition(leipzig_settings(submission_deadline_local=datetime(2030, 3, 31, 2, 30)), admin)
    assert caught.value.field == "submission_deadline"


@pytest.mark.parametrize("changes,field", [
    ({"title": "  "}, "title"),
    ({"submission_opens_local": datetime(2030, 6, 1, 9)}, "submission_opens_at"),
    ({"review_deadline_local": datetime(2030, 5, 1, 9)}, "review_deadline"),
    ({"winners_min": 5, "winners_max": 3}, "winners_max"),
    ({"scale_step": D("0.3")}, "scale_step"),
    ({"other_reviews_visibility": "sometimes"}, "other_reviews_visibility"),
    ({"timezone": "Nowhere/City"}, "timezone"),
])
def test_invalid_settings_are_refused_with_their_field(db, admin, changes, field):
    with pytest.raises(DomainError) as caught:
        services.create_competition(leipzig_settings(**changes), admin)
    assert caught.value.field == field


def test_scale_is_fixed_once_scoring_started(db, admin):
    competition = CompetitionFactory(phase="review")
    with pytest.raises(DomainError) as caught:
        services.update_competition(competition, leipzig_settings(scale_max=D("10"), scale_step=D("1")), admin)
    assert "Punkteskala" in str(caught.value.message)


def test_scale_change_must_keep_thresholds_on_the_scale(db, admin):
    competition = CompetitionFactory(phase="draft")
    CriterionFactory(competition=competition, threshold=D("3"))
    with pytest.raises(DomainError) as caught:
        services.update_competition(competition, leipzig_settings(scale_min=D("0"), scale_max=D("2"),
                                                                  scale_step=D("1")), admin)
    assert caught.value.field == "scale_max"


# --- criteria ---------------------------------------------------------------------------

def criterion_data(**changes) -> services.CriterionData:
    values = {"name_de": "Innovationsgrad", "name_en": "Degree of innovation", "weight": D("0.5"),
              "threshold": D("2.5"), "priority": 9, "rubric_de": "0 – keine\n5 – hoch", "rubric_en": "0 – none"}
    values.update(changes)
    return services.CriterionData(**values)


def test_add_edit_delete_criterion_each_audited(db, admin):
    competition = CompetitionFactory(phase="open")
    criterion = services.add_criterion(competition, criterion_data(), admin)
    db.session.commit()
    assert criterion.rubric_lines("de") == ["0 – keine", "5 – hoch"]
    services.update_criterion(criterion, criterion_data(weight=D("2"), name_en="Innovation"), admin)
    db.session.commit()
    criterion_id = criterion.id
    services.delete_criterion(criterion, admin)
    db.session.commit()
    assert db.session.get(Criterion, criterion_id) is None
    assert actions(db) == ["criterion.created", "criterion.updated", "criterion.deleted"]
    updated = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "criterion.updated"))
    assert (updated.before["weight"], updated.after["weight"]) == ("0.500", "2.000")
    assert updated.after["name_en"] == "Innovation"
    deleted = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "criterion.deleted"))
    assert deleted.object_id == criterion_id and deleted.before["name_de"] == "Innovationsgrad"


@pytest.mark.parametrize("phase", ["review", "consensus", "decision", "contracting", "closed"])
def test_criteria_are_locked_once_scoring_started(db, admin, phase):
    competition = CompetitionFactory(phase=phase)
    existing = CriterionFactory(competition=competition, priority=1)
    for attempt in (lambda: services.add_criterion(competition, criterion_data(), admin),
                    lambda: services.update_criterion(existing, criterion_data(priority=1), admin),
                    lambda: services.delete_criterion(existing, admin)):
        with pytest.raises(DomainError) as caught:
            attempt()
        assert "Bewertung begonnen" in str(caught.value.message)
        db.session.rollback()
    assert db.session.scalar(select(func.count(Criterion.id))) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


@pytest.mark.parametrize("phase", ["draft", "open", "precheck"])
def test_criteria_can_change_before_scoring(db, admin, phase):
    competition = CompetitionFactory(phase=phase)
    kept = CriterionFactory(competition=competition, priority=1, weight=D("1"))
    dropped = CriterionFactory(competition=competition, priority=2)
    services.add_criterion(competition, criterion_data(priority=3), admin)
    services.update_criterion(kept, criterion_data(priority=1, weight=D("2")), admin)
    services.delete_criterion(dropped, admin)
    db.session.commit()

    stored = db.session.scalars(select(Criterion).order_by(Criterion.priority)).all()
    assert [(c.priority, c.name_de, c.weight) for c in stored] == [
        (1, "Innovationsgrad", D("2.000")), (3, "Innovationsgrad", D("0.500"))]
    assert actions(db) == ["criterion.created", "criterion.updated", "criterion.deleted"]


def test_priority_must_be_unique_within_the_competition_only(db, admin):
    competition = CompetitionFactory(phase="draft")
    first = CriterionFactory(competition=competition, priority=1)
    CriterionFactory(competition=CompetitionFactory(phase="draft"), priority=2)
    with pytest.raises(DomainError) as caught:
        services.add_criterion(competition, criterion_data(priority=1), admin)
    assert caught.value.field == "priority"
    services.add_criterion(competition, criterion_data(priority=2), admin)  # 2 is only taken elsewhere
    services.update_criterion(first, criterion_data(priority=1), admin)     # keeping its own priority is fine


@pytest.mark.parametrize("changes,field", [
    ({"weight": D("0")}, "weight"),
    ({"threshold": D("6")}, "threshold"),
    ({"name_en": " "}, "name_en"),
])
def test_criterion_values_are_validated(db, admin, changes, field):
    competition = CompetitionFactory(phase="draft")
    with pytest.raises(DomainError) as caught:
        services.add_criterion(competition, criterion_data(**changes), admin)
    assert caught.value.field == field


# --- phases -----------------------------------------------------------------------------

def ready_draft(**changes) -> Competition:
    competition = CompetitionFactory(phase="draft", **changes)
    CriterionFactory(competition=competition, priority=1)
    _db.session.refresh(competition)
    return competition


def test_opening_needs_title_text_future_deadline_criterion_and_full_funding(db, admin):
    competition = CompetitionFactory(phase="draft", title=" ", call_text="", submission_deadline=None,
                                     funding_sources=[{"name": "EFRE", "share": "75"}])
    problems = [str(p) for p in unmet_requirements(competition, "open")]
    assert problems == [
        "Der Titel fehlt.",
        "Der Aufrufstext fehlt.",
        "Die Einreichungsfrist fehlt.",
        "Mindestens ein Bewertungskriterium ist erforderlich.",
        "Die Finanzierungsanteile müssen zusammen 100 % ergeben (derzeit: 75 %).",
    ]
    with pytest.raises(DomainError) as caught:
        services.change_phase(competition, "open", admin)
    assert "Der Titel fehlt." in str(caught.value.message)
    db.session.rollback()
    assert db.session.get(Competition, competition.id).phase == "draft"
    assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_opening_refuses_a_past_deadline(db, admin):
    competition = ready_draft(submission_deadline=utcnow() - timedelta(minutes=1))
    problems = [str(p) for p in unmet_requirements(competition, "open")]
    assert len(problems) == 1 and "muss in der Zukunft liegen" in problems[0]


def test_opening_a_complete_draft_is_audited(db, admin):
    competition = ready_draft()
    assert unmet_requirements(competition, "open") == []
    services.change_phase(competition, "open", admin)
    db.session.commit()
    assert competition.phase == "open"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "competition.phase_changed"))
    assert (event.before, event.after, event.actor_id) == ({"phase": "draft"}, {"phase": "open"}, admin.id)


def test_phases_cannot_be_skipped_or_repeated(db, admin):
    competition = ready_draft()
    with pytest.raises(DomainError):
        services.change_phase(competition, "precheck", admin)
    with pytest.raises(DomainError):
        services.change_phase(competition, "draft", admin)
    with pytest.raises(DomainError):
        services.change_phase(competition, "nonsense", admin)


def test_precheck_needs_the_submission_deadline_to_have_passed(db, admin):
    deadline = datetime(2030, 5, 31, 10, 0, tzinfo=UTC)
    competition = CompetitionFactory(phase="open", submission_opens_at=deadline - timedelta(days=60),
                                     submission_deadline=deadline)
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        problems = [str(p) for p in unmet_requirements(competition, "precheck")]
        assert problems == ["Die Einreichungsfrist (31.05.2030, 12:00 Uhr) ist noch nicht abgelaufen."]
        with pytest.raises(DomainError):
            services.change_phase(competition, "precheck", admin)
    db.session.rollback()
    with time_machine.travel(deadline, tick=False):
        competition = db.session.get(Competition, competition.id)
        assert unmet_requirements(competition, "precheck") == []
        services.change_phase(competition, "precheck", admin)
        db.session.commit()
    assert db.session.get(Competition, competition.id).phase == "precheck"
    assert actions(db) == ["competition.phase_changed"]


# --- public lists -----------------------------------------------------------------------

def test_public_calls_split_open_and_past_and_hide_drafts(db):
    later = CompetitionFactory(phase="open", submission_deadline=utcnow() + timedelta(days=40))
    sooner = CompetitionFactory(phase="open", submission_deadline=utcnow() + timedelta(days=5))
    past = CompetitionFactory(phase="review", submission_deadline=utcnow() - timedelta(days=5))
    CompetitionFactory(phase="draft")
    current, earlier = services.public_calls()
    assert [c.id for c in current] == [sooner.id, later.id]
    assert [c.id for c in earlier] == [past.id]


def test_open_calls_teaser_lists_only_calls_accepting_proposals(db):
    accepting = CompetitionFactory(phase="open")
    CompetitionFactory(phase="open", submission_deadline=utcnow() - timedelta(hours=1))
    CompetitionFactory(phase="open", submission_opens_at=utcnow() + timedelta(days=1))
    CompetitionFactory(phase="draft")
    assert [c.id for c in services.open_calls()] == [accepting.id]
