"""Jury administration: access, appointing and removing jurors, declaration, progress, reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.accounts.models import User
from app.competitions.phases import advance_phase, unmet_requirements
from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from app.core.time import utcnow
from app.jury.models import Assignment, JuryMembership, Review
from app.jury.progress import review_progress
from tests.builders.jury import (
    add_review,
    juror,
    pool_proposal,
    review_competition,
)
from tests.factories import (
    AdminFactory,
    AssignmentFactory,
    ConflictFactory,
    CriterionFactory,
    JuryMembershipFactory,
    UserFactory,
)
from tests.web import login, post_form


def membership_of(db, competition, user):
    db.session.expire_all()
    return db.session.scalar(select(JuryMembership).where(JuryMembership.competition_id == competition.id,
                                                          JuryMembership.user_id == user.id))


def mails(db, template):
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == template)
                              .order_by(OutboxMessage.id)).all()


# --- access ----------------------------------------------------------------------------

ADMIN_PAGES = ["/admin/competitions/{c}/jury", "/admin/competitions/{c}/conflicts",
               "/admin/competitions/{c}/assignments", "/admin/competitions/{c}/progress",
               "/admin/competitions/{c}/conflicts/{conflict}/lift"]
ADMIN_POSTS = ["/admin/competitions/{c}/jury/appoint", "/admin/competitions/{c}/conflicts/detect",
               "/admin/competitions/{c}/assignments/auto", "/admin/competitions/{c}/progress/remind"]
JUROR_PAGES = ["/jury/competitions/{c}/declaration", "/jury/competitions/{c}/conflicts"]


@pytest.fixture
def setting(db):
    """A competition with a signed juror and a conflict; another competition with its own juror."""
    competition = review_competition()
    proposal = pool_proposal(competition)
    member = juror(competition)
    other_competition = review_competition()
    stranger = juror(other_competition)
    conflict = ConflictFactory(proposal=proposal, user=member)
    return {"competition": competition, "member": member, "stranger": stranger, "conflict": conflict,
            "applicant": UserFactory(), "admin": AdminFactory()}


def _url(template, setting):
    return template.format(c=setting["competition"].id, conflict=setting["conflict"].id)


@pytest.mark.parametrize("template", ADMIN_PAGES + JUROR_PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, setting, template):
    response = client.get(_url(template, setting))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["applicant", "member", "stranger"])
@pytest.mark.parametrize("template", ADMIN_PAGES)
def test_admin_pages_are_forbidden_to_everyone_but_admins(client, setting, template, who):
    login(client, setting[who].email)
    assert client.get(_url(template, setting)).status_code == 403


@pytest.mark.parametrize("who", ["applicant", "member", "stranger"])
@pytest.mark.parametrize("template", ADMIN_POSTS)
def test_admin_actions_are_forbidden_to_everyone_but_admins(client, setting, template, who):
    login(client, setting[who].email)
    response = post_form(client, _url(template, setting), {}, token_from="/")
    assert response.status_code == 403


@pytest.mark.parametrize("template", ADMIN_PAGES)
def test_admins_open_the_admin_pages(client, setting, template):
    login(client, setting["admin"].email)
    assert client.get(_url(template, setting)).status_code == 200


@pytest.mark.parametrize("who", ["applicant", "stranger", "admin"])
@pytest.mark.parametrize("template", JUROR_PAGES)
def test_juror_pages_are_forbidden_to_anyone_without_a_seat_on_this_jury(client, setting, template, who):
    login(client, setting[who].email)
    assert client.get(_url(template, setting)).status_code == 403


@pytest.mark.parametrize("template", JUROR_PAGES)
def test_the_juror_opens_their_pages(client, setting, template):
    login(client, setting["member"].email)
    assert client.get(_url(template, setting)).status_code == 200


def test_a_removed_juror_loses_access(client, setting, db):
    membership = membership_of(db, setting["competition"], setting["member"])
    membership.status = "removed"
    db.session.commit()
    login(client, setting["member"].email)
    assert client.get(_url(JUROR_PAGES[1], setting)).status_code == 403


def test_missing_competition_is_not_found(app, client, setting):
    login(client, setting["admin"].email)
    assert client.get("/admin/competitions/999999/jury").status_code == 404
    juror_client = app.test_client()
    login(juror_client, setting["member"].email)
    assert juror_client.get("/jury/competitions/999999/declaration").status_code == 404


# --- appointing and removing -----------------------------------------------------------

def test_admin_appoints_an_existing_user_who_is_mailed_in_their_language(db, client):
    admin = AdminFactory()
    competition = review_competition(title="Wettbewerb Netzwerke 2026")
    person = UserFactory(email="hartmann@uni.example", name="Jens Hartmann", locale="en")
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/appoint", {"email": "  Hartmann@Uni.example ", "locale": "de"},
                         token_from=base)

    assert response.status_code == 302
    membership = membership_of(db, competition, person)
    assert (membership.status, membership.invited_by_id, membership.has_signed_declaration) == ("active", admin.id,
                                                                                                 False)
    [mail] = mails(db, "jury_appointed")
    assert mail.recipient == "hartmann@uni.example" and mail.locale == "en"
    assert mail.subject == 'You have been appointed to the jury of "Wettbewerb Netzwerke 2026"'
    assert f"/jury/competitions/{competition.id}/declaration" in mail.body and "/jury\n" in mail.body
    assert mails(db, "invitation") == []
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.member_appointed"))
    assert event.actor_id == admin.id and event.after["user_id"] == person.id
    page = client.get(base).get_data(as_text=True)
    assert "Jens Hartmann" in page and "noch nicht unterzeichnet" in page


def test_admin_appoints_a_new_person_who_is_invited_first(db, client):
    admin = AdminFactory()
    competition = review_competition()
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/appoint", {"email": "neu@ihk.example", "name": "Nora Neu",
                                                    "organisation": "IHK", "locale": "de"}, token_from=base)
    assert response.status_code == 302
    person = db.session.scalar(select(User).where(User.email == "neu@ihk.example"))
    assert person.name == "Nora Neu" and person.password_hash is None
    assert membership_of(db, competition, person).status == "active"
    assert len(mails(db, "invitation")) == 1
    [mail] = mails(db, "jury_appointed")
    assert mail.subject == f"Sie wurden in die Jury „{competition.title}“ berufen"


def test_a_new_person_needs_a_name_and_nothing_is_created_without_it(db, client):
    admin = AdminFactory()
    competition = review_competition()
    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/appoint", {"email": "ohne-name@example.org", "locale": "de"},
                         token_from=base)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bitte geben Sie den Namen der Person an" in page
    assert 'value="ohne-name@example.org"' in page  # the typed address is kept
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "ohne-name@example.org")) == 0
    assert mails(db, "jury_appointed") == []


def test_appointing_a_member_twice_is_refused_but_a_former_member_comes_back(db, in_request):
    from app.jury.membership import appoint_juror, remove_member

    admin = AdminFactory()
    competition = review_competition()
    member = juror(competition)
    with pytest.raises(DomainError, match="bereits Mitglied|already a member"):
        appoint_juror(competition, email=member.email, name="", organisation="", locale="de", actor=admin)
    remove_member(membership_of(db, competition, member), actor=admin)
    again = appoint_juror(competition, email=member.email, name="", organisation="", locale="de", actor=admin)
    db.session.commit()
    assert again.status == "active"
    assert db.session.scalar(select(func.count(JuryMembership.id))) == 1


def test_removing_a_member_drops_their_open_assignments_but_keeps_submitted_ones(db, client):
    admin = AdminFactory()
    competition = review_competition()
    open_one, done_one, drafted = (pool_proposal(competition) for _ in range(3))
    member = juror(competition, name="Rita Raus")
    for proposal in (open_one, done_one, drafted):
        AssignmentFactory(proposal=proposal, user=member)
    add_review(db, done_one, member, status="submitted")
    add_review(db, drafted, member, status="draft")
    membership = membership_of(db, competition, member)

    login(client, admin.email)
    base = f"/admin/competitions/{competition.id}/jury"
    response = post_form(client, f"{base}/members/{membership.id}/remove", {}, token_from=base,
                         follow_redirects=True)

    assert "Rita Raus wurde aus der Jury entfernt; 2 offene Zuweisungen wurden aufgehoben." in response.get_data(
        as_text=True)
    assert membership_of(db, competition, member).status == "removed"
    assert db.session.scalars(select(Assignment.proposal_id)).all() == [done_one.id]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.member_removed"))
    assert sorted(event.after["removed_assignments"]) == sorted([open_one.id, drafted.id])
    assert event.before["status"] == "active" and event.after["status"] == "removed"


def test_removing_a_member_of_another_competition_is_not_found(db, client):
    admin = AdminFactory()
    competition, other = review_competition(), review_competition()
    member = juror(other)
    membership = membership_of(db, other, member)
    login(client, admin.email)
    response = post_form(client, f"/admin/competitions/{competition.id}/jury/members/{membership.id}/remove", {},
                         token_from=f"/admin/competitions/{competition.id}/jury")
    assert response.status_code == 404
    assert membership_of(db, other, member).status == "active"


def test_the_jury_cannot_change_after_the_decision_phase_started(db, in_request):
    from app.jury.membership import appoint_juror

    competition = review_competition(phase="decision")
    with pytest.raises(DomainError):
        appoint_juror(competition, email=UserFactory().email, name="", organisation="", locale="de",
                      actor=AdminFactory())


# --- expertise and declaration ---------------------------------------------------------

def test_juror_saves_expertise_from_the_call_sectors(db, client):
    competition = review_competition()
    member = juror(competition, signed=False)
    login(client, member.email)
    url = f"/jury/competitions/{competition.id}/declaration"
    response = post_form(client, url, {"expertise-sectors": ["Medien", "Automobilzulieferer"],
                                       "expertise-keywords": "Leichtbau; Film,  leichtbau ",
                                       "expertise-submit": "1"})
    assert response.status_code == 302
    membership = membership_of(db, competition, member)
    assert membership.sectors == ["Automobilzulieferer", "Medien"]  # in the call's order
    assert membership.keywords == "Leichtbau, Film"
    assert not membership.has_signed_declaration
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "jury.expertise_saved"))

    response = post_form(client, url, {"expertise-sectors": ["Erfundene Branche"], "expertise-submit": "1"})
    assert response.status_code == 200
    assert membership_of(db, competition, member).sectors == ["Automobilzulieferer", "Medien"]


def test_juror_signs_the_declaration_only_with_the_checkbox(db, client):
    competition = review_competition()
    member = juror(competition, signed=False)
    login(client, member.email)
    url = f"/jury/competitions/{competition.id}/declaration"
    page = client.get(url).get_data(as_text=True)
    assert "Ich behandle alle Anträge" in page  # the declaration text, in German

    response = post_form(client, url, {"declaration-submit": "1"})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie, dass Sie der Erklärung zustimmen." in response.get_data(as_text=True)
    assert not membership_of(db, competition, member).has_signed_declaration

    response = post_form(client, url, {"declaration-agree": "y", "declaration-submit": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/jury/competitions/{competition.id}/conflicts")
    assert membership_of(db, competition, member).has_signed_declaration
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.declaration_signed"))
    assert event.actor_id == member.id and event.before["declaration_signed_at"] is None


def test_the_declaration_is_shown_in_english_too(db, client):
    competition = review_competition()
    member = juror(competition, signed=False, locale="en")
    login(client, member.email)
    page = client.get(f"/jury/competitions/{competition.id}/declaration").get_data(as_text=True)
    assert "Confidentiality and impartiality declaration" in page
    assert "I will treat all proposals" in page


# --- progress, reminders, consensus ----------------------------------------------------

def _progress_case(db):
    """Two proposals, three jurors: one submitted review, one draft, one not started."""
    competition = review_competition(reviews_per_proposal=2)
    CriterionFactory(competition=competition)
    first = pool_proposal(competition, network_name="Netzwerk Eins")
    second = pool_proposal(competition, network_name="Netzwerk Zwei")
    anna, bert, carl = juror(competition, name="Anna Arm"), juror(competition, name="Bert Bau"), juror(
        competition, name="Carl Chen", locale="en")
    AssignmentFactory(proposal=first, user=anna)
    AssignmentFactory(proposal=first, user=bert)
    AssignmentFactory(proposal=second, user=carl)
    add_review(db, first, anna, values=(5,))
    add_review(db, first, bert, values=(1,))
    add_review(db, second, carl, status="draft")
    return competition, (first, second), (anna, bert, carl)


def test_progress_counts_per_proposal_and_juror_and_flags_disagreement(db, in_request):
    competition, (first, second), (anna, bert, carl) = _progress_case(db)
    progress = review_progress(competition)
    rows = {p.proposal.id: p for p in progress.proposals}
    assert (rows[first.id].submitted, rows[first.id].assigned, rows[first.id].short) == (2, 2, False)
    assert (rows[second.id].submitted, rows[second.id].assigned, rows[second.id].short) == (0, 1, True)
    assert rows[first.id].disagreement and not rows[second.id].disagreement  # 5 vs 1: spread 4
    jurors = {j.user.id: j for j in progress.jurors}
    assert (jurors[carl.id].assigned, jurors[carl.id].submitted, jurors[carl.id].drafts) == (1, 0, 1)
    assert jurors[anna.id].pending == [] and jurors[carl.id].pending == [second]
    assert progress.overdue == []


def test_progress_page_lists_overdue_reviews_after_the_deadline(db, client):
    competition, _proposals, _jurors = _progress_case(db)
    admin = AdminFactory()
    login(client, admin.email)
    with time_machine.travel(competition.review_deadline + timedelta(hours=1)):
        page = client.get(f"/admin/competitions/{competition.id}/progress").get_data(as_text=True)
    assert "Überfällige Bewertungen" in page and "Carl Chen" in page
    assert "Bewertungen weichen ab" in page
    page = client.get(f"/admin/competitions/{competition.id}/progress").get_data(as_text=True)
    assert "Überfällige Bewertungen" not in page


def test_admin_reminds_chosen_jurors_in_their_language(db, client):
    competition, (_first, second), (anna, bert, carl) = _progress_case(db)
    admin = AdminFactory()
    login(client, admin.email)
    url = f"/admin/competitions/{competition.id}/progress"
    response = post_form(client, f"{url}/remind", {}, token_from=url)
    assert response.status_code == 200 and mails(db, "jury_reminder") == []

    response = post_form(client, f"{url}/remind", {"user_ids": [str(carl.id)]}, token_from=url)
    assert response.status_code == 302
    [mail] = mails(db, "jury_reminder")
    assert mail.recipient == carl.email and mail.locale == "en"
    assert second.title in mail.body and "The review deadline is" in mail.body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.reminders_sent"))
    assert event.after == {"user_ids": [carl.id], "automatic": False}


def test_reminder_cli_is_idempotent_per_day(db, runner):
    competition, (_first, second), (anna, bert, carl) = _progress_case(db)
    deadline = competition.review_deadline
    far = deadline - timedelta(days=10)
    near = deadline - timedelta(days=3)

    with time_machine.travel(far, tick=False):
        result = runner.invoke(args=["jury-reminders"])
    assert "0 reminder(s)" in result.output and mails(db, "jury_reminder") == []

    with time_machine.travel(near, tick=False):
        first_run = runner.invoke(args=["jury-reminders"])
        second_run = runner.invoke(args=["jury-reminders", "--competition", str(competition.id)])
    assert first_run.exit_code == 0, first_run.output
    assert "1 reminder(s)" in first_run.output and "0 reminder(s)" in second_run.output
    assert [m.recipient for m in mails(db, "jury_reminder")] == [carl.email]

    with time_machine.travel(near + timedelta(days=1), tick=False):
        runner.invoke(args=["jury-reminders"])
    with time_machine.travel(deadline + timedelta(days=2), tick=False):  # after the deadline too
        runner.invoke(args=["jury-reminders"])
    assert len(mails(db, "jury_reminder")) == 3


def test_reminder_cli_only_for_the_chosen_competition(db, runner):
    competition, _proposals, _jurors = _progress_case(db)
    with time_machine.travel(competition.review_deadline - timedelta(days=1), tick=False):
        result = runner.invoke(args=["jury-reminders", "--competition", str(competition.id + 1000)])
    assert "0 reminder(s)" in result.output


def test_consensus_waits_for_every_assigned_review_or_the_deadline(db, in_request):
    admin = AdminFactory()
    competition, (_first, second), (_anna, _bert, carl) = _progress_case(db)
    problems = [str(p) for p in unmet_requirements(competition, "consensus")]
    assert any("1 zugewiesene Bewertung ist noch nicht abgegeben" in p for p in problems)
    with pytest.raises(DomainError):
        advance_phase(competition, "consensus", admin)

    with time_machine.travel(competition.review_deadline + timedelta(minutes=1)):
        assert unmet_requirements(competition, "consensus") == []

    review = db.session.scalar(select(Review).where(Review.user_id == carl.id))
    review.status = "submitted"
    db.session.commit()
    assert unmet_requirements(competition, "consensus") == []
    advance_phase(competition, "consensus", admin)
    assert competition.phase == "consensus"


def test_consensus_needs_assignments_before_the_deadline(db, in_request):
    competition = review_competition()
    pool_proposal(competition)
    assert [str(p) for p in unmet_requirements(competition, "consensus")] == [
        "Es wurde noch kein Jurymitglied zugewiesen."]


def test_reminders_are_not_sent_outside_the_review_phase(db, runner):
    competition, _proposals, _jurors = _progress_case(db)
    competition.phase = "consensus"
    db.session.commit()
    with time_machine.travel(datetime.now(UTC) + timedelta(days=30), tick=False):
        runner.invoke(args=["jury-reminders"])
    assert mails(db, "jury_reminder") == []


def test_membership_factory_defaults_hold(db):
    membership = JuryMembershipFactory()
    assert membership.status == "active" and membership.has_signed_declaration
    assert membership.declaration_signed_at <= utcnow()
