"""In a real browser: a juror scores with autosave, reloads, submits and then reads the other jurors' reviews."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders.jury import assigned_juror, pool_proposal
from tests.builders.scoring import review_competition, submitted_review

pytestmark = pytest.mark.e2e

FIRST = "Überzeugende Analyse der Zulieferer im Leipziger Westen, mit Zahlen belegt."
SECOND = "Maßnahmen terminiert und mit Kosten hinterlegt; Eigenanteil angemessen."


@pytest.fixture
def juror_with_assignment(db):
    competition = review_competition(other_reviews_visibility="after_own")
    proposal = pool_proposal(competition, network_name="Netzwerk Automobilzulieferer Leipziger Westen")
    me = assigned_juror(proposal, email="juror@uni-leipzig.example", name="Prof. Jens Hartmann")
    other = assigned_juror(proposal, name="Monika Becker")
    submitted_review(other, proposal, [3.5, 4], justification="Solide Verankerung im Programmgebiet")
    return {"competition": competition, "proposal": proposal, "me": me}


def test_score_autosave_reload_submit_and_see_other_reviews(page, juror_with_assignment, check_a11y, screenshot,
                                                            log_in):
    proposal = juror_with_assignment["proposal"]
    log_in(page, juror_with_assignment["me"].email)
    page.goto("/jury")
    check_a11y(page, "jury dashboard")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "0")
    page.get_by_role("link", name=re.compile("Bewertung beginnen")).click()
    check_a11y(page, "scoring form")
    expect(page.get_by_text("5 = überzeugend belegt")).to_be_visible()  # the rubric

    page.get_by_role("group", name="Punktzahl: Clusterpotenzial").get_by_label("4,5", exact=True).check()
    page.get_by_label("Begründung: Clusterpotenzial").fill(FIRST)
    page.get_by_role("group", name="Punktzahl: Maßnahmenkatalog").get_by_label("4", exact=True).check()
    page.get_by_label("Begründung: Maßnahmenkatalog").fill(SECOND)
    expect(page.locator("#autosave-status")).to_have_text(re.compile(r"Gespeichert um \d\d:\d\d Uhr"),
                                                          timeout=15_000)
    screenshot(page, "scoring-form")

    page.reload()
    expect(page.get_by_label("Begründung: Clusterpotenzial")).to_have_value(FIRST)
    expect(page.get_by_label("Begründung: Maßnahmenkatalog")).to_have_value(SECOND)
    cluster = page.get_by_role("group", name="Punktzahl: Clusterpotenzial")
    expect(cluster.get_by_label("4,5", exact=True)).to_be_checked()
    expect(page.locator("#autosave-restore")).to_be_hidden()  # the server has it all: nothing to restore

    page.get_by_role("button", name="Bewertung einreichen").click()
    check_a11y(page, "confirm submission")
    expect(page.get_by_text(SECOND)).to_be_visible()
    page.get_by_role("button", name="Bewertung jetzt einreichen").click()
    expect(page.get_by_text("Ihre Bewertung wurde eingereicht")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/jury/proposals/{proposal.id}/reviews$"))
    expect(page.get_by_role("heading", name="Bewertung von Jurymitglied A")).to_be_visible()
    expect(page.get_by_text("Solide Verankerung im Programmgebiet").first).to_be_visible()
    expect(page.get_by_text("Monika Becker")).to_have_count(0)
    check_a11y(page, "other reviews")

    page.get_by_role("link", name="Diskussion").click()
    page.get_by_label("Ihre Nachricht").fill("Ich schlage vor, beim Clusterpotenzial 4 zu vereinbaren.")
    page.get_by_role("button", name="Nachricht senden").click()
    expect(page.get_by_text("Ich schlage vor, beim Clusterpotenzial 4 zu vereinbaren.")).to_be_visible()
    check_a11y(page, "discussion")
    page.get_by_role("link", name="Konsens").click()
    expect(page.get_by_text("noch kein/e Berichterstatter/in benannt")).to_be_visible()
    check_a11y(page, "consensus")

    page.goto("/jury")
    expect(page.get_by_text("1 von 1 Bewertungen eingereicht")).to_be_visible()


def test_text_typed_while_offline_is_offered_back_after_reload(page, juror_with_assignment, check_a11y, log_in):
    proposal = juror_with_assignment["proposal"]
    log_in(page, juror_with_assignment["me"].email)
    page.goto(f"/jury/proposals/{proposal.id}/review")
    page.route("**/review/autosave", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Begründung: Clusterpotenzial").fill("Entwurf ohne Verbindung geschrieben")
    expect(page.locator("#autosave-status")).to_have_text(re.compile("keine Verbindung"), timeout=15_000)
    page.unroute("**/review/autosave")

    page.reload()
    banner = page.locator("#autosave-restore")
    expect(banner).to_be_visible()
    check_a11y(page, "restore offer")
    expect(page.get_by_label("Begründung: Clusterpotenzial")).to_have_value("")
    page.get_by_role("button", name="Nicht gespeicherten Text wiederherstellen").click()
    expect(page.get_by_label("Begründung: Clusterpotenzial")).to_have_value("Entwurf ohne Verbindung geschrieben")
    expect(page.locator("#autosave-status")).to_have_text(re.compile("Gespeichert"), timeout=15_000)
    page.reload()
    expect(page.get_by_label("Begründung: Clusterpotenzial")).to_have_value("Entwurf ohne Verbindung geschrieben")
    expect(banner).to_be_hidden()


def test_admin_names_rapporteur_who_drafts_and_proposes_the_consensus(page, db, check_a11y, log_in):
    from tests.factories import AdminFactory

    competition = review_competition(phase="consensus")
    proposal = pool_proposal(competition, network_name="Kreativquartier Plagwitz")
    rapporteur = assigned_juror(proposal, email="rapporteur@ihk.example", name="Monika Becker")
    other = assigned_juror(proposal, name="Andreas Kraus")
    submitted_review(rapporteur, proposal, [4, 4])
    submitted_review(other, proposal, [1, 1.5])
    admin = AdminFactory(email="admin@stadt.example")

    log_in(page, admin.email)
    page.goto(f"/admin/competitions/{competition.id}/consensus")
    check_a11y(page, "consensus overview")
    expect(page.get_by_text("markiert")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Konsens.*Kreativquartier Plagwitz")).click()
    check_a11y(page, "consensus page for the admin")
    page.get_by_label("Berichterstatter/in").select_option(label="Monika Becker (" + rapporteur.organisation + ")")
    page.get_by_role("button", name="Berichterstatter/in benennen").click()
    expect(page.get_by_text("Berichterstatter/in wurde benannt")).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()

    log_in(page, rapporteur.email)
    page.goto("/jury")
    page.get_by_role("link", name=re.compile("Konsensbericht für „Kreativquartier Plagwitz“ entwerfen")).click()
    check_a11y(page, "consensus form")
    page.get_by_label("Vereinbarte Punktzahl: Clusterpotenzial").select_option("3")
    page.get_by_label("Begründung: Clusterpotenzial").fill("Nach Aussprache: Potenzial vorhanden, Belege dünn.")
    page.get_by_label("Vereinbarte Punktzahl: Maßnahmenkatalog").select_option("2.5")
    page.get_by_label("Begründung: Maßnahmenkatalog").fill("Maßnahmen nur teilweise terminiert.")
    page.get_by_label("Minderheitsvotum: Clusterpotenzial (freiwillig)").fill("Ein Jurymitglied sieht kein Potenzial.")
    page.get_by_label("Konsensbericht").fill("Die Jury einigt sich auf eine mittlere Bewertung.")
    page.get_by_role("button", name="Der Jury vorlegen").click()
    expect(page.get_by_text("zur Zustimmung vorgelegt")).to_be_visible()
    expect(page.get_by_text("Ein Jurymitglied sieht kein Potenzial.")).to_be_visible()
    check_a11y(page, "proposed consensus")
