"""The demo's 28 submitted network ideas (and four drafts), submitted and formally pre-checked.

All companies, people and addresses are invented; email addresses use .example domains.
The three later winners of the Leipzig case are among the ideas: the automotive suppliers,
virtual product development, and energy and environmental technology networks.
Choices that vary (partners, costs, targets, times) come from a seeded random generator,
so every load produces the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.competitions.models import Competition
from app.competitions.services import change_phase
from app.core.time import utcnow
from app.demo import people
from app.demo.competition import (
    RULE_CONCEPT,
    RULE_FINANCES,
    RULE_LEAD_IN_AREA,
    RULE_PARTNERS_IN_AREA,
    ZONE,
    Timeline,
    create_demo_competition,
    demo_timeline,
)
from app.extensions import db
from app.proposals.models import Proposal
from app.proposals.precheck import record_precheck
from app.proposals.services import create_draft, save_section, submit_proposal

SEED = 2002
AREA_POSTCODES = {"04177", "04178", "04179", "04229"}  # Lindenau, Böhlitz-Ehrenberg, Leutzsch, Plagwitz


@dataclass(frozen=True)
class Idea:
    """One network idea as the demo submits it."""

    sector: str
    network_name: str
    short_name: str
    lead_name: str
    street: str
    postcode: str
    town: str
    contact: str
    email: str
    kind: str = "companies"
    partners_in_area: int = 4
    partners_outside: int = 0
    own_share: int | None = 20  # percent of the total cost; None: not stated
    verdict: str = ""  # "" = as the checklist says; "eligible"/"not_eligible" with reason
    reason: str = ""


AUTO, VPE, ENERGY = "Automobilzulieferer", "Virtuelle Produktentwicklung", "Energie- und Umwelttechnik"
CULTURE, MEDIA, CRAFT = "Kultur und Freizeit", "Medien", "Handwerk und Dienstleistungen"
RETAIL, LOGISTICS = "Einzelhandel und Stadtteilzentren", "Logistik"

IDEAS: list[Idea] = [
    # The three later winners, led by the demo applicants who can log in.
    Idea(AUTO, "Netzwerk Automobilzulieferer Leipziger Westen", "NAZ", "Automobilzulieferer Leipzig-West GmbH",
         "Industriestraße 12", "04229", "Leipzig", "Frank Lehmann", "info@zulieferer-west.example",
         partners_in_area=6, own_share=25),
    Idea(VPE, "Netzwerk Virtuelle Produktentwicklung", "VPE", "VPE Virtuelle Produktentwicklung e.V.",
         "Karl-Heine-Straße 93", "04229", "Leipzig", "Claudia Neumann", "kontakt@vpe-netz.example",
         partners_in_area=5, own_share=20),
    Idea(ENERGY, "Netzwerk Energie- und Umwelttechnik Leipziger Westen", "EUT",
         "Energie- und Umwelttechnik Leipziger Westen GmbH", "Lützner Straße 175", "04179", "Leipzig",
         "Rainer Schulz", "buero@energie-umwelt-lw.example", kind="consultancy", partners_in_area=5, own_share=20),
    Idea(CULTURE, "Kreativquartier Plagwitz", "KQP", "Kreativwerk Plagwitz UG", "Weißenfelser Straße 65",
         "04229", "Leipzig", "Julia Fischer", "post@kreativwerk-plagwitz.example", partners_in_area=4),
    # Further ideas of the call.
    Idea(AUTO, "Kompetenzverbund Leichtbau und Kunststoffteile", "KLK", "Lindenauer Kunststofftechnik GmbH",
         "Saalfelder Straße 8", "04179", "Leipzig", "Petra Wendt", "p.wendt@lindenauer-kunststoff.example"),
    Idea(AUTO, "Qualifizierungsverbund Fahrzeugelektrik", "QFE", "Kabelkonfektion Leutzsch GmbH",
         "Georg-Schwarz-Straße 140", "04179", "Leipzig", "Uwe Brandt", "u.brandt@kabel-leutzsch.example",
         partners_in_area=3, own_share=15),
    Idea(AUTO, "Oberflächentechnik-Verbund Plagwitz", "OVP", "Galvanik & Lackierung Plagwitz GmbH",
         "Naumburger Straße 30", "04229", "Leipzig", "Sven Krüger", "kontakt@galvanik-plagwitz.example",
         partners_in_area=3, own_share=30),
    Idea(VPE, "Digitale Fabrik Lindenau", "DFL", "CAD-Service Lindenau GmbH", "Merseburger Straße 102", "04177",
         "Leipzig", "Anja Hoffmann", "a.hoffmann@cad-lindenau.example", kind="consultancy"),
    Idea(VPE, "Rapid-Prototyping-Plattform Leipzig-West", "RPP", "3D-Modellbau Kleinzschocher UG",
         "Antonienstraße 22", "04229", "Leipzig", "Marco Seidel", "m.seidel@modellbau-kz.example",
         partners_in_area=3, own_share=15),
    Idea(ENERGY, "Solarverbund Westliche Vorstadt", "SWV", "Sonnenstrom Plagwitz GmbH", "Zschochersche Straße 48",
         "04229", "Leipzig", "Katja Sommer", "k.sommer@sonnenstrom-plagwitz.example"),
    Idea(ENERGY, "Flächenrecycling und Altlastensanierung West", "FAW", "Bodensanierung Leutzsch GmbH",
         "Hans-Driesch-Straße 27", "04179", "Leipzig", "Thomas Berger", "t.berger@boden-leutzsch.example",
         partners_in_area=3, own_share=25),
    Idea(ENERGY, "Wassertechnik-Cluster Weiße Elster", "WCE", "Hydrotechnik Lindenau GmbH",
         "Lützner Straße 40", "04177", "Leipzig", "Birgit Lorenz", "b.lorenz@hydrotechnik-lindenau.example"),
    Idea(CULTURE, "Kulturnetzwerk Karl-Heine-Kanal", "KKK", "Kanal-Kultur e.V.", "Karl-Heine-Straße 50", "04229",
         "Leipzig", "Stefan Vogt", "vorstand@kanal-kultur.example", partners_in_area=5, own_share=10),
    Idea(CULTURE, "Wassertourismus Weiße Elster", "WTE", "Bootsverleih Elsterflut GmbH", "Nonnenstraße 5",
         "04229", "Leipzig", "Heike Franke", "h.franke@elsterflut.example", partners_in_area=3, own_share=20),
    Idea(CULTURE, "Industriekultur-Route Leipziger Westen", "IKR", "Fabrikhallen Lindenau Veranstaltungs GmbH",
         "William-Zipperer-Straße 40", "04177", "Leipzig", "Jan Hartwig", "j.hartwig@fabrikhallen.example",
         kind="consultancy"),
    Idea(MEDIA, "Medienwirtschaft Leipzig-West", "MLW", "Filmproduktion Westwerk GmbH", "Karl-Heine-Straße 85",
         "04229", "Leipzig", "Nadine Busch", "n.busch@westwerk-film.example", partners_in_area=5),
    Idea(MEDIA, "Verlags- und Druckverbund Lindenau", "VDL", "Druckerei am Lindenauer Markt GmbH",
         "Lindenauer Markt 9", "04177", "Leipzig", "Holger Peters", "h.peters@druckerei-lindenau.example",
         partners_in_area=3, own_share=25),
    Idea(MEDIA, "Netzwerk Tonstudio und Musikproduktion", "NTM", "Klangfabrik Leutzsch GmbH",
         "Rathenaustraße 31", "04179", "Leipzig", "Lars Engel", "l.engel@klangfabrik.example",
         partners_in_area=2, verdict="not_eligible",
         reason="Nur zwei Partnerunternehmen benannt; der Aufruf verlangt mindestens drei aus dem Programmgebiet."),
    Idea(MEDIA, "Internetagenturen im Westen", "IAW", "Webwerkstatt Plagwitz GmbH", "Erich-Zeigner-Allee 64",
         "04229", "Leipzig", "Miriam Kraft", "m.kraft@webwerkstatt-plagwitz.example"),
    Idea(CRAFT, "Handwerkerhof Lindenau", "HHL", "Tischlerei Holzmann Lindenau", "Demmeringstraße 20", "04177",
         "Leipzig", "Bernd Holzmann", "tischlerei@holzmann-lindenau.example", partners_in_area=6, own_share=25),
    Idea(CRAFT, "Sanierungsverbund Gründerzeit", "SVG", "Altbausanierung Leutzsch GmbH", "Wettinerstraße 14",
         "04179", "Leipzig", "Ralf Winter", "r.winter@altbau-leutzsch.example"),
    Idea(CRAFT, "Servicenetz Gebäudetechnik West", "SGW", "Haustechnik Kleinzschocher GmbH",
         "Dieskaustraße 60", "04229", "Leipzig", "Sabine Roth", "s.roth@haustechnik-kz.example",
         partners_in_area=3, own_share=15),
    Idea(CRAFT, "Denkmalpflege-Netzwerk Leipziger Westen", "DNW", "Restaurierungswerkstatt Plagwitz",
         "Klingenstraße 18", "04229", "Leipzig", "Ingrid Baumann", "i.baumann@restaurierung-plagwitz.example",
         partners_in_area=2, partners_outside=1, verdict="eligible",
         reason="Der dritte Partner (Borna) unterhält eine Betriebsstätte im Programmgebiet; die "
                "Gewerbeanmeldung liegt dem Antrag bei. Die Bedingung gilt damit als erfüllt."),
    Idea(RETAIL, "Händlergemeinschaft Georg-Schwarz-Straße", "HGS", "Werbegemeinschaft Georg-Schwarz-Straße e.V.",
         "Georg-Schwarz-Straße 44", "04177", "Leipzig", "Monika Haas", "info@gss-haendler.example",
         partners_in_area=7, own_share=10),
    Idea(RETAIL, "Lindenauer Markt lebt", "LML", "Stadtteilladen Lindenau GmbH", "Lindenauer Markt 21", "04177",
         "Leipzig", "Oliver Graf", "o.graf@stadtteilladen-lindenau.example", own_share=None,
         verdict="not_eligible",
         reason="Der Finanzierungsplan nennt keinen Eigenanteil; die Finanzierung ist damit nicht vollständig "
                "dargestellt."),
    Idea(RETAIL, "Einkaufsnetz Karl-Heine-Straße", "EKS", "Feinkost am Kanal GmbH", "Karl-Heine-Straße 27",
         "04229", "Leipzig", "Tanja Möller", "t.moeller@feinkost-kanal.example", partners_in_area=4),
    Idea(LOGISTICS, "Logistikverbund Leipzig-West", "LLW", "Spedition Böhlitz-Ehrenberg GmbH",
         "Leipziger Straße 80", "04178", "Leipzig", "Dirk Schröter", "d.schroeter@spedition-be.example",
         partners_in_area=4, own_share=25),
    Idea(LOGISTICS, "City-Logistik Südwest", "CLS", "Transportdienst Markkleeberg GmbH", "Hauptstraße 120",
         "04416", "Markkleeberg", "Gerd Ullrich", "g.ullrich@transport-markkleeberg.example",
         partners_in_area=1, partners_outside=3, verdict="not_eligible",
         reason="Träger und drei von vier Partnern haben ihren Sitz außerhalb des Programmgebiets; die Idee "
                "setzt nicht an Unternehmen im URBAN-Gebiet an."),
]

# Drafts that were never submitted: the applicants stopped part-way.
DRAFTS: list[Idea] = [
    Idea(CULTURE, "Modedesign-Netzwerk Plagwitz", "MDP", "Kreativwerk Plagwitz UG", "Weißenfelser Straße 65",
         "04229", "Leipzig", "Julia Fischer", "post@kreativwerk-plagwitz.example"),
    Idea(CRAFT, "Gastronomie-Netzwerk Leipziger Westen", "GNW", "Gasthaus am Kanal GmbH", "Karl-Heine-Straße 11",
         "04229", "Leipzig", "Wolfgang Kurz", "w.kurz@gasthaus-kanal.example"),
    Idea(LOGISTICS, "Fahrradwirtschaft West", "FWW", "Radwerkstatt Leutzsch UG", "Georg-Schwarz-Straße 101",
         "04179", "Leipzig", "Lena Jäger", "l.jaeger@radwerkstatt-leutzsch.example"),
    Idea(MEDIA, "Games-Entwicklung Leipzig-West", "GEW", "Pixelhof Lindenau UG", "Odermannstraße 8", "04177",
         "Leipzig", "Kevin Albrecht", "k.albrecht@pixelhof.example"),
]

PARTNERS: dict[str, list[str]] = {
    AUTO: ["Plagwitzer Präzisionsteile GmbH", "Leutzscher Metallbau KG", "Gießerei an der Weißen Elster GmbH",
           "Werkzeugbau Lindenau GmbH", "Kabelsysteme Kleinzschocher GmbH", "Federntechnik Leipzig-West GmbH",
           "Kunststoffspritzguss Neulindenau GmbH", "Prüflabor Werkstofftechnik West GmbH"],
    VPE: ["Ingenieurbüro Simulation & Berechnung Plagwitz", "Designstudio Formwerk Lindenau",
          "3D-Scan-Service Leutzsch UG", "Softwarehaus Konstrukt GmbH", "Modellbau Kleinzschocher GmbH",
          "Produktdesign Kanalblick GbR", "Visualisierung Westlicht GmbH"],
    ENERGY: ["Solartechnik Grünauer Allee GmbH", "Heizungsbau Leutzsch GmbH", "Umweltanalytik Plagwitz GmbH",
             "Windkraft-Service Lindenau GmbH", "Dämmstoffe West GmbH", "Biogas-Anlagenbau Elsteraue GmbH",
             "Energieberatung Kleinzschocher", "Recyclinghof Lindenau GmbH"],
    CULTURE: ["Theaterwerkstatt Lindenau e.V.", "Galerie im Baumwollspeicher", "Kanu-Club Weiße Elster e.V.",
              "Musikschule West gGmbH", "Ateliergemeinschaft Plagwitz", "Veranstaltungstechnik Leutzsch GmbH",
              "Café Kanalufer", "Stadtführungen Westwärts GbR"],
    MEDIA: ["Tonstudio Lindenau GmbH", "Fotoagentur Westblick", "Druckvorstufe Plagwitz GmbH",
            "Radioproduktion Leutzsch GmbH", "Onlineredaktion Westseite GmbH", "Animationsstudio Kleinzschocher UG",
            "Verlag am Lindenauer Markt"],
    CRAFT: ["Malermeister Richter Lindenau", "Elektro Schwarz Leutzsch GmbH", "Dachdeckerei Plagwitz GmbH",
            "Sanitär Kleinzschocher GmbH", "Stuckateurbetrieb Westvorstadt", "Glaserei am Kanal",
            "Fliesenlegerei Neulindenau", "Sicherheitstechnik West GmbH"],
    RETAIL: ["Buchhandlung Georg-Schwarz-Straße", "Blumen am Lindenauer Markt", "Optik West GmbH",
             "Bäckerei Leutzscher Allee", "Schuhhaus Lindenau", "Weinhandel Plagwitz", "Apotheke am Stadtteilpark",
             "Eisenwaren Böhlitz-Ehrenberg"],
    LOGISTICS: ["Kurierdienst Westexpress GmbH", "Lagerhaus Leutzsch GmbH", "Fahrradkurier Plagwitz UG",
                "Umzugsservice Lindenau GmbH", "Containerdienst West GmbH", "Lastenradverleih Kleinzschocher"],
}
OUTSIDE_PARTNERS = [("Logistikzentrum Schkeuditz GmbH", "Schkeuditz"), ("Transport Taucha GmbH", "Taucha"),
                    ("Speditionshaus Markranstädt KG", "Markranstädt"), ("Restaurierung Borna GmbH", "Borna")]
AREA_TOWNS = ["Leipzig-Lindenau", "Leipzig-Plagwitz", "Leipzig-Leutzsch", "Leipzig-Kleinzschocher"]

ANALYSIS: dict[str, str] = {
    AUTO: "Im Leipziger Westen arbeiten zahlreiche kleine Metall- und Kunststoffverarbeiter, die einzeln zu klein "
          "sind, um als Systemlieferanten der neuen Fahrzeugwerke im Raum Leipzig aufzutreten.",
    VPE: "Im Programmgebiet haben sich Ingenieurbüros, Designer und Modellbauer angesiedelt, die Produkte digital "
         "entwerfen, berechnen und prototypisch fertigen – bislang ohne gemeinsamen Marktauftritt.",
    ENERGY: "Die Sanierung der Industriebrachen und Gründerzeitbauten im Leipziger Westen schafft Bedarf an "
            "Energie- und Umwelttechnik, den die Betriebe vor Ort bislang nur einzeln bedienen.",
    CULTURE: "Rund um den Karl-Heine-Kanal entstehen in ehemaligen Fabrikhallen Ateliers, Bühnen und "
             "Freizeitangebote, die Besucher in den Stadtteil ziehen, aber kaum zusammenarbeiten.",
    MEDIA: "Im Westen der Stadt haben sich Film-, Ton- und Internetproduktionen sowie Druckereien angesiedelt; "
           "gemeinsam könnten sie Aufträge übernehmen, die ein einzelner Betrieb nicht stemmen kann.",
    CRAFT: "Die Sanierung der Gründerzeitquartiere braucht Gewerke, die abgestimmt zusammenarbeiten; die "
           "Handwerksbetriebe im Programmgebiet sind klein und bieten bislang einzeln an.",
    RETAIL: "Die Geschäftsstraßen des Stadtteils leiden unter Leerstand und Kaufkraftabfluss; die Händler "
            "werben bisher jeder für sich.",
    LOGISTICS: "Die Lage an den Ausfallstraßen nach Westen macht den Stadtteil zum Standort kleiner Speditionen "
               "und Kurierdienste, die ihre Touren bislang nicht bündeln.",
}
OBJECTIVES: dict[str, str] = {
    AUTO: "Gemeinsame Akquisition von Zulieferaufträgen, ein Demonstrationszentrum und ein Internetportal der "
          "Zulieferer.",
    VPE: "Ein gemeinsamer Marktauftritt, eine geteilte Simulations- und CAD-Plattform und der jährliche "
         "Leipziger Designertag.",
    ENERGY: "Gemeinsame Angebote für Sanierungs- und Umweltprojekte, etwa auf dem Jahrtausendfeld, und "
            "Energieeffizienz-Checks für Betriebe im Stadtteil.",
    CULTURE: "Ein gemeinsamer Veranstaltungskalender, abgestimmte Öffnungszeiten und ein jährliches Fest am Kanal.",
    MEDIA: "Ein Produktionspool für gemeinsame Aufträge und eine Vermarktungsplattform der Medienbetriebe.",
    CRAFT: "Gemeinsame Angebote für Sanierungsprojekte aus einer Hand und ein Ausbildungsverbund.",
    RETAIL: "Gemeinsame Marketingaktionen, eine Kundenkarte für den Stadtteil und ein Leerstandsmanagement.",
    LOGISTICS: "Gemeinsame Tourenplanung, ein Mikro-Depot im Stadtteil und emissionsarme Zustellung.",
}
# (title, description, period, cost in euros) per sector, after the two measures every network plans.
MEASURES: dict[str, list[tuple[str, str, str, int]]] = {
    AUTO: [("Demonstrationszentrum für Zulieferteile", "Ausstellung und Vorführung der Fertigungskompetenz",
            "Monat 4–18", 60_000),
           ("Internetportal der Zulieferer", "Gemeinsamer Katalog und Anfrageplattform", "Monat 2–8", 35_000)],
    VPE: [("Leipziger Designertag", "Jährliche Fachveranstaltung mit Ausstellung", "Monat 6 und 18", 30_000),
          ("Gemeinsame Simulations- und CAD-Plattform", "Geteilte Lizenzen und Rechenkapazität", "Monat 3–24",
           55_000)],
    ENERGY: [("Projektakquisition Jahrtausendfeld", "Gemeinsame Angebote für Sanierung und Energieversorgung",
              "Monat 1–12", 40_000),
             ("Energieeffizienz-Checks", "Vor-Ort-Beratung für 60 Betriebe im Stadtteil", "Monat 6–24", 45_000)],
    CULTURE: [("Veranstaltungskalender und Besucherleitsystem", "Print, Internet und Beschilderung",
               "Monat 2–10", 30_000),
              ("Fest am Kanal", "Jährliches Stadtteilfest der Kulturbetriebe", "Monat 9 und 21", 35_000)],
    MEDIA: [("Produktionspool", "Gemeinsame Technik und Disposition", "Monat 3–24", 50_000),
            ("Medientage Leipzig-West", "Fachveranstaltung und Auftraggebertreffen", "Monat 10", 20_000)],
    CRAFT: [("Angebote aus einer Hand", "Koordinierte Angebotsabgabe für Sanierungsprojekte", "Monat 2–24",
             35_000),
            ("Ausbildungsverbund", "Gemeinsame Ausbildung und Lehrlingsaustausch", "Monat 6–24", 30_000)],
    RETAIL: [("Kundenkarte für den Stadtteil", "Rabattsystem der beteiligten Geschäfte", "Monat 3–12", 25_000),
             ("Leerstandsmanagement", "Vermittlung und Zwischennutzung leerer Läden", "Monat 1–24", 30_000)],
    LOGISTICS: [("Mikro-Depot im Stadtteil", "Umschlagpunkt für die letzte Meile", "Monat 4–12", 55_000),
                ("Gemeinsame Tourenplanung", "Software und Disposition für alle Partner", "Monat 2–8", 30_000)],
}
COMMON_MEASURES = [
    ("Netzwerkmanagement und Geschäftsstelle", "Koordination, Moderation, Berichte", "Monat 1–24", 70_000),
    ("Workshops und Erfahrungsaustausch", "Sechs Treffen der Partner pro Jahr", "Monat 1–24", 15_000),
]
# (indicator, unit, baseline, target) per sector, after the member count every network reports.
KPIS: dict[str, list[tuple[str, str, int, int]]] = {
    AUTO: [("Gemeinsam akquirierte Aufträge", "Anzahl", 0, 6), ("Umsatz aus Netzwerkaufträgen", "Tsd. EUR", 0, 750)],
    VPE: [("Teilnehmende am Designertag", "Personen", 0, 200), ("Gemeinsame Entwicklungsprojekte", "Anzahl", 0, 5)],
    ENERGY: [("Gemeinsame Projektangebote", "Anzahl", 0, 8), ("Eingesparte CO₂-Emissionen", "t pro Jahr", 0, 400)],
    CULTURE: [("Besucherinnen und Besucher der Veranstaltungen", "Personen", 0, 5000)],
    MEDIA: [("Gemeinsame Produktionen", "Anzahl", 0, 10)],
    CRAFT: [("Gemeinsame Angebote für Sanierungsprojekte", "Anzahl", 0, 12),
            ("Ausbildungsplätze im Verbund", "Anzahl", 2, 8)],
    RETAIL: [("Leerstehende Ladenlokale", "Anzahl", 18, 10), ("Ausgegebene Kundenkarten", "Stück", 0, 3000)],
    LOGISTICS: [("Zustellungen per Lastenrad", "pro Monat", 0, 2000)],
}
SIZES = ["micro", "micro", "small", "small", "medium"]


def _applicant(idea: Idea, password_hash: str | None) -> User:
    """The lead's contact person: an existing demo login, or a new applicant account."""
    user = db.session.scalar(select(User).where(User.email == idea.email))
    if user is None:
        user = User(email=idea.email, name=idea.contact, organisation=idea.lead_name, locale="de",
                    password_hash=password_hash, email_confirmed_at=utcnow(), privacy_consent_at=utcnow())
        db.session.add(user)
        db.session.flush()
    return user


