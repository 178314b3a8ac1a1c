"""Public call pages: the list of calls, one call with criteria, deadlines, countdown and the way to apply."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from app.core.time import utcnow
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, UserFactory

DEADLINE = datetime(2030, 5, 31, 10, 0, tzinfo=UTC)  # 12:00 in Berlin (summer time)


def call_url(competition) -> str:
    return f"/calls/{competition.id}"


def page(client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def leipzig_call(**changes):
    values = {"title": "Ideenwettbewerb Leipziger Westen", "submission_deadline": DEADLINE,
              "submission_opens_at": DEADLINE - timedelta(days=90)}
    values.update(changes)
    competition = CompetitionFactory(**values)
    CriterionFactory(competition=competition, name_de="Clusterpotenzial", name_en="Cluster potential",
                     weight=Decimal("0.6"), priority=1, rubric_de="0 – fehlt\n5 – hervorragend",
                     rubric_en="0 – missing\n5 – outstanding")
    CriterionFactory(competition=competition, name_de="Nachhaltigkeit", name_en="Sustainability",
                     weight=Decimal("0.4"), priority=2)
    return competition


@pytest.fixture
def before_deadline():
    with time_machine.travel(DEADLINE - timedelta(days=3, hours=4, minutes=30), tick=False):
        yield


# --- list -------------------------------------------------------------------------------

def test_calls_list_shows_open_and_past_calls_but_no_drafts(client, db):
    CompetitionFactory(title="Offener Aufruf 2030")
    CompetitionFactory(title="Alter Aufruf 2002", phase="closed", submission_deadline=utcnow() - timedelta(days=900))
    CompetitionFactory(title="Geheimer Entwurf", phase="draft")
    body = page(client, "/calls")
    open_part, past_part = body.split("Frühere Aufrufe", 1)
    assert "Offener Aufruf 2030" in open_part
    assert "Alter Aufruf 2002" in past_part
    assert "Geheimer Entwurf" not in body


def test_calls_list_without_calls_says_so(client, db):
    body = page(client, "/calls")
    assert "Derzeit gibt es keinen offenen Aufruf." in body
    assert "Es gibt noch keine früheren Aufrufe." in body


def test_home_page_teases_open_calls(client, db):
    competition = CompetitionFactory(title="Netzwerke im Westen")
    CompetitionFactory(title="Noch ein Entwurf", phase="draft")
    body = page(client, "/")
    assert "Netzwerke im Westen" in body and call_url(competition) in body
    assert "Noch ein Entwurf" not in body


# --- who may see a call -----------------------------------------------------------------

@pytest.mark.parametrize("who,status", [("anonymous", 404), ("applicant", 404), ("admin", 200)])
def test_draft_call_is_hidden_from_everyone_but_admins(client, db, login_as, who, status):
    competition = CompetitionFactory(phase="draft", title="Entwurf")
    if who == "applicant":
        login_as(UserFactory())
    elif who == "admin":
        login_as(AdminFactory())
    response = client.get(call_url(competition))
    assert response.status_code == status
    if status == 200:
        assert "Vorschau" in response.get_data(as_text=True)


@pytest.mark.parametrize("phase", ["open", "precheck", "review", "consensus", "decision", "contracting", "closed"])
def test_published_calls_are_public_in_every_later_phase(client, db, phase):
    competition = CompetitionFactory(phase=phase, title="Öffentlicher Aufruf")
    assert "Öffentlicher Aufruf" in page(client, call_url(competition))


def test_unknown_call_is_404(client, db):
    assert client.get("/calls/999999").status_code == 404


# --- content ----------------------------------------------------------------------------

def test_call_text_markdown_is_rendered_without_scripts(client, db):
    competition = CompetitionFactory(call_text="## Ziel\n\n**Netzwerke** stärken.\n\n<script>alert('x')</script>\n\n"
                                               "[Info](javascript:alert(1)) <img src=x onerror=alert(2)>")
    body = page(client, call_url(competition))
    assert "<h2>Ziel</h2>" in body
    assert "<strong>Netzwerke</strong>" in body
    assert "alert('x')" not in body and "<script>alert" not in body
    assert "javascript:" not in body and "onerror" not in body
    # The only scripts are our own files (the CSP forbids inline scripts anyway).
    assert all(tag.startswith('<script src="/static/') for tag in re.findall(r"<script[^>]*>", body))


def test_call_page_shows_criteria_weights_deadline_in_berlin_time_and_countdown(client, db, before_deadline):
    competition = leipzig_call(eligibility_rules="Sitz im Programmgebiet\nMindestens drei Partner")
    body = page(client, call_url(competition))
    assert "Ideenwettbewerb Leipziger Westen" in body
    assert "URBAN II Leipziger Westen" in body
    assert "Clusterpotenzial" in body and "Nachhaltigkeit" in body
    assert ">0,6</td>" in body and "60\xa0%" in body and "40\xa0%" in body  # weight and share of the total
    assert "0 – fehlt" in body  # the rubric
    assert "Sitz im Programmgebiet" in body
    assert "31.05.2030, 12:00 Uhr" in body
    assert "Verbleibende Zeit:" in body and "3 Tage, 4 Stunden, 30 Minuten" in body
    assert 'data-deadline="2030-05-31T10:00:00+00:00"' in body
    assert "/static/js/countdown.js" in body
    assert "1.500.000,00\xa0€" in body
    assert "EFRE: 75\xa0%" in body and "Stadt: 25\xa0%" in body


def test_call_page_in_english_uses_english_criteria_and_formats(client, db, before_deadline):
    competition = leipzig_call()
    body = page(client, call_url(competition), headers={"Accept-Language": "en"})
    assert "Cluster potential" in body and "Clusterpotenzial" not in body
    assert "31 May 2030, 12:00" in body
    assert "3 days, 4 hours, 30 minutes" in body


def test_deadline_is_shown_in_the_competitions_own_zone(client, db, before_deadline):
    competition = leipzig_call(timezone="Europe/London")
    body = page(client, call_url(competition))
    assert "31.05.2030, 11:00 Uhr" in body
    assert "Europe/London" in body


# --- applying ---------------------------------------------------------------------------

def test_logged_in_applicant_sees_the_apply_form(client, db, login_as, before_deadline):
    competition = leipzig_call()
    login_as(UserFactory())
    body = page(client, call_url(competition))
    form = re.search(rf'<form method="post" action="/calls/{competition.id}/apply">(.*?)</form>', body, re.S)
    assert form, "apply form missing"
    assert 'name="csrf_token"' in form.group(1)
    assert "Teilnehmen: Antrag beginnen" in form.group(1)


def test_anonymous_visitor_is_asked_to_log_in_and_comes_back(client, db, before_deadline):
    competition = leipzig_call()
    body = page(client, call_url(competition))
    assert f"/calls/{competition.id}/apply" not in body
    assert f'href="/login?next=/calls/{competition.id}"' in body or \
        f'href="/login?next=%2Fcalls%2F{competition.id}"' in body
    assert "Anmelden und teilnehmen" in body


@pytest.mark.parametrize("moment,text", [
    (DEADLINE, "Die Einreichungsfrist ist abgelaufen."),
    (DEADLINE + timedelta(days=2), "Die Einreichungsfrist ist abgelaufen."),
    (DEADLINE - timedelta(days=91), "Die Einreichung beginnt am 02.03.2030, 11:00 Uhr."),
])
def test_no_apply_button_outside_the_submission_window(client, db, login_as, moment, text):
    competition = leipzig_call()
    login_as(UserFactory())
    with time_machine.travel(moment, tick=False):
        body = page(client, call_url(competition))
    assert f"/calls/{competition.id}/apply" not in body
    assert "Verbleibende Zeit" not in body
    assert text in body


@pytest.mark.parametrize("phase", ["precheck", "review", "closed"])
def test_no_apply_button_after_the_call_moved_on(client, db, login_as, phase):
    competition = CompetitionFactory(phase=phase, submission_deadline=utcnow() - timedelta(days=1))
    login_as(UserFactory())
    body = page(client, call_url(competition))
    assert f"/calls/{competition.id}/apply" not in body
    assert "Anmelden und teilnehmen" not in body
