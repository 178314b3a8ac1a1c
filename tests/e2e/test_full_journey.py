"""The whole product in one browser run: from the call to a released payment and the public directory.

Only the people are made with factories; everything else goes through the real UI, with a
separate browser context (own cookies) for every person. axe-core checks every page, and the
key pages are saved as screenshots for the user guide (`make guide-screenshots`).
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.contracts.models import Payment
from app.core.time import utcnow
from tests.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
TITLE = "Ideenwettbewerb Unternehmensnetzwerke Leipziger Westen"
RULES = ["Der Netzwerkträger hat seinen Sitz im Programmgebiet.",
         "Mindestens drei Partnerunternehmen aus dem Programmgebiet sind beteiligt."]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# Three network ideas; the scores the jurors give make the ranking A > C > B and flag B for disagreement.
NETWORKS = [
    {"key": "A", "name": "Netzwerk Automobilzulieferer West", "sector": "Automobilzulieferer",
     "lead": "Gießerei Plagwitz GmbH", "partners": ["Zulieferteile Lindenau GmbH", "Kabelwerk Leutzsch GmbH",
                                                    "Lackiererei West GmbH"]},
    {"key": "B", "name": "Energieberatung Lindenau", "sector": "Energie- und Umwelttechnik",
     "lead": "Solartechnik Lindenau GmbH", "partners": ["Heizungsbau Leutzsch GmbH", "Dämmstoffe West GmbH",
                                                        "Energiebüro Plagwitz GmbH"]},
    {"key": "C", "name": "Medienhof Plagwitz", "sector": "Medien",
     "lead": "Tonstudio Plagwitz GmbH", "partners": ["Filmschnitt Lindenau GmbH", "Verlag West GmbH",
                                                     "Postproduktion Leutzsch GmbH"]},
]
SCORES = {"A": ["4.5", "4.5"], "B": ["5", "2"], "C": ["4", "4"]}  # per proposal: first and second reviewer


def de_number(value: str) -> str:
    """A score option's label in the German UI ("4.5" -> "4,5")."""
    return value.replace(".", ",")


