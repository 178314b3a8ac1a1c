"""In a real browser: the jury meeting awards a proposal over budget, letters go out, the protocol is downloaded."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.decisions.models import Decision
from app.decisions.services import record_decision
from app.extensions import db as _db
from tests.builders.decisions import decision_case

pytestmark = pytest.mark.e2e

RATIONALE = "Überzeugende Energieberatung für den Stadtteil."


def test_admin_awards_in_the_meeting_sends_letters_and_downloads_the_protocol(page, db, app, check_a11y,
                                                                               screenshot, tmp_path):
    case = decision_case()
    with app.test_request_context():
        # Autozulieferer West already has the award: 800,000 of the 1,000,000 EUR budget are taken.
        record_decision(case.auto, outcome="awarded", rationale="Platz 1 der Rangliste.", actor=case.admin)
        _db.session.commit()

    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(case.admin.email)
    page.get_by_label("Passwort", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"/admin/competitions/{case.competition.id}/meeting")
    assert page.get_by_role("heading", level=2, name="Autozulieferer West").is_visible()
    check_a11y(page, "decision meeting")
    screenshot(page, "decision-meeting")

    page.get_by_role("link", name="Weiter").click()
    page.get_by_role("link", name="Weiter").click()
    assert page.get_by_role("heading", level=2, name="Energie Lindenau").is_visible()
    page.get_by_label("Ergebnis").select_option("awarded")
    page.get_by_label("Begründung", exact=True).fill(RATIONALE)
    page.get_by_label("Notiz aus der Jurysitzung").fill("Mehrheitlich beschlossen.")
    page.get_by_role("button", name="Festhalten und zum nächsten Antrag").click()

    # Over budget: refused with a warning until the administrator confirms it; the input stays.
    warning = page.locator("#award-warnings")
    assert warning.is_visible() and "Budget" in warning.inner_text()
    assert page.get_by_label("Begründung", exact=True).input_value() == RATIONALE
    check_a11y(page, "meeting with budget warning")
    page.get_by_label("Ich bestätige trotz der Warnung").check()
    page.get_by_role("button", name="Festhalten und zum nächsten Antrag").click()
    assert page.get_by_text("Die Entscheidung über „Energie Lindenau“ wurde festgehalten.").is_visible()
    assert page.get_by_role("heading", level=2, name="Medienhof Plagwitz").is_visible()
    decision = _db.session.scalar(select(Decision).where(Decision.proposal_id == case.energy.id))
    assert decision.outcome == "awarded" and decision.meeting_note == "Mehrheitlich beschlossen."

    page.goto(f"/admin/competitions/{case.competition.id}/decisions")
    assert page.locator("#summary-over-budget").is_visible()
    check_a11y(page, "decisions")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Schreiben versenden").click()
    assert page.get_by_text("2 Entscheidungsschreiben wurden in den Postausgang gelegt.").is_visible()
    letters = _db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "decision_letter")).all()
    assert sorted(m.recipient for m in letters) == sorted([case.auto.applicant.email, case.energy.applicant.email])

    page.goto(f"/admin/competitions/{case.competition.id}/protocol")
    check_a11y(page, "protocol")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als HTML herunterladen (druckfertig)").click()
    saved = tmp_path / "protocol.html"
    download_info.value.save_as(saved)
    html = saved.read_text(encoding="utf-8")
    assert RATIONALE in html and "Befangene Jurorin" in html
    page.goto("about:blank")  # opened as a file: no site CSP, so its own styles apply
    page.set_content(html)
    check_a11y(page, "downloaded protocol")

    page.goto(f"/admin/competitions/{case.competition.id}/exports")
    check_a11y(page, "exports")
    page.get_by_role("link", name="Prüfakte bereitstellen (ZIP)").click()
    page.get_by_role("heading", name="Prüfakte").wait_for()
    check_a11y(page, "audit file document page")
    with page.expect_download() as audit_download:
        page.get_by_role("link", name=re.compile(r"audit-file-.*\.zip herunterladen")).click()
    assert audit_download.value.suggested_filename.startswith("audit-file-")