def _partner_rows(idea: Idea, rng: random.Random) -> list[dict]:
    """Partner companies drawn from the sector's pool (and from outside the area where the idea says so)."""
    rows = [{"organisation": name, "town": rng.choice(AREA_TOWNS), "in_programme_area": True,
             "sector": idea.sector, "size": rng.choice(SIZES), "letter_of_intent": rng.random() < 0.8}
            for name in rng.sample(PARTNERS[idea.sector], idea.partners_in_area)]
    rows += [{"organisation": name, "town": town, "in_programme_area": False, "sector": idea.sector,
              "size": "small", "letter_of_intent": True}
             for name, town in rng.sample(OUTSIDE_PARTNERS, idea.partners_outside)]
    return rows


def _measure_rows(idea: Idea, rng: random.Random) -> list[dict]:
    """The two common measures and the sector's own, each cost varied by up to ±20 %."""
    rows = []
    for title, description, period, euros in [*COMMON_MEASURES, *MEASURES[idea.sector]]:
        cost = round(euros * rng.uniform(0.8, 1.2), -2)
        rows.append({"title": title, "description": description, "period": period, "cost_cents": int(cost * 100)})
    return rows


def _kpi_rows(idea: Idea, partners: int, rng: random.Random) -> list[dict]:
    """Member count plus the sector's indicators, targets varied a little."""
    rows = [{"indicator": "Mitgliedsunternehmen im Netzwerk", "unit": "Anzahl", "baseline": Decimal(partners + 1),
             "target": Decimal(partners + 1 + rng.randint(5, 12))}]
    for indicator, unit, baseline, target in KPIS[idea.sector]:
        varied = max(baseline + 1, round(target * rng.uniform(0.8, 1.2))) if target > baseline else target
        rows.append({"indicator": indicator, "unit": unit, "baseline": Decimal(baseline), "target": Decimal(varied)})
    return rows


