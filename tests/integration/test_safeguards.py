"""Safeguards that warn an administrator before harm: a deadline that shuts out drafts, weights, jurors, ties."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.competitions.models import Competition
from app.core.models import AuditEvent
from app.core.time import utcnow
from app.jury.models import Conflict
from app.proposals.models import ProposalPartner
from tests.builders.jury import juror, pool_proposal
from tests.builders.ranking import review
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, ProposalFactory, UserFactory
from tests.web import csrf_token, login, post_form


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


def test_moving_the_deadline_into_the_past_names_the_drafts_and_saves_only_once_confirmed(client, db):
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

    # the explicit confirmation (second step) saves it
    response = post_form(client, path, _edit_form(competition, submission_deadline=_local(-1), confirm_deadline="y"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Competition, competition.id).submission_deadline < utcnow()


# --- (c) weights that do not sum to 1, pointed out where they are edited ---------------------------------


def test_criteria_page_points_out_weights_that_do_not_sum_to_one(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="draft")
    CriterionFactory(competition=competition, weight=Decimal("1"))
    criterion = CriterionFactory(competition=competition, weight=Decimal("0.2"))
    login(client, admin.email)
    for path in (f"/admin/competitions/{competition.id}/criteria",
                 f"/admin/competitions/{competition.id}/criteria/{criterion.id}/edit"):
        html = client.get(path).get_data(as_text=True)
        assert "Die Gewichtungen ergeben zusammen 1,2, nicht 1." in html
        assert "Mit 5 Punkten in jedem Kriterium betrüge sie 6." in html
    balanced = CompetitionFactory(phase="draft")
    CriterionFactory(competition=balanced, weight=Decimal("0.85"))
    CriterionFactory(competition=balanced, weight=Decimal("0.15"))
    html = client.get(f"/admin/competitions/{balanced.id}/criteria").get_data(as_text=True)
    assert 'id="weight-sum-warning"' not in html




# --- (d) the what-if page keeps totals on the score scale -----------------------------------------------


def _what_if_totals(html: str) -> list[str]:
    """The 'total now' and 'total with these weights' cells of the what-if table's first row."""
    row = html[html.index("<tbody>", html.index('id="what-if-table"')):]
    row = row[:row.index("</tr>")]
    return [cell.split(">")[-1] for cell in row.split("</td>") if 'class="text-end' in cell][-2:]


def test_what_if_totals_stay_on_the_score_scale(client, db):
    competition = CompetitionFactory(phase="decision")
    a = CriterionFactory(competition=competition, weight=Decimal("1"))
    b = CriterionFactory(competition=competition, weight=Decimal("1"))
    proposal = pool_proposal(competition)
    for user in [juror(competition) for _ in range(3)]:
        review(proposal, user, {a: 4, b: 2})
    admin = AdminFactory()
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/ranking/weights?method=mean&w_{a.id}=1&w_{b.id}=3"
                      ).get_data(as_text=True)
    # now: (4 + 2) / 2 = 3; tried: 0.25 · 4 + 0.75 · 2 = 2.5 (not 1 · 4 + 3 · 2 = 10)
    assert _what_if_totals(html) == ["3,00", "2,50"]
    assert "Verwendete Gewichtungen (auf die Summe 1 skaliert):" in html
    assert f"{a.name_de} 25\u00a0% · {b.name_de} 75\u00a0%" in html  # German percent: non-breaking space


# --- (e) a tie whose draw is not yet recorded -----------------------------------------------------------


def test_an_undrawn_tie_reads_draw_pending_until_the_draw_is_recorded(client, db):
    competition = CompetitionFactory(phase="decision")
    a, b = CriterionFactory(competition=competition), CriterionFactory(competition=competition)
    twins = [pool_proposal(competition, network_name=f"Zwilling {n}") for n in (1, 2)]
    for user in [juror(competition) for _ in range(3)]:
        for proposal in twins:
            review(proposal, user, {a: 4, b: 4})
    admin = AdminFactory()
    login(client, admin.email)
    url = f"/admin/competitions/{competition.id}/ranking"
    html = client.get(url).get_data(as_text=True)
    assert html.count("Gleichstand – Losentscheid ausstehend") == 2
    assert "durch Los" not in html
    assert post_form(client, url + "/draw", {"method": "mean"}, token_from=url).status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert "Gleichstand – Losentscheid ausstehend" not in html
    assert "Platz 2 durch Los" in html


# --- (a) a juror connected with an application is pointed out at the appointment ------------------------


def _application_with_partner(db, competition):
    """A draft whose lead is Leichtbau Sachsen GmbH and whose partner's contact writes from uni-leipzig.example."""
    proposal = ProposalFactory(competition=competition, network_name="Leichtbau-Netzwerk West",
                               lead_name="Leichtbau Sachsen GmbH")
    db.session.add(ProposalPartner(proposal_id=proposal.id, organisation="Druckerei West e.V.", position=1,
                                   contact_email="k.meier@uni-leipzig.example"))
    db.session.commit()
    return proposal


def test_appointing_a_juror_from_the_lead_organisation_warns_and_proposes_the_conflict(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory()
    proposal = _application_with_partner(db, competition)
    ProposalFactory(competition=competition, network_name="Unverbunden", lead_name="Andere AG")
    person = UserFactory(name="Jana Hartmann", organisation="Leichtbau Sachsen", email="j.hartmann@ls.example")
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/appoint", {"email": person.email, "locale": "de"}, token_from=base)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{base}/{person.id}/proposed-conflicts"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Warnung: Jana Hartmann ist mit 1 Bewerbung in diesem Wettbewerb verbunden." in html
    assert "Leichtbau-Netzwerk West" in html and "Unverbunden" not in html
    assert f'name="proposal_ids" value="{proposal.id}"' in html
    assert db.session.scalar(select(func.count(Conflict.id))) == 0  # proposed, not yet recorded

    token = csrf_token(client, f"{base}/{person.id}/proposed-conflicts")
    response = client.post(f"{base}/{person.id}/proposed-conflicts",
                           data={"csrf_token": token, "proposal_ids": str(proposal.id)})
    assert response.status_code == 302
    conflict = db.session.scalar(select(Conflict))
    assert (conflict.proposal_id, conflict.user_id, conflict.source, conflict.status) == (
        proposal.id, person.id, "detected", "active")
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "jury.conflict_detected")) == 1


def test_appointing_a_juror_with_a_partners_email_domain_proposes_the_conflict(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory()
    _application_with_partner(db, competition)
    person = UserFactory(name="Jens Richter", organisation="Universität Leipzig", email="richter@uni-leipzig.example")
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/appoint", {"email": person.email, "locale": "de"}, token_from=base)
    assert response.headers["Location"] == f"{base}/{person.id}/proposed-conflicts"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gleiche E-Mail-Domain wie im Antrag" in html