def person(browser, live_server, email: str, locale: str = "de-DE"):
    """A browser page in its own context, logged in as the person with this email."""
    context = browser.new_context(base_url=live_server, locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    return page


def visit(page, check_a11y, path: str, name: str):
    """Open a page and check it with axe-core."""
    page.goto(path)
    check_a11y(page, name)


def advance(page, check_a11y, competition_id: int, phase: str) -> None:
    """Start the next phase from the competition's admin page (the browser asks for confirmation)."""
    visit(page, check_a11y, f"/admin/competitions/{competition_id}", f"competition before {phase}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"^Phase „.+“ starten$")).click()
    expect(page.get_by_text(re.compile(r"Der Wettbewerb ist jetzt in der Phase „.+“\."))).to_be_visible()


def local_input(moment) -> str:
    """A UTC moment as typed into a datetime-local field in Berlin time."""
    return moment.astimezone(ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M")


def create_competition(page, check_a11y, screenshot) -> int:
    """The administrator creates the call with its criteria and opens it; returns its id."""
    visit(page, check_a11y, "/admin/competitions", "admin competitions")
    page.get_by_role("link", name="Neuer Wettbewerb").click()
    check_a11y(page, "new competition")
    page.get_by_label("Titel", exact=True).fill(TITLE)
    page.get_by_label("Förderprogramm").fill("URBAN II Leipziger Westen")
    page.get_by_label("Maßnahme").fill("1.2 Förderung vernetzter Wirtschaftsstrukturen")
    page.get_by_label("Aufrufstext (Markdown)").fill(
        "Die Stadt sucht **Ideen für Unternehmensnetzwerke** im Programmgebiet Leipziger Westen.\n\n"
        "- Analyse des Clusterpotenzials\n- Maßnahmenkatalog mit Kosten\n- Kennzahlen mit Zielwerten")
    page.get_by_label("Teilnahmevoraussetzungen (eine pro Zeile)").fill("\n".join(RULES))
    # A short deadline: the three proposals go in first, then the administrator closes the call early.
    page.get_by_label("Einreichungsfrist", exact=True).fill(local_input(utcnow() + timedelta(days=2)))
    page.get_by_label("Gesamtbudget (EUR)").fill("500.000,00")
    page.get_by_label("Gewinner: mindestens").fill("1")
    page.get_by_label("Gewinner: höchstens").fill("2")
    page.get_by_label("Bewertungen je Antrag").fill("2")
    page.get_by_role("button", name="Wettbewerb anlegen").click()
    expect(page.get_by_text("Der Wettbewerb wurde als Entwurf angelegt.")).to_be_visible()
    competition_id = int(re.search(r"/admin/competitions/(\d+)", page.url).group(1))
    check_a11y(page, "competition draft")

    page.get_by_role("link", name="Kriterien verwalten").click()
    check_a11y(page, "criteria")
    page.get_by_role("link", name="Bearbeiten: Clusterpotenzial").click()
    page.get_by_label("Gewichtung").fill("0,3")
    page.get_by_role("button", name="Kriterium speichern").click()
    expect(page.get_by_text("Das Kriterium wurde gespeichert.")).to_be_visible()
    screenshot(page, "admin-criteria")
    advance(page, check_a11y, competition_id, "Einreichung offen")
    screenshot(page, "admin-competition")
    return competition_id


def submit_proposal(page, check_a11y, screenshot, network: dict, competition_id: int, shots: bool) -> int:
    """An applicant reads the call, fills every section and submits; returns the proposal id."""
    visit(page, check_a11y, "/calls", "calls")
    page.get_by_role("link", name=TITLE).click()
    check_a11y(page, "call page")
    if shots:
        screenshot(page, "call-page")
    page.goto("/my/proposals")
    check_a11y(page, "my proposals")
    page.get_by_role("button", name=re.compile("Antrag beginnen")).click()
    check_a11y(page, "section network")
    page.get_by_label("Name des Netzwerks").fill(network["name"])
    page.get_by_label("Kurzname").fill(network["key"])
    page.get_by_label("Branche").select_option(network["sector"])
    page.get_by_label("Art der Initiative").select_option("companies")
    page.get_by_label("Schlagworte").fill(network["sector"])
    save = page.get_by_role("button", name="Speichern und weiter")
    save.click()
    check_a11y(page, "section lead")
    page.get_by_label("Straße und Hausnummer").fill("Karl-Heine-Straße 1")
    page.get_by_label("Postleitzahl").fill("04229")
    page.get_by_label("Ort", exact=True).fill("Leipzig")
    save.click()
    for row, organisation in enumerate(network["partners"]):
        if row:
            page.get_by_role("button", name="Partner hinzufügen").click()
        # Each click reloads the form: wait for the new row and the page's load before typing (on a busy
        # machine a value typed while the new page was still loading got lost).
        page.locator(f"#partners-{row}-organisation").wait_for()
        page.wait_for_load_state("load")
        page.locator(f"#partners-{row}-organisation").fill(organisation)
        page.locator(f"#partners-{row}-town").fill("Leipzig")
        page.locator(f"#partners-{row}-in_programme_area").check()
        page.locator(f"#partners-{row}-letter_of_intent").check()
    check_a11y(page, "section partners")
    if shots:
        screenshot(page, "proposal-form")
    save.click()
    page.get_by_label("Analyse des Clusterpotenzials").fill(
        f"Im Leipziger Westen arbeiten über 40 Firmen der Branche {network['sector']}.")
    page.get_by_label("Ziele des Netzwerks").fill("Gemeinsame Akquise, geteilte Technik, Fachkräfte.")
    save.click()
    page.locator("#measures-0-title").fill("Gemeinsamer Messeauftritt")
    page.locator("#measures-0-period").fill("Monat 1 bis 6")
    page.locator("#measures-0-cost").fill("12.500,00")
    save.click()
    page.locator("#kpis-0-indicator").fill("Mitgliedsunternehmen")
    page.locator("#kpis-0-unit").fill("Unternehmen")
    page.locator("#kpis-0-baseline").fill("5")
    page.locator("#kpis-0-target").fill("25")
    save.click()
    check_a11y(page, "section finances")
    page.get_by_label("Laufzeit in Monaten").fill("24")
    page.get_by_label("Beantragte Förderung (EUR)").fill("240.000,00")
    page.get_by_label("Eigenanteil (EUR)").fill("60.000,00")
    save.click()
    check_a11y(page, "section attachments")
    page.get_by_role("link", name="Weiter zur Prüfung vor dem Einreichen").click()
    expect(page.get_by_role("heading", name="Ihr Antrag ist vollständig")).to_be_visible()
    check_a11y(page, "review before submitting")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Antrag jetzt einreichen").click()
    expect(page.get_by_text("Ihre Eingangsnummer lautet")).to_be_visible()
    check_a11y(page, "receipt")
    if shots:
        screenshot(page, "proposal-receipt")
    return int(re.search(r"/proposals/(\d+)", page.url).group(1))


def precheck_all(page, check_a11y, screenshot, competition_id: int) -> None:
    """The administrator records the formal pre-check of every proposal as eligible."""
    for index, network in enumerate(NETWORKS):
        visit(page, check_a11y, f"/admin/competitions/{competition_id}/proposals", "proposal list")
        page.get_by_role("link", name=network["name"], exact=True).click()
        check_a11y(page, "proposal detail (admin)")
        page.get_by_role("link", name="Vorprüfung erfassen").click()
        for rule in RULES:
            page.get_by_role("group", name=rule).get_by_label("Erfüllt", exact=True).check()
        page.get_by_role("group", name="Ergebnis der Vorprüfung").get_by_label("Förderfähig", exact=True).check()
        check_a11y(page, "pre-check form")
        if index == 0:
            screenshot(page, "admin-precheck")
        page.get_by_role("button", name="Vorprüfung speichern").click()
        expect(page.get_by_text(re.compile(r"Die Vorprüfung von .* wurde gespeichert\."))).to_be_visible()
    check_a11y(page, "proposal list after pre-check")
    screenshot(page, "admin-proposal-list")


def sign_and_declare(page, check_a11y, screenshot, competition_id: int, conflict_with: str | None) -> None:
    """A juror signs the declaration and declares a conflict of interest where there is one."""
    visit(page, check_a11y, "/jury", "jury dashboard before signing")
    page.goto(f"/jury/competitions/{competition_id}/conflicts")
    expect(page.get_by_role("heading", name="Vertraulichkeits- und Unbefangenheitserklärung")).to_be_visible()
    check_a11y(page, "declaration")
    page.get_by_label("Ich habe die Erklärung gelesen und stimme ihr zu.").check()
    page.get_by_role("button", name="Erklärung unterzeichnen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Befangenheiten")
    check_a11y(page, "conflicts")
    if conflict_with:
        page.get_by_label(f"Begründung der Befangenheit – {conflict_with}").fill(
            "Ich berate den Netzwerkträger seit zwei Jahren.")
        page.get_by_role("button", name=f"Befangenheit erklären – {conflict_with}").click()
        expect(page.get_by_text(f"Ihre Befangenheit bei „{conflict_with}“ wurde erfasst.")).to_be_visible()
        check_a11y(page, "conflicts after declaring")
        screenshot(page, "jury-conflicts")


def score_everything(page, check_a11y, screenshot, given: dict, shots: bool) -> None:
    """A juror scores every assigned proposal with justifications and submits each review."""
    visit(page, check_a11y, "/jury", "jury dashboard")
    if shots:
        screenshot(page, "jury-dashboard")
    while page.get_by_role("link", name=re.compile("Bewertung beginnen")).count():
        page.get_by_role("link", name=re.compile("Bewertung beginnen")).first.click()
        check_a11y(page, "scoring form")
        title = page.get_by_role("heading", level=1).inner_text()
        network = next(n for n in NETWORKS if n["name"] in title)
        score = SCORES[network["key"]][given.setdefault(network["key"], 0)]
        given[network["key"]] += 1
        for group in page.locator("#review-form fieldset").all():
            group.get_by_label(de_number(score), exact=True).check()
        for justification in page.locator("#review-form textarea[id^='justification_']").all():
            justification.fill(f"Bewertet mit {de_number(score)} Punkten nach den Ankerbeispielen.")
        expect(page.locator("#autosave-status")).to_have_text(re.compile("Gespeichert"), timeout=15_000)
        if shots:
            screenshot(page, "jury-scoring-form")
            shots = False
        page.get_by_role("button", name="Bewertung einreichen").click()
        check_a11y(page, "confirm submission")
        page.get_by_role("button", name="Bewertung jetzt einreichen").click()
        expect(page.get_by_text("Ihre Bewertung wurde eingereicht")).to_be_visible()
        check_a11y(page, "other reviews")
        visit(page, check_a11y, "/jury", "jury dashboard")


def add_milestone(page, check_a11y, screenshot, kpi, unit, baseline, target, tranche) -> None:
    """The administrator adds a milestone with its KPI and tranche to the unsigned contract."""
    page.get_by_role("link", name="Meilenstein hinzufügen").click()
    check_a11y(page, "milestone form")
    page.get_by_label("Kennzahl (was gemessen wird)").fill(kpi)
    page.get_by_label("Einheit").fill(unit)
    page.get_by_label("Ausgangswert").fill(baseline)
    page.get_by_label("Zielwert").fill(target)
    page.get_by_label("Fälligkeit").fill((utcnow() + timedelta(days=180)).strftime("%Y-%m-%d"))
    page.get_by_label("Tranche (EUR)").fill(tranche)
    if screenshot:
        screenshot(page, "admin-milestone-form")
    page.get_by_role("button", name="Meilenstein speichern").click()
    expect(page.get_by_text("Der Meilenstein wurde hinzugefügt.")).to_be_visible()


LEGAL_FOOTER = re.compile("Rechtliche Hinweise|Legal information")
LEGAL_LINKS = (re.compile("^(Impressum|Legal notice)$"), re.compile("^(Datenschutzerklärung|Privacy notice)$"),
               re.compile("^(Erklärung zur Barrierefreiheit|Accessibility statement)$"))


@pytest.fixture
def check_a11y(check_a11y):
    """axe-core on every page of the journey, and the footer's links to the three legal pages on each."""

    def _check(page, name: str = "") -> None:
        check_a11y(page, name)
        footer = page.get_by_role("navigation", name=LEGAL_FOOTER)
        for link in LEGAL_LINKS:
            expect(footer.get_by_role("link", name=link)).to_be_visible()

    return _check


@pytest.fixture
def screenshot(screenshot):
    """Screenshots for docs/guide/img/ as JPEG (quality 70) to keep the committed files small."""
    return lambda page, name: screenshot(page, name, jpeg=True)


def test_full_journey_from_call_to_payment_and_directory(browser, live_server, db, check_a11y, screenshot):
    admin_user = AdminFactory(email="vogel@stadt-leipzig.example", name="Katrin Vogel")
    applicants = [UserFactory(email=f"antrag{n}@netzwerk.example", name=name, organisation=network["lead"])
                  for n, (name, network) in enumerate(zip(["Petra Lehmann", "Jan Richter", "Aylin Demir"],
                                                          NETWORKS, strict=True), start=1)]
    jurors = [UserFactory(email=email, name=name, organisation=org) for email, name, org in [
        ("hartmann@uni-leipzig.example", "Prof. Jens Hartmann", "Universität Leipzig"),
        ("becker@ihk-leipzig.example", "Monika Becker", "IHK zu Leipzig"),
        ("kraus@hwk-leipzig.example", "Andreas Kraus", "Handwerkskammer zu Leipzig")]]
    db.session.commit()

    # 1. The administrator creates the call with its criteria and opens it.
    admin = person(browser, live_server, admin_user.email)
    competition_id = create_competition(admin, check_a11y, screenshot)

    # 2. Three applicants submit their network ideas.
    proposal_ids = {}
    for applicant, network in zip(applicants, NETWORKS, strict=True):
        page = person(browser, live_server, applicant.email)
        proposal_ids[network["key"]] = submit_proposal(page, check_a11y, screenshot, network, competition_id,
                                                       shots=network["key"] == "A")
        page.context.close()

    # 3. The call closes: the administrator brings the deadline forward in the edit form
    #    (past deadlines are accepted there), then starts the formal pre-check.
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/edit", "edit competition")
    admin.get_by_label("Einreichungsfrist", exact=True).fill(local_input(utcnow() - timedelta(minutes=1)))
    admin.get_by_role("button", name="Änderungen speichern").click()
    expect(admin.get_by_text("Die Änderungen wurden gespeichert.")).to_be_visible()
    advance(admin, check_a11y, competition_id, "Formale Vorprüfung")
    precheck_all(admin, check_a11y, screenshot, competition_id)
    advance(admin, check_a11y, competition_id, "Begutachtung (Bewertung)")

    # 4. The jury: appointed, declarations signed, one conflict declared, then the automatic assignment.
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/jury", "jury members")
    for juror in jurors:
        admin.get_by_label("E-Mail-Adresse").fill(juror.email)
        admin.get_by_role("button", name="In die Jury berufen").click()
        expect(admin.get_by_role("row", name=re.compile(juror.name))).to_be_visible()
    check_a11y(admin, "jury members after appointing")
    juror_pages = [person(browser, live_server, juror.email) for juror in jurors]
    for number, page in enumerate(juror_pages):
        sign_and_declare(page, check_a11y, screenshot, competition_id,
                         conflict_with=NETWORKS[2]["name"] if number == 0 else None)
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/assignments", "assignment")
    admin.get_by_role("button", name="Automatisch zuweisen").click()
    expect(admin.get_by_text("Automatische Zuweisung abgeschlossen: 6 neue Zuweisungen.")).to_be_visible()
    check_a11y(admin, "assignment after")
    screenshot(admin, "admin-assignment")

    # 5. The jurors score.
    given: dict = {}
    for number, page in enumerate(juror_pages):
        score_everything(page, check_a11y, screenshot, given, shots=number == 1)
    assert given == {"A": 2, "B": 2, "C": 2}

    # 6. Consensus for the contested proposal B: rapporteur named, report proposed, approved.
    advance(admin, check_a11y, competition_id, "Konsens")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/consensus", "consensus overview")
    screenshot(admin, "admin-consensus")
    b_name = NETWORKS[1]["name"]
    admin.get_by_role("link", name=re.compile(f"^Konsens.*{b_name}")).click()
    check_a11y(admin, "consensus page (admin)")
    rapporteur_select = admin.get_by_label("Berichterstatter/in")
    reviewers = [juror for juror in jurors
                 if rapporteur_select.locator("option", has_text=juror.name).count()]
    rapporteur = reviewers[0]
    rapporteur_select.select_option(label=f"{rapporteur.name} ({rapporteur.organisation})")
    admin.get_by_role("button", name="Berichterstatter/in benennen").click()
    expect(admin.get_by_text("Berichterstatter/in wurde benannt")).to_be_visible()

    rapporteur_page = juror_pages[jurors.index(rapporteur)]
    visit(rapporteur_page, check_a11y, "/jury", "jury dashboard with consensus task")
    rapporteur_page.get_by_role("link", name=re.compile(f"Konsensbericht für „{b_name}“ entwerfen")).click()
    check_a11y(rapporteur_page, "consensus form")
    for agreed in rapporteur_page.locator("select[id^='value_']").all():
        agreed.select_option("3.5")
    for text in rapporteur_page.locator("textarea[id^='comment_']").all():
        text.fill("Nach Aussprache: solide, aber Belege teils dünn.")
    rapporteur_page.get_by_label("Konsensbericht").fill("Die Jury einigt sich auf 3,5 Punkte je Kriterium.")
    screenshot(rapporteur_page, "jury-consensus-form")
    rapporteur_page.get_by_role("button", name="Der Jury vorlegen").click()
    expect(rapporteur_page.get_by_text("zur Zustimmung vorgelegt")).to_be_visible()
    check_a11y(rapporteur_page, "proposed consensus")
    second = juror_pages[jurors.index(reviewers[1])] if len(reviewers) > 1 else None
    if second is not None:
        second.goto(f"/jury/proposals/{proposal_ids['B']}/consensus")
        check_a11y(second, "consensus to approve")
        second.get_by_role("button", name="Dem Konsensbericht zustimmen").click()
        check_a11y(second, "approved consensus")
    for page in juror_pages:
        page.context.close()

    # 7. Ranking, decision meeting and letters.
    advance(admin, check_a11y, competition_id, "Entscheidung")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/ranking", "ranking")
    expect(admin.locator("tr.funding-line")).to_be_visible()
    screenshot(admin, "admin-ranking")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/statistics", "statistics")
    screenshot(admin, "admin-statistics")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/meeting", "decision meeting")
    screenshot(admin, "admin-decision-meeting")
    outcomes = {NETWORKS[0]["name"]: "awarded", NETWORKS[2]["name"]: "awarded", NETWORKS[1]["name"]: "rejected"}
    for _ in range(3):
        heading = admin.get_by_role("heading", level=2).first.inner_text()
        name = next(n for n in outcomes if n in heading)
        admin.get_by_label("Ergebnis").select_option(outcomes[name])
        admin.get_by_label("Begründung", exact=True).fill(
            "Platz in der Rangliste innerhalb der Förderlinie." if outcomes[name] == "awarded"
            else "Unterhalb der Förderlinie; Budget ausgeschöpft.")
        admin.get_by_role("button", name=re.compile("Festhalten")).click()
        expect(admin.get_by_text(f"Die Entscheidung über „{name}“ wurde festgehalten.")).to_be_visible()
        check_a11y(admin, "meeting after a decision")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/decisions", "decisions")
    admin.once("dialog", lambda dialog: dialog.accept())
    admin.get_by_role("button", name="Schreiben versenden").click()
    expect(admin.get_by_text("3 Entscheidungsschreiben wurden in den Postausgang gelegt.")).to_be_visible()
    screenshot(admin, "admin-decisions")
    visit(admin, check_a11y, f"/admin/competitions/{competition_id}/protocol", "protocol")
    advance(admin, check_a11y, competition_id, "Vertragsphase")

    # 8. The contract with a milestone, signed.
    visit(admin, check_a11y, "/admin/contracts", "portfolio")
    admin.get_by_role("link", name=re.compile(rf"Vertrag anlegen\s*:\s*{NETWORKS[0]['name']}")).click()
    check_a11y(admin, "create contract")
    # The worked example of METHOD.md: 240,000.00 EUR, of which 40,000.00 EUR fixed.
    admin.get_by_label("Vertragssumme (EUR)").fill("240.000,00")
    admin.get_by_label("Fester Anteil (EUR)").fill("40.000,00")
    admin.get_by_label("Kennzahlen des Antrags als Meilensteine übernehmen").uncheck()
    admin.get_by_role("button", name="Vertrag anlegen").click()
    expect(admin.get_by_text("wurde angelegt")).to_be_visible()
    contract_id = int(re.search(r"/admin/contracts/(\d+)", admin.url).group(1))
    check_a11y(admin, "contract page")
    add_milestone(admin, check_a11y, screenshot, "Mitgliedsunternehmen", "Unternehmen", "5", "25", "60.000,00")
    add_milestone(admin, check_a11y, None, "Gemeinsame Projekte", "Projekte", "0", "4", "140.000,00")
    admin.get_by_role("button", name="Unterzeichnung erfassen").click()
    expect(admin.get_by_text("Die Unterzeichnung wurde erfasst.")).to_be_visible()
    check_a11y(admin, "signed contract")

    # 9. The operator reports with evidence.
    operator = person(browser, live_server, applicants[0].email)
    visit(operator, check_a11y, "/my/contracts", "operator contracts")
    operator.get_by_role("link", name=re.compile(NETWORKS[0]["name"])).first.click()
    check_a11y(operator, "operator contract page")
    operator.get_by_role("link", name=re.compile(r"Fortschritt berichten\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(operator, "report form")
    operator.get_by_label("Istwert").fill("20")
    operator.get_by_label("Nachweis", exact=True).fill("Mitgliederliste mit 20 Unternehmen.")
    operator.get_by_label("Nachweisdateien").set_input_files(
        {"name": "Mitgliederliste.pdf", "mimeType": "application/pdf", "buffer": PDF})
    screenshot(operator, "operator-report")
    operator.get_by_role("button", name="Bericht einreichen").click()
    expect(operator.get_by_text("Ihr Bericht wurde eingereicht")).to_be_visible()

    # 10. The administrator verifies and releases the payment (the worked example: 45,000.00 EUR).
    visit(admin, check_a11y, f"/admin/contracts/{contract_id}", "contract with a report")
    admin.get_by_role("link", name=re.compile(r"Bericht prüfen\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(admin, "verify report")
    admin.get_by_role("button", name="Bericht anerkennen").click()
    expect(admin.get_by_text("Der Bericht wurde anerkannt.")).to_be_visible()
    admin.get_by_role("link", name=re.compile(r"Auszahlung freigeben\s*:\s*Mitgliedsunternehmen")).click()
    check_a11y(admin, "payment release")
    expect(admin.locator("#calculation").get_by_text("45.000,00 €").first).to_be_visible()
    screenshot(admin, "admin-payment-release")
    admin.get_by_role("button", name="Auszahlung von 45.000,00 € freigeben").click()
    expect(admin.locator("#payments").get_by_text("45.000,00 €").first).to_be_visible()
    check_a11y(admin, "contract after payment")
    screenshot(admin, "admin-contract")
    db.session.expire_all()
    payments = db.session.scalars(select(Payment)).all()
    assert [(p.contract_id, p.amount_cents) for p in payments] == [(contract_id, 4_500_000)]
    visit(operator, check_a11y, f"/my/contracts/{contract_id}", "operator contract after payment")
    screenshot(operator, "operator-contract")

    # 11. The funded network appears in the public directory.
    visit(admin, check_a11y, "/admin/networks", "admin networks")
    admin.get_by_role("row", name=re.compile(NETWORKS[0]["name"])).get_by_role("button", name="Eintrag anlegen").click()
    check_a11y(admin, "directory entry form")
    admin.get_by_role("button", name="Veröffentlichen").click()
    check_a11y(admin, "published entry")
    visitor = browser.new_context(base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 800})
    public = visitor.new_page()
    visit(public, check_a11y, "/networks", "directory")
    screenshot(public, "directory")
    public.get_by_role("link", name=NETWORKS[0]["name"]).first.click()
    check_a11y(public, "network page")
    expect(public.get_by_role("heading", level=1)).to_contain_text(NETWORKS[0]["name"])
    screenshot(public, "network-page")

    # 12. English screenshots for the English guide: the same people switch the language in the header.
    for page in (admin, operator, public):
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    english = {
        admin: [(f"/admin/competitions/{competition_id}", "admin-competition"),
                (f"/admin/proposals/{proposal_ids['A']}/precheck", "admin-precheck"),
                (f"/admin/competitions/{competition_id}/assignments", "admin-assignment"),
                (f"/admin/competitions/{competition_id}/consensus", "admin-consensus"),
                (f"/admin/competitions/{competition_id}/ranking", "admin-ranking"),
                (f"/admin/competitions/{competition_id}/decisions", "admin-decisions"),
                (f"/admin/contracts/{contract_id}", "admin-contract")],
        operator: [(f"/proposals/{proposal_ids['A']}", "proposal-receipt"),
                   (f"/my/contracts/{contract_id}", "operator-contract")],
        public: [(f"/calls/{competition_id}", "call-page"), ("/networks", "directory")],
    }
    for page, visits in english.items():
        for path, name in visits:
            visit(page, check_a11y, path, f"{name} (English)")
            screenshot(page, f"en-{name}")