def _sections(idea: Idea, rng: random.Random) -> dict:
    """Every section of the proposal form, filled as the applicant would."""
    partners = _partner_rows(idea, rng)
    measures = _measure_rows(idea, rng)
    total = sum(m["cost_cents"] for m in measures)
    own = None if idea.own_share is None else total * idea.own_share // 100
    return {
        "basics": {"network_name": idea.network_name, "short_name": idea.short_name, "sector": idea.sector,
                   "initiative_kind": idea.kind, "keywords": f"{idea.sector}, Kooperation, Leipziger Westen"},
        "lead": {"lead_name": idea.lead_name, "lead_street": idea.street, "lead_postcode": idea.postcode,
                 "lead_town": idea.town, "lead_contact_name": idea.contact, "lead_contact_email": idea.email,
                 "lead_contact_phone": "0341 000000"},
        "partners": partners,
        "concept": {"cluster_analysis": f"{ANALYSIS[idea.sector]} Das Netzwerk „{idea.network_name}“ bündelt "
                                        f"{len(partners) + 1} Unternehmen und ist offen für weitere.",
                    "objectives": OBJECTIVES[idea.sector]},
        "measures": measures,
        "kpis": _kpi_rows(idea, len(partners), rng),
        "finances": {"duration_months": 24, "requested_funding_cents": total - (own or 0),
                     "own_contribution_cents": own},
    }


