"""In a real browser: the legal pages from every footer, the barrier report, re-confirming a changed notice,
downloading one's data and a deletion carried out by an administrator."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import select

from app.core.models import OutboxMessage
from app.extensions import db as _db
from app.legal.examples import publish_example_texts
from app.legal.models import Consent
from app.legal.services import publish_text
from app.privacy.models import DeletionRequest
from tests.builders.jury import juror, pool_proposal, review_competition
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.e2e

LEGAL_LINKS = ("Impressum", "Datenschutzerklärung", "Erklärung zur Barrierefreiheit")


def shown(locator) -> None:
    """Wait until the locator's first match is visible (a click may still be loading the next page)."""
    locator.first.wait_for(state="visible")


def footer_is_complete(page, check_a11y, name: str) -> None:
    """The page links the three legal pages from its footer (a landmark named for them) and is axe clean."""
    legal = page.get_by_role("navigation", name="Rechtliche Hinweise")
    for label in LEGAL_LINKS:
        assert legal.get_by_role("link", name=label).is_visible(), f"{label} missing on {name}"
    check_a11y(page, name)


def test_footer_links_on_the_pages_of_each_role(page, db, log_in, check_a11y):
    admin = AdminFactory(email="chefin@stadt.example")
    publish_example_texts(admin)
    competition = review_competition()
    applicant = UserFactory(email="antrag@firma.example")
    pool_proposal(competition, applicant=applicant)
    jury_member = juror(competition, email="jury@uni.example")
    for person in (admin, applicant, jury_member):
        _db.session.add(Consent(user_id=person.id, version=2))
    _db.session.commit()

    for path in ("/", "/calls", "/networks", "/register", "/login", "/legal-notice", "/privacy", "/accessibility"):
        page.goto(path)
        footer_is_complete(page, check_a11y, path)
    for person, paths in ((applicant, ("/proposals", "/profile")), (jury_member, ("/jury", "/profile")),
                          (admin, ("/admin/legal", "/admin/legal/privacy/edit", "/admin/privacy",
                                   "/admin/privacy/retention", f"/admin/privacy/retention/{competition.id}"))):
        log_in(page, person.email)
        for path in paths:
            page.goto(path)
            footer_is_complete(page, check_a11y, f"{path} as {person.email}")
        page.context.clear_cookies()
    page.get_by_role("link", name="Impressum").click()
    shown(page.get_by_role("heading", name="Angaben nach § 5 DDG"))
    assert page.get_by_text("Beispieltext").first.is_visible()


def test_barrier_report_reaches_the_office(page, db, check_a11y):
    admin = AdminFactory(email="chefin@stadt.example")
    publish_example_texts(admin)
    _db.session.commit()
    page.goto("/")
    page.get_by_role("link", name="Erklärung zur Barrierefreiheit").click()
    shown(page.get_by_text("Durchsetzungsstelle für digitale Barrierefreiheit"))
    page.get_by_role("button", name="Rückmeldung senden").click()
    shown(page.get_by_text("Bitte korrigieren"))
    check_a11y(page, "feedback with errors")
    page.get_by_label("Auf welche Barriere sind Sie gestoßen?").fill("Der Kalender ist ohne Maus nicht bedienbar.")
    page.get_by_label("Auf welcher Seite (freiwillig)").fill("/proposals")
    page.get_by_label("Ihre E-Mail-Adresse für eine Antwort (freiwillig)").fill("leserin@example.org")
    page.get_by_role("button", name="Rückmeldung senden").click()
    shown(page.get_by_text("Ihre Nachricht wurde an das Amt gesendet"))
    check_a11y(page, "feedback sent")
    _db.session.expire_all()
    mail = _db.session.scalars(select(OutboxMessage)).one()
    assert mail.recipient == "chefin@stadt.example" and "ohne Maus" in mail.body


def test_changed_notice_is_confirmed_at_the_next_login(page, db, log_in, check_a11y):
    user = UserFactory(email="antrag@firma.example", name="Paula Antrag")
    publish_text("privacy", body_de="## Datenschutz\n\nErste Fassung.", body_en="", material=True, change_note="",
                 author=None)
    _db.session.add(Consent(user_id=user.id, version=1))
    _db.session.commit()
    publish_text("privacy", body_de="## Datenschutz\n\nNeu: Daten gehen auch an den Rechnungshof.", body_en="",
                 material=True, change_note="Neuer Empfänger: Rechnungshof", author=None)
    _db.session.commit()
    log_in(page, user.email)
    shown(page.get_by_role("heading", name="Bitte bestätigen Sie die Datenschutzerklärung"))
    shown(page.get_by_text("Neuer Empfänger: Rechnungshof"))
    check_a11y(page, "confirm privacy notice")
    page.goto("/profile")  # everything else waits for the confirmation
    shown(page.get_by_role("heading", name="Bitte bestätigen Sie die Datenschutzerklärung"))
    page.get_by_label("Ich habe die Datenschutzerklärung gelesen").check()
    page.get_by_role("button", name="Weiter").click()
    shown(page.get_by_text("Vielen Dank für die Bestätigung"))
    shown(page.get_by_role("heading", name="Profil"))


def test_download_own_data_and_deletion_carried_out_by_an_admin(page, db, log_in, check_a11y, tmp_path):
    admin = AdminFactory(email="chefin@stadt.example", name="Katrin Vogel")
    user = UserFactory(email="antrag@firma.example", name="Paula Antrag")
    pool_proposal(review_competition(), applicant=user, network_name="Netz Paula")
    log_in(page, user.email)
    page.goto("/profile")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meine Daten herunterladen (ZIP)").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert "Netz Paula" in archive.read("proposals.json").decode()
    page.get_by_role("button", name="Löschung beantragen").click()
    shown(page.get_by_text("Bitte bestätigen Sie mit dem Häkchen"))
    page.get_by_label("Mir ist klar, dass mein Konto geschlossen wird").check()
    page.get_by_role("button", name="Löschung beantragen").click()
    shown(page.get_by_text("Ihr Antrag ist gesendet"))
    check_a11y(page, "profile with waiting request")
    page.context.clear_cookies()

    log_in(page, admin.email)
    page.goto("/admin/privacy")
    check_a11y(page, "data protection admin")
    page.get_by_role("link", name="Paula Antrag (antrag@firma.example)").click()
    shown(page.get_by_text("Eingereichte Anträge: 1"))
    check_a11y(page, "deletion request")
    page.get_by_role("button", name="Löschung ausführen").click()
    shown(page.get_by_text("Die Daten sind gelöscht"))
    check_a11y(page, "deletion carried out")
    _db.session.expire_all()
    request = _db.session.scalars(select(DeletionRequest)).one()
    assert request.status == "completed" and request.user.is_deleted
    shown(page.get_by_role("heading", name=f"Löschantrag: Gelöschte Person {user.id}"))
