"""The demo competition: Leipzig's call "Aufbau von Unternehmensnetzwerken" (URBAN II, measure 1.2).

The dates are laid relative to the day the demo is loaded, so the submission deadline has
just passed and the jury's review deadline lies ahead, whatever day the demo runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from app.accounts.models import User
from app.competitions.defaults import (
    DEFAULT_FUNDING_SOURCES,
    DEFAULT_LEGAL_REMEDIES_DE,
    DEFAULT_LEGAL_REMEDIES_EN,
    DEFAULT_SECTORS,
)
from app.competitions.models import Competition
from app.competitions.services import CompetitionSettings, create_competition
from app.core.audit import record_event
from app.core.time import utcnow

ZONE = "Europe/Berlin"

TITLE = "Ideenwettbewerb „Aufbau von Unternehmensnetzwerken“"
PROGRAMME = "Gemeinschaftsinitiative URBAN II Leipziger Westen"
MEASURE = ("1.2 – Förderung vernetzter Wirtschaftsstrukturen und -angebote; Mittelstandsförderung im "
           "Einzelhandel und Dienstleistungssektor zur Förderung der Stadtteilzentrumfunktionen")

# The call's sectors: the defaults (from the Leipzig case) plus the trades and services of the area.
SECTORS = [*DEFAULT_SECTORS, "Handwerk und Dienstleistungen", "Einzelhandel und Stadtteilzentren", "Logistik"]

# The formal pre-check's checklist; app/demo/proposals.py checks each demo idea against these.
RULE_LEAD_IN_AREA = "Der Netzwerkträger hat seinen Sitz im Programmgebiet URBAN II Leipziger Westen."
RULE_PARTNERS_IN_AREA = "Mindestens drei Partnerunternehmen aus dem Programmgebiet sind beteiligt."
RULE_CONCEPT = "Der Antrag enthält eine Analyse des Clusterpotenzials und einen Maßnahmenkatalog."
RULE_FINANCES = "Der Finanzierungsplan ist vollständig und nennt den Eigenanteil."
ELIGIBILITY_RULES = (RULE_LEAD_IN_AREA, RULE_PARTNERS_IN_AREA, RULE_CONCEPT, RULE_FINANCES)

CALL_TEXT = """\
Die Stadt ruft Unternehmen, Beratungsunternehmen und Einrichtungen auf, **Ideen für
Unternehmensnetzwerke** im Programmgebiet URBAN II Leipziger Westen einzureichen.

## Ziel

Unternehmensnetzwerke sollen Kooperationen zwischen den Gewerbetreibenden im
Programmgebiet herstellen, um Kompetenzen zu bündeln und Synergieeffekte freizusetzen.
Die Netzwerke knüpfen an die Potenziale des Stadtteils an, setzen an Unternehmen im
URBAN-Gebiet an und sind offen für weitere Unternehmen und Institutionen. Gefördert
werden etwa drei bis fünf selbständige Netzwerke.

## Ablauf in zwei Phasen

1. **Entwicklungsphase:** Analyse des Clusterpotenzials, Entwicklung eines
   Maßnahmenkatalogs und Darstellung der konkreten Realisierungsmöglichkeiten mit den
   Unternehmen des Netzwerks. Sie richtet sich an Unternehmen, die selbst ein Netzwerk
   bilden wollen, und an Beratungsunternehmen, die Netzwerkpotenziale ermitteln und
   Netzwerke initiieren.
2. **Realisierungsphase:** Umsetzung des Maßnahmenkatalogs mit dem Ziel stabiler
   Netzwerkstrukturen, die nach dem Ende der Förderung fortbestehen. Sie beginnt mit dem
   Zuschlag; die geförderte Laufzeit beträgt 24 Monate.

## Finanzierung

Die Netzwerke werden über leistungsorientierte Verträge gefördert, finanziert zu 75 % aus
dem Europäischen Fonds für regionale Entwicklung (EFRE) und zu 25 % von der Stadt.

## Zielgruppe und Standort

Unternehmen aus dem URBAN-Programmgebiet; Standort ist das gesamte Programmgebiet
(Lindenau, Plagwitz, Leutzsch, Kleinzschocher und angrenzende Quartiere).
"""


@dataclass(frozen=True)
class Timeline:
    """The demo's dates, relative to the day it is loaded (wall-clock times in Berlin)."""

    opens: datetime
    deadline: datetime
    review_deadline: datetime

    @classmethod
    def around(cls, today: date) -> Timeline:
        """Submissions ran for eight weeks and closed two weeks ago; the jury has four weeks left."""
        return cls(opens=datetime.combine(today - timedelta(days=70), time(9, 0)),
                   deadline=datetime.combine(today - timedelta(days=14), time(12, 0)),
                   review_deadline=datetime.combine(today + timedelta(days=28), time(18, 0)))


def demo_timeline() -> Timeline:
    """The timeline for today in Berlin."""
    return Timeline.around(utcnow().astimezone(ZoneInfo(ZONE)).date())


def create_demo_competition(admin: User, timeline: Timeline) -> Competition:
    """Create the call with the default criteria and open it (its submission period lies in the past)."""
    settings = CompetitionSettings(
        title=TITLE, programme=PROGRAMME, measure=MEASURE, call_text=CALL_TEXT,
        eligibility_rules="\n".join(ELIGIBILITY_RULES), sectors=SECTORS, timezone=ZONE,
        legal_remedies_de=DEFAULT_LEGAL_REMEDIES_DE, legal_remedies_en=DEFAULT_LEGAL_REMEDIES_EN,
        submission_opens_local=timeline.opens, submission_deadline_local=timeline.deadline,
        review_deadline_local=timeline.review_deadline,
        winners_min=3, winners_max=5, budget_cents=90_000_000,
        funding_rows=[(source["name"], Decimal(source["share"])) for source in DEFAULT_FUNDING_SOURCES],
        contract_months=24, reviews_per_proposal=3,
        # What the EU list of operations names for the programme (ERDF 2021-2027 wording).
        eu_fund="ERDF", eu_funding_source="EFRE",
        specific_objective="RSO1.3 – Wachstum und Wettbewerbsfähigkeit von KMU",
        intervention_type="021 – Unternehmensentwicklung und Internationalisierung von KMU, "
                          "einschließlich produktiver Investitionen",
    )
    competition = create_competition(settings, admin, with_default_criteria=True)
    # The call was opened back when its deadline still lay ahead; opening it through the
    # phase service now would refuse the past deadline, so the demo records that step itself.
    competition.phase = "open"
    record_event("competition.phase_changed", competition, before={"phase": "draft"}, after={"phase": "open"},
                 actor=admin)
    return competition