def _fill(proposal: Proposal, sections: dict, names: list[str], applicant: User, now: datetime) -> None:
    """Save the named sections through the applicant's service, as the form would."""
    for name in names:
        save_section(proposal, name, sections[name], expected_version=proposal.version, actor=applicant, now=now)


def _submission_times(timeline: Timeline, rng: random.Random, count: int) -> list[datetime]:
    """Submission moments in office hours over the call, most of them in its last two weeks."""
    zone = ZoneInfo(ZONE)
    opens = timeline.opens.replace(tzinfo=zone)
    deadline = timeline.deadline.replace(tzinfo=zone)
    days = (deadline.date() - opens.date()).days
    moments = []
    for _ in range(count):
        day = opens.date() + timedelta(days=round(days * max(rng.betavariate(4, 1.3), 0.1)))
        moment = datetime.combine(day, datetime.min.time(), zone).replace(hour=rng.randint(8, 18),
                                                                          minute=rng.randrange(0, 60))
        moments.append(min(max(moment, opens), deadline - timedelta(minutes=rng.randint(5, 90))))
    return sorted(moments)


def checklist_for(proposal: Proposal) -> dict[str, bool]:
    """What the administrator finds for each rule of the demo call."""
    return {
        RULE_LEAD_IN_AREA: proposal.lead_town == "Leipzig" and proposal.lead_postcode in AREA_POSTCODES,
        RULE_PARTNERS_IN_AREA: sum(1 for p in proposal.partners if p.in_programme_area) >= 3,
        RULE_CONCEPT: bool(proposal.cluster_analysis and proposal.measures),
        RULE_FINANCES: proposal.requested_funding_cents is not None and proposal.own_contribution_cents is not None,
    }


