"""Decisions: rationale required, award date, budget and winner warnings, audit, bulk, meeting, access."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import AuditEvent
from app.decisions.models import Decision
from app.decisions.services import (
    MissingRationales,
    WarningsNeedConfirmation,
    record_decision,
    record_decisions,
)
from tests.builders.decisions import decision_case
from tests.factories import AdminFactory, UserFactory
from tests.web import csrf_token, login, post_form


def decision_of(db, proposal):
    return db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all()


# --- the service -----------------------------------------------------------------------


@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_a_decision_needs_a_rationale(db, in_request, rationale):
    case = decision_case()
    with pytest.raises(DomainError) as refused:
        record_decision(case.energy, outcome="rejected", rationale=rationale, actor=case.admin)
    assert refused.value.field == "rationale"
    db.session.rollback()
    assert decision_of(db, case.energy) is None


def test_recording_a_decision_keeps_rationale_rank_and_who_decided(db, in_request):
    case = decision_case()
    from app.decisions.services import compute_ranking_view, ranks_from

    ranks = ranks_from(compute_ranking_view(case.competition, "mean"))
    record_decision(case.energy, outcome="reserve", rationale="Gute Idee, Budget erschöpft.", actor=case.admin,
                    meeting_note="Einstimmig.", rank=ranks[case.energy.id])
    db.session.commit()
    decision = decision_of(db, case.energy)
    assert (decision.outcome, decision.rationale, decision.meeting_note) == (
        "reserve", "Gute Idee, Budget erschöpft.", "Einstimmig.")
    assert (decision.rank_at_decision, decision.method_at_decision) == (3, "mean")
    assert float(decision.total_at_decision) == pytest.approx(10.0)
    assert decision.decided_by_id == case.admin.id and decision.award_date is None
    [event] = events(db, "decision.recorded")
    assert event.before is None and event.after["outcome"] == "reserve" and event.actor_id == case.admin.id


def test_awarding_defaults_the_award_date_to_today_in_berlin(db, in_request):
    case = decision_case()
    # 23:30 UTC on 31 March is already 1 April in Berlin (summer time, UTC+2).
    with time_machine.travel(datetime(2024, 3, 31, 23, 30, tzinfo=UTC), tick=False):
        record_decision(case.auto, outcome="awarded", rationale="Bestes Konzept.", actor=case.admin)
    db.session.commit()
    assert decision_of(db, case.auto).award_date == date(2024, 4, 1)


def test_the_award_date_is_editable_and_dropped_for_other_outcomes(db, in_request):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Bestes Konzept.", actor=case.admin,
                    award_date=date(2024, 5, 2))
    db.session.commit()
    assert decision_of(db, case.auto).award_date == date(2024, 5, 2)
    record_decision(case.auto, outcome="reserve", rationale="Doch Nachrückliste.", actor=case.admin,
                    award_date=date(2024, 5, 2))
    db.session.commit()
    assert decision_of(db, case.auto).award_date is None


def test_awarding_over_budget_warns_and_needs_explicit_confirmation(db, in_request):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Platz 1.", actor=case.admin)
    db.session.commit()
    # 800,000 + 600,000 EUR > 1,000,000 EUR budget.
    with pytest.raises(WarningsNeedConfirmation) as refused:
        record_decision(case.energy, outcome="awarded", rationale="Auch gut.", actor=case.admin)
    assert [w.code for w in refused.value.warnings] == ["over_budget"]
    assert "400.000,00" in str(refused.value.warnings[0].message)  # the excess, in German
    db.session.rollback()
    assert decision_of(db, case.energy) is None

    record_decision(case.energy, outcome="awarded", rationale="Auch gut.", actor=case.admin, confirm_warnings=True)
    db.session.commit()
    assert decision_of(db, case.energy).outcome == "awarded"
    event = events(db, "decision.recorded")[-1]
    assert event.after["confirmed_warnings"][0]["code"] == "over_budget"
    assert event.after["confirmed_warnings"][0]["awarded_cents"] == 140_000_000


def test_awarding_more_winners_than_the_target_warns(db, in_request):
    case = decision_case()
    record_decisions(case.competition, outcome="awarded", actor=case.admin,
                     rationales={case.auto.id: "Platz 1.", case.virtual.id: "Platz 2."})
    db.session.commit()
    with pytest.raises(WarningsNeedConfirmation) as refused:
        record_decision(case.media, outcome="awarded", rationale="Sonderfall.", actor=case.admin)
    assert {w.code for w in refused.value.warnings} == {"too_many_winners", "over_budget"}


def test_resaving_an_existing_award_does_not_warn_again(db, in_request):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Platz 1.", actor=case.admin)
    record_decision(case.energy, outcome="awarded", rationale="Platz 3.", actor=case.admin, confirm_warnings=True)
    db.session.commit()
    record_decision(case.energy, outcome="awarded", rationale="Platz 3, präzisiert.", actor=case.admin)
    db.session.commit()
    assert decision_of(db, case.energy).rationale == "Platz 3, präzisiert."


def test_changing_a_decision_is_audited_with_before_and_after(db, in_request):
    case = decision_case()
    record_decision(case.virtual, outcome="shortlisted", rationale="Engere Wahl.", actor=case.admin)
    db.session.commit()
    record_decision(case.virtual, outcome="awarded", rationale="Überzeugt in der Sitzung.", actor=case.admin,
                    award_date=date(2024, 6, 3))
    db.session.commit()
    [event] = events(db, "decision.changed")
    assert event.before["outcome"] == "shortlisted" and event.before["rationale"] == "Engere Wahl."
    assert event.after["outcome"] == "awarded" and event.after["award_date"] == "2024-06-03"
    assert event.object_type == "decisions" and event.object_id == decision_of(db, case.virtual).id


def test_saving_an_unchanged_decision_adds_no_event(db, in_request):
    case = decision_case()
    record_decision(case.media, outcome="rejected", rationale="Schwellenwert B verfehlt.", actor=case.admin)
    record_decision(case.media, outcome="rejected", rationale="Schwellenwert B verfehlt.", actor=case.admin)
    db.session.commit()
    assert len(events(db, "decision.recorded")) == 1 and events(db, "decision.changed") == []


def test_bulk_decision_keeps_each_rationale(db, in_request):
    case = decision_case()
    rationales = {case.energy.id: "Solide, aber Budget.", case.media.id: "Wirkung zu gering."}
    record_decisions(case.competition, outcome="rejected", rationales=rationales, actor=case.admin)
    db.session.commit()
    assert decision_of(db, case.energy).rationale == "Solide, aber Budget."
    assert decision_of(db, case.media).rationale == "Wirkung zu gering."
    assert len(events(db, "decision.recorded")) == 2


def test_bulk_decision_refuses_rows_without_rationale_and_saves_nothing(db, in_request):
    case = decision_case()
    with pytest.raises(MissingRationales) as refused:
        record_decisions(case.competition, outcome="rejected", actor=case.admin,
                         rationales={case.energy.id: "Begründet.", case.media.id: "  "})
    assert refused.value.proposal_ids == [case.media.id]
    db.session.rollback()
    assert decision_of(db, case.energy) is None and decision_of(db, case.media) is None


def test_bulk_decision_refuses_proposals_of_another_competition(db, in_request):
    case = decision_case()
    other = decision_case()
    with pytest.raises(DomainError):
        record_decisions(case.competition, outcome="rejected", actor=case.admin,
                         rationales={other.media.id: "Fremd."})


@pytest.mark.parametrize("phase", ["review", "closed"])
def test_decisions_are_refused_outside_the_decision_phases(db, in_request, phase):
    case = decision_case(phase=phase)
    with pytest.raises(DomainError):
        record_decision(case.auto, outcome="awarded", rationale="Zu früh.", actor=case.admin)


def test_only_jury_pool_proposals_can_be_decided(db, in_request):
    case = decision_case()
    case.media.eligibility = "not_eligible"
    db.session.commit()
    with pytest.raises(DomainError):
        record_decision(case.media, outcome="rejected", rationale="Nicht förderfähig.", actor=case.admin)


# --- the pages -------------------------------------------------------------------------


def test_decisions_page_lists_the_ranking_with_summary(client, db):
    case = decision_case()
    login(client, case.admin.email)
    html = client.get(f"/admin/competitions/{case.competition.id}/decisions").get_data(as_text=True)
    positions = [html.index(p.network_name) for p in case.proposals]
    assert positions == sorted(positions)
    assert "Bisherige Zuschläge" in html or "Awards so far" in html


def test_deciding_one_proposal_through_the_form(client, db):
    case = decision_case()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/decisions/{case.auto.id}"
    response = post_form(client, path, {"outcome": "awarded", "rationale": "Bestes Netzwerk.",
                                        "award_date": "2024-07-01", "meeting_note": ""})
    assert response.status_code == 302
    decision = decision_of(db, case.auto)
    assert (decision.outcome, decision.award_date, decision.rank_at_decision) == ("awarded", date(2024, 7, 1), 1)


def test_form_refuses_a_missing_rationale_and_keeps_the_input(client, db):
    case = decision_case()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/decisions/{case.energy.id}"
    response = post_form(client, path, {"outcome": "reserve", "rationale": "", "meeting_note": "Notiz bleibt"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Notiz bleibt" in html and 'aria-invalid="true"' in html
    assert decision_of(db, case.energy) is None


def test_form_shows_the_budget_warning_and_saves_after_confirmation(client, db, in_request):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Platz 1.", actor=case.admin)
    db.session.commit()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/decisions/{case.energy.id}"
    data = {"outcome": "awarded", "rationale": "Trotzdem.", "award_date": "2024-07-01"}
    html = post_form(client, path, data).get_data(as_text=True)
    assert 'id="award-warnings"' in html and 'name="confirm_warnings"' in html
    assert decision_of(db, case.energy) is None
    response = post_form(client, path, {**data, "confirm_warnings": "y"})
    assert response.status_code == 302 and decision_of(db, case.energy).outcome == "awarded"
    assert events(db, "decision.recorded")[-1].after["confirmed_warnings"]


def bulk_data(case, outcome, rationales, selected):
    """Form fields of the bulk table: one row per proposal in rank order."""
    data = {"outcome": outcome, "award_date": "2024-07-01"}
    for index, proposal in enumerate(case.proposals):
        data[f"rows-{index}-proposal_id"] = str(proposal.id)
        data[f"rows-{index}-rationale"] = rationales.get(proposal, "")
        if proposal in selected:
            data[f"rows-{index}-selected"] = "y"
    return data


def test_bulk_form_sets_the_outcome_with_each_rows_rationale(client, db):
    case = decision_case()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/decisions"
    rationales = {case.energy: "Knapp dahinter.", case.media: "Wirkung verfehlt.", case.auto: "nicht ausgewählt"}
    response = post_form(client, path, bulk_data(case, "reserve", rationales, [case.energy, case.media]))
    assert response.status_code == 302
    assert decision_of(db, case.energy).rationale == "Knapp dahinter."
    assert decision_of(db, case.media).outcome == "reserve"
    assert decision_of(db, case.auto) is None  # not selected, so its text was ignored


def test_bulk_form_refuses_a_selected_row_without_rationale(client, db):
    case = decision_case()
    login(client, case.admin.email)
    path = f"/admin/competitions/{case.competition.id}/decisions"
    data = bulk_data(case, "rejected", {case.energy: "Begründet."}, [case.energy, case.media])
    html = post_form(client, path, data).get_data(as_text=True)
    assert "rows-3-rationale-error" in html and "Begründet." in html
    assert decision_of(db, case.energy) is None


def test_meeting_walks_through_the_ranking_and_records_decisions(client, db):
    case = decision_case()
    login(client, case.admin.email)
    base = f"/admin/competitions/{case.competition.id}/meeting"
    first = client.get(base).get_data(as_text=True)
    assert case.auto.network_name in first and "1 von 4" in first
    assert "Befangene Jurorin" not in first  # the conflict is with another proposal
    response = post_form(client, f"{base}?position=1", {"outcome": "awarded", "rationale": "Klarer Sieger.",
                                                         "award_date": "2024-07-01",
                                                         "meeting_note": "Einstimmig, 3:0."})
    assert response.status_code == 302 and "position=2" in response.headers["Location"]
    decision = decision_of(db, case.auto)
    assert (decision.outcome, decision.meeting_note) == ("awarded", "Einstimmig, 3:0.")
    last = client.get(f"{base}?position=4").get_data(as_text=True)
    assert case.media.network_name in last and "Befangene Jurorin" in last
    assert "Wirkung media Gutachten 2" in last  # anonymised justifications for the discussion
    assert client.get(f"{base}?position=5").status_code == 404


# --- access ----------------------------------------------------------------------------

PAGES = [
    "/admin/competitions/{cid}/decisions",
    "/admin/competitions/{cid}/decisions/{pid}",
    "/admin/competitions/{cid}/meeting",
    "/admin/competitions/{cid}/protocol",
    "/admin/competitions/{cid}/protocol.html",
    "/admin/competitions/{cid}/protocol.pdf",
    "/admin/competitions/{cid}/exports",
    "/admin/competitions/{cid}/exports/ranking.csv",
    "/admin/competitions/{cid}/exports/reviews.xlsx",
    "/admin/competitions/{cid}/audit-file",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who, expected", [("anonymous", 302), ("applicant", 403), ("juror", 403),
                                           ("admin", 200)])
def test_decision_pages_are_for_administrators_only(client, db, page, who, expected):
    case = decision_case()
    users = {"applicant": case.auto.applicant, "juror": case.jurors[0], "admin": case.admin}
    if who in users:
        login(client, users[who].email)
    response = client.get(page.format(cid=case.competition.id, pid=case.auto.id))
    assert response.status_code == expected
    if who == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("page", [p for p in PAGES if "{pid}" not in p])
def test_a_missing_competition_is_404(client, db, page):
    admin = AdminFactory()
    login(client, admin.email)
    assert client.get(page.format(cid=999_999)).status_code == 404


def test_a_proposal_of_another_competition_is_404(client, db):
    case = decision_case()
    other = decision_case()
    login(client, case.admin.email)
    assert client.get(f"/admin/competitions/{case.competition.id}/decisions/{other.auto.id}").status_code == 404


@pytest.mark.parametrize("path", ["/admin/competitions/{cid}/decisions", "/admin/competitions/{cid}/letters"])
def test_posts_need_an_administrator(client, db, path):
    case = decision_case()
    applicant = UserFactory()
    login(client, applicant.email)
    token = csrf_token(client, "/")
    response = client.post(path.format(cid=case.competition.id), data={"csrf_token": token})
    assert response.status_code == 403
