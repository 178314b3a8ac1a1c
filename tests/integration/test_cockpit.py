"""The administrators' cockpit: where they land after login, and what it counts, flags as overdue and links to."""

from __future__ import annotations

from datetime import timedelta

from app.contracts import release
from app.core.time import utcnow
from tests.builders.contracts import accepted_value, in_request, worked_example_contract
from tests.builders.jury import add_review, assigned_juror, pool_proposal, review_competition
from tests.factories import AdminFactory, CompetitionFactory, ConflictFactory, ProposalFactory, UserFactory
from tests.web import login


def _count(html: str, label: str) -> str:
    """The figure shown next to a label in the cockpit's figures (the navigation has links of the same name)."""
    html = html[html.index('id="h-cockpit-figures"'):]
    start = html.index(f">{label}</a>")
    value_start = html.index('<dd class="mb-0 fw-semibold">', start) + len('<dd class="mb-0 fw-semibold">')
    return html[value_start:html.index("</dd>", value_start)]


def test_admin_lands_on_the_cockpit_of_the_running_competition(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="open")
    CompetitionFactory(phase="closed")
    response = login(client, admin.email)
    assert response.headers["Location"] == "/admin"
    page = client.get("/admin")
    assert page.status_code == 302
    assert page.headers["Location"] == f"/admin/competitions/{competition.id}/cockpit"


def test_admin_chooses_among_several_running_competitions(client, db):
    admin = AdminFactory()
    first, second = CompetitionFactory(phase="open"), CompetitionFactory(phase="review")
    login(client, admin.email)
    html = client.get("/admin").get_data(as_text=True)
    assert f"/admin/competitions/{first.id}/cockpit" in html
    assert f"/admin/competitions/{second.id}/cockpit" in html


def test_an_applicant_still_lands_on_the_home_page_and_cannot_open_a_cockpit(client, db):
    applicant = UserFactory()
    competition = CompetitionFactory()
    assert login(client, applicant.email).headers["Location"] == "/"
    assert client.get(f"/admin/competitions/{competition.id}/cockpit").status_code == 403
    assert client.get("/admin").status_code == 403


def test_cockpit_counts_proposals_and_flags_open_prechecks_after_the_deadline(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="precheck", submission_deadline=utcnow() - timedelta(days=1))
    ProposalFactory(competition=competition)
    ProposalFactory(competition=competition)
    pool_proposal(competition)
    pool_proposal(competition, eligibility=None)
    pool_proposal(competition, eligibility=None)
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/cockpit").get_data(as_text=True)
    assert _count(html, "Entwürfe") == "2"
    assert _count(html, "Eingereicht") == "3"
    assert _count(html, "Förderfähig") == "1"
    assert "2 eingereichte Anträge warten noch auf ihre formale Vorprüfung." in html
    assert f'href="/admin/competitions/{competition.id}/proposals"' in html  # the next step: the pre-check


def test_cockpit_flags_ineligible_proposals_without_their_letter_once_letters_may_go(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="review", submission_deadline=utcnow() - timedelta(days=20))
    pool_proposal(competition, eligibility="not_eligible")
    pool_proposal(competition, eligibility="not_eligible", ineligibility_letter_sent_at=utcnow())
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/cockpit").get_data(as_text=True)
    assert "1 nicht förderfähiger Antrag hat sein Schreiben noch nicht erhalten." in html
    assert f"/admin/competitions/{competition.id}/decisions#h-ineligible" in html


def test_cockpit_counts_reviews_and_conflicts_and_flags_reviews_open_after_the_deadline(client, db):
    admin = AdminFactory()
    competition = review_competition(review_deadline=utcnow() - timedelta(hours=1))
    proposal = pool_proposal(competition)
    done, late = assigned_juror(proposal), assigned_juror(proposal)
    add_review(db, proposal, done)
    ConflictFactory(proposal=pool_proposal(competition), user=late)
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/cockpit").get_data(as_text=True)
    assert _count(html, "Eingereichte Bewertungen") == "1"
    assert _count(html, "Offene Bewertungen") == "1"
    assert _count(html, "Befangenheiten") == "1"
    assert "1 zugewiesene Bewertung ist nach der Bewertungsfrist noch offen." in html


def test_nothing_overdue_while_the_deadlines_lie_ahead(client, db):
    admin = AdminFactory()
    competition = review_competition()
    proposal = pool_proposal(competition)
    assigned_juror(proposal)
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/cockpit").get_data(as_text=True)
    assert "Nichts ist überfällig." in html


def test_cockpit_counts_contracts_and_flags_payments_due_and_milestones_without_report(client, db):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)  # three milestones, all due long ago
    accepted_value(members, 20, admin)
    competition_id = contract.competition_id
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition_id}/cockpit").get_data(as_text=True)
    assert _count(html, "Verträge") == "1"
    assert _count(html, "Fällige Zahlungen") == "1"
    assert "1 geprüfter Bericht wartet auf die Freigabe seiner Zahlung." in html
    assert "2 Meilensteine haben ihr Fälligkeitsdatum ohne Bericht überschritten." in html

    with in_request():
        release.release_milestone_payment(contract.id, members.id, expected_cents=4_500_000, actor=admin)
        db.session.commit()
    html = client.get(f"/admin/competitions/{competition_id}/cockpit").get_data(as_text=True)
    assert _count(html, "Fällige Zahlungen") == "0"
    assert "wartet auf die Freigabe" not in html


def test_after_the_submission_deadline_the_next_step_is_to_start_the_precheck(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory(phase="open", submission_deadline=utcnow() - timedelta(hours=2))
    login(client, admin.email)
    html = client.get(f"/admin/competitions/{competition.id}/cockpit").get_data(as_text=True)
    assert (f'id="next-step" class="btn btn-primary" href="/admin/competitions/{competition.id}">'
            "Formale Vorprüfung starten</a>") in html