def create_proposals(competition: Competition, admin: User, timeline: Timeline,
                     password_hash: str | None) -> list[Proposal]:
    """Submit the 28 ideas in time order, leave the drafts, close submissions and run the pre-check."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    submitted: list[tuple[Proposal, Idea]] = []
    ideas = list(IDEAS)
    rng.shuffle(ideas)  # receipt numbers follow the order of submission, not the order of this file
    for idea, moment in zip(ideas, _submission_times(timeline, rng, len(ideas)), strict=True):
        applicant = _applicant(idea, password_hash)
        started = moment - timedelta(days=rng.randint(3, 20))
        proposal = create_draft(competition, applicant, now=started)
        _fill(proposal, _sections(idea, rng), ["basics", "lead", "partners", "concept", "measures", "kpis",
                                               "finances"], applicant, started)
        _ = proposal.attachments  # loaded now: a lazy load inside the submission would flush it half-done
        submit_proposal(proposal, expected_version=proposal.version, actor=applicant, now=moment)
        submitted.append((proposal, idea))

    deadline = timeline.deadline
    for number, idea in enumerate(DRAFTS):
        applicant = _applicant(idea, password_hash)
        when = (deadline - timedelta(days=10 + number)).replace(tzinfo=competition.zone)
        proposal = create_draft(competition, applicant, now=when)
        _fill(proposal, _sections(idea, rng), ["basics", "lead", "partners", "concept"][: 4 - number % 3],
              applicant, when)

    change_phase(competition, "precheck", admin)
    for proposal, idea in submitted:
        checklist = checklist_for(proposal)
        result = idea.verdict or ("eligible" if all(checklist.values()) else "not_eligible")
        record_precheck(proposal, checklist=checklist, result=result, reason=idea.reason, actor=admin)
    return [proposal for proposal, _idea in submitted]


def create_demo_call() -> Competition:
    """The demo step: the Leipzig call with its proposals, in the pre-check phase with every pre-check done."""
    admin = db.session.scalar(select(User).where(User.email == people.ADMIN[0]))
    timeline = demo_timeline()
    competition = create_demo_competition(admin, timeline)
    # One hash for all further applicant accounts: scrypt per account would slow the demo down.
    password_hash = generate_password_hash(people.DEMO_PASSWORD, method="scrypt")
    create_proposals(competition, admin, timeline, password_hash)
    db.session.flush()
    return competition
