"""Defaults offered when an administrator creates a competition.

Drawn from the Leipzig URBAN II ideas competition (the source case) and EU evaluation
practice (criteria scored 0–5 in half points with a threshold of 3). The weights sum to 1,
so a proposal's weighted total stays on the 0–5 scale and the default overall threshold
(Σ weight · threshold) is 3.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

DEFAULT_TIMEZONE = "Europe/Berlin"

DEFAULT_SECTORS = [
    "Automobilzulieferer",
    "Virtuelle Produktentwicklung",
    "Energie- und Umwelttechnik",
    "Kultur und Freizeit",
    "Medien",
]

DEFAULT_FUNDING_SOURCES = [
    {"name": "EFRE", "share": "75"},
    {"name": "Stadt", "share": "25"},
]

DEFAULT_ELIGIBILITY_RULES = "\n".join([
    "Der Netzwerkträger hat seinen Sitz im Programmgebiet oder ist dort tätig.",
    "Mindestens drei Partnerunternehmen aus dem Programmgebiet sind beteiligt.",
    "Der Antrag enthält eine Analyse des Clusterpotenzials und einen Maßnahmenkatalog.",
    "Der Finanzierungsplan ist vollständig und nennt den Eigenanteil.",
])


# The notice on legal remedies (Rechtsbehelfsbelehrung) closing a letter of ineligibility; the office adapts it.
DEFAULT_LEGAL_REMEDIES_DE = (
    "Gegen diese Entscheidung kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. "
    "Der Widerspruch ist schriftlich oder zur Niederschrift bei der Stadt Leipzig, Amt für "
    "Wirtschaftsförderung, Martin-Luther-Ring 4–6, 04109 Leipzig, einzulegen."
)
DEFAULT_LEGAL_REMEDIES_EN = (
    "An objection (Widerspruch) against this decision may be lodged within one month of its notification. "
    "The objection must be lodged in writing or for the record with the City of Leipzig, Office for "
    "Economic Development, Martin-Luther-Ring 4–6, 04109 Leipzig, Germany."
)


def _rubric(*levels: str) -> str:
    """One line per score level 0..5; half points lie between two described levels."""
    return "\n".join(f"{score} – {text}" for score, text in enumerate(levels))


DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "name_de": "Clusterpotenzial",
        "name_en": "Cluster potential",
        "weight": Decimal("0.2"),
        "rubric_de": _rubric(
            "keine Analyse des Standorts und der Unternehmen",
            "Analyse nur behauptet, ohne Bezug zum Programmgebiet",
            "Bezug zum Programmgebiet erkennbar, Belege lückenhaft",
            "nachvollziehbare Analyse mit Unternehmen und Kompetenzen vor Ort",
            "überzeugende Analyse mit Daten, Marktbezug und benannten Synergien",
            "herausragende, belegte Analyse; das Netzwerk passt klar zum Ort",
        ),
        "rubric_en": _rubric(
            "no analysis of the location and its firms",
            "analysis merely claimed, no link to the programme area",
            "link to the programme area visible, evidence patchy",
            "sound analysis naming local firms and competences",
            "convincing analysis with data, market view and named synergies",
            "outstanding, evidenced analysis; the network clearly fits the place",
        ),
    },
    {
        "name_de": "Qualität und Umsetzbarkeit des Maßnahmenkatalogs",
        "name_en": "Quality and feasibility of the catalogue of measures",
        "weight": Decimal("0.2"),
        "rubric_de": _rubric(
            "kein Maßnahmenkatalog",
            "Maßnahmen vage, ohne Zeitplan und Kosten",
            "Maßnahmen benannt, Zeitplan oder Kosten unvollständig",
            "schlüssige Maßnahmen mit Zeitraum und Kosten",
            "schlüssige, priorisierte Maßnahmen mit realistischem Zeit- und Kostenplan",
            "vorbildlicher Katalog: konkret, realistisch, mit Risiken und Alternativen",
        ),
        "rubric_en": _rubric(
            "no catalogue of measures",
            "measures vague, without schedule or cost",
            "measures named, schedule or cost incomplete",
            "coherent measures with period and cost",
            "coherent, prioritised measures with a realistic schedule and budget",
            "exemplary catalogue: concrete, realistic, with risks and alternatives",
        ),
    },
    {
        "name_de": "Wirkung auf Unternehmen im Programmgebiet (Kennzahlen)",
        "name_en": "Impact on firms in the programme area (KPIs)",
        "weight": Decimal("0.2"),
        "rubric_de": _rubric(
            "keine erkennbare Wirkung, keine Kennzahlen",
            "Wirkung behauptet, Kennzahlen fehlen",
            "einzelne Kennzahlen ohne Ausgangs- oder Zielwert",
            "messbare Kennzahlen mit Ausgangs- und Zielwert",
            "ambitionierte, messbare Kennzahlen mit klarem Bezug zu den Unternehmen vor Ort",
            "herausragende, überprüfbare Wirkung auf Beschäftigung, Umsatz oder Innovation",
        ),
        "rubric_en": _rubric(
            "no visible impact, no KPIs",
            "impact claimed, KPIs missing",
            "some KPIs without baseline or target",
            "measurable KPIs with baseline and target",
            "ambitious, measurable KPIs clearly tied to local firms",
            "outstanding, verifiable impact on jobs, turnover or innovation",
        ),
    },
    {
        "name_de": "Kompetenz und Verbindlichkeit der Partner",
        "name_en": "Competence and commitment of the partners",
        "weight": Decimal("0.15"),
        "rubric_de": _rubric(
            "keine Partner benannt",
            "Partner benannt, aber ohne Zusage oder Rolle",
            "Partner mit Rollen, Zusagen teilweise offen",
            "kompetenter Träger und verbindliche Zusagen der Partner",
            "erfahrener Träger, schriftliche Zusagen, Eigenbeiträge der Partner",
            "starkes, verbindliches Konsortium mit nachgewiesener Erfahrung",
        ),
        "rubric_en": _rubric(
            "no partners named",
            "partners named but without commitment or role",
            "partners with roles, commitments partly open",
            "competent lead organisation and binding partner commitments",
            "experienced lead organisation, written commitments, partner contributions",
            "strong, committed consortium with proven experience",
        ),
    },
    {
        "name_de": "Nachhaltigkeit über die Förderdauer hinaus",
        "name_en": "Sustainability beyond the funding period",
        "weight": Decimal("0.15"),
        "rubric_de": _rubric(
            "Netzwerk endet mit der Förderung",
            "Fortbestand nur als Wunsch genannt",
            "erste Ideen zur Finanzierung nach der Förderung",
            "plausibles Modell zur Fortführung (z. B. Mitgliedsbeiträge, Leistungen)",
            "belastbares Geschäftsmodell mit Zusagen für die Zeit nach der Förderung",
            "gesicherte Fortführung, unabhängig von Fördermitteln",
        ),
        "rubric_en": _rubric(
            "the network ends with the funding",
            "continuation merely hoped for",
            "first ideas on financing after the funding",
            "plausible model to continue (e.g. membership fees, services)",
            "robust business model with commitments for after the funding",
            "continuation secured, independent of funding",
        ),
    },
    {
        "name_de": "Wirtschaftlichkeit und Kosten-Nutzen-Verhältnis",
        "name_en": "Value for money",
        "weight": Decimal("0.1"),
        "rubric_de": _rubric(
            "keine Kostenangaben",
            "Kosten unplausibel oder deutlich überhöht",
            "Kosten teilweise begründet",
            "angemessene Kosten im Verhältnis zur Wirkung",
            "günstiges Kosten-Nutzen-Verhältnis mit substanziellem Eigenanteil",
            "herausragendes Kosten-Nutzen-Verhältnis, Mittel sehr effizient eingesetzt",
        ),
        "rubric_en": _rubric(
            "no cost information",
            "costs implausible or clearly excessive",
            "costs partly justified",
            "reasonable costs for the expected impact",
            "good value for money with a substantial own contribution",
            "outstanding value for money, funds used very efficiently",
        ),
    },
]

DEFAULT_THRESHOLD = Decimal("3")


def default_criteria() -> list[dict[str, Any]]:
    """Fresh copies of the default criteria with threshold 3 and priorities 1..n."""
    return [{**criterion, "threshold": DEFAULT_THRESHOLD, "priority": index}
            for index, criterion in enumerate(DEFAULT_CRITERIA, start=1)]
