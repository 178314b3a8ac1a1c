"""The demo jury scores: a submitted review for every assignment, consensus where the jury disagreed.

Scores follow each idea's quality with some jurors lenient and some strict, as real juries
are; a few ideas split the jury and get an approved consensus report from a rapporteur. The
three networks the Leipzig jury chose (automotive suppliers, virtual product development,
energy and environmental technology) come out on top. Justifications are German texts by
criterion and score level. Everything is seeded, so the demo is the same on every load.
Without assignments (the jury step has not run) the step does nothing.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.competitions.models import Competition, Criterion
from app.demo import people
from app.demo.competition import TITLE
from app.extensions import db
from app.jury import consensus as consensus_service
from app.jury.models import Assignment, Review
from app.jury.scoring import ScoreEntry, save_review, submit_review
from app.proposals.models import Proposal
from app.ranking import aggregate

SEED = 2002
# The networks the Leipzig jury chose, recognised by sector and network name.
WINNING_SECTORS = ("Automobilzulieferer", "Virtuelle Produktentwicklung", "Energie- und Umwelttechnik")
# Juror leniency in points (email -> bias); jurors not listed draw one from the same ranges.
LENIENCY = {
    "m.becker@ihk-leipzig.example": 0.5,
    "a.kraus@hwk-leipzig.example": 0.75,
    "j.hartmann@uni-leipzig.example": -0.5,
    "s.wagner@sab.example": -0.5,
    "t.schubert@fraunhofer.example": 0.0,
}
# Most scores sit where quality and leniency put them; now and then a juror sees it half a point apart.
NOISE = (-0.5, 0, 0, 0, 0, 0, 0, 0, 0.5)
CONTESTED_COUNT = 3
CONTESTED_SWING = 2.0

# Justification phrases per criterion (keyed by the start of its German name) and score level.
PHRASES: dict[str, dict[str, list[str]]] = {
    "Clusterpotenzial": {
        "low": ["Die Analyse des Clusterpotenzials bleibt allgemein; Unternehmen im Programmgebiet werden kaum "
                "benannt.", "Ein Bezug zum Leipziger Westen wird behauptet, aber nicht mit Daten belegt."],
        "mid": ["Das Clusterpotenzial ist nachvollziehbar beschrieben, die Belege zu den Partnern vor Ort sind "
                "aber lückenhaft.", "Die Standortanalyse nennt einige Betriebe, Synergien bleiben teils vage."],
        "high": ["Überzeugende Analyse mit konkreten Unternehmen, Kompetenzen und Marktbezug im Programmgebiet.",
                 "Das Netzwerk knüpft klar an vorhandene Stärken des Stadtteils an; die Synergien sind belegt."],
    },
    "Qualität": {
        "low": ["Der Maßnahmenkatalog ist vage; Zeitplan und Kosten fehlen weitgehend.",
                "Die Maßnahmen sind kaum mehr als Absichtserklärungen ohne Verantwortliche."],
        "mid": ["Die Maßnahmen sind benannt, Zeitrahmen und Kosten aber nur teilweise plausibel.",
                "Solider Katalog, bei einzelnen Maßnahmen fehlt die Einbindung der Partner."],
        "high": ["Schlüssiger, terminierter Maßnahmenkatalog mit realistischen Kosten und klaren Zuständigkeiten.",
                 "Die Maßnahmen bauen sinnvoll aufeinander auf und sind in 24 Monaten gut umsetzbar."],
    },
    "Wirkung": {
        "low": ["Die Kennzahlen sind kaum messbar; eine Wirkung auf die Betriebe im Gebiet ist nicht erkennbar.",
                "Ausgangs- und Zielwerte fehlen oder passen nicht zu den Maßnahmen."],
        "mid": ["Die Kennzahlen sind messbar, die Zielwerte eher vorsichtig gewählt.",
                "Eine Wirkung auf die Unternehmen ist plausibel, aber nur teilweise quantifiziert."],
        "high": ["Ambitionierte, gut messbare Kennzahlen mit belastbaren Ausgangswerten.",
                 "Deutliche, nachprüfbare Wirkung auf Umsatz, Beschäftigung und Kooperationen der Partner."],
    },
    "Kompetenz": {
        "low": ["Die Partner haben kaum verbindlich zugesagt; Absichtserklärungen fehlen.",
                "Dem Träger fehlt erkennbar Erfahrung mit Netzwerk- oder Verbundprojekten."],
        "mid": ["Die Partner sind fachlich passend, die Verbindlichkeit ist noch ausbaufähig.",
                "Der Träger bringt Erfahrung mit, einzelne Partner sind aber nur lose eingebunden."],
        "high": ["Erfahrener Träger und fachlich starke Partner mit unterschriebenen Absichtserklärungen.",
                 "Die Partner decken die Wertschöpfungskette ab und haben ihre Mitwirkung verbindlich zugesagt."],
    },
    "Nachhaltigkeit": {
        "low": ["Wie das Netzwerk nach der Förderung weiterbestehen soll, bleibt offen.",
                "Ein Finanzierungsmodell für die Zeit nach der Förderung fehlt."],
        "mid": ["Erste Ideen für die Verstetigung liegen vor, etwa Mitgliedsbeiträge; ein Plan fehlt noch.",
                "Die Fortführung ist angedacht, hängt aber stark von einzelnen Partnern ab."],
        "high": ["Tragfähiges Modell zur Verstetigung mit Beiträgen und eigenen Erlösen nach der Förderdauer.",
                 "Das Netzwerk ist so angelegt, dass es ohne Förderung fortbestehen kann."],
    },
    "Wirtschaftlichkeit": {
        "low": ["Die Kosten stehen in keinem erkennbaren Verhältnis zum Nutzen; der Eigenanteil ist gering.",
                "Die beantragte Förderung erscheint für den geplanten Umfang deutlich zu hoch."],
        "mid": ["Kosten und Nutzen sind ausgewogen, einzelne Positionen aber knapp begründet.",
                "Angemessene Kosten, der Eigenanteil könnte höher ausfallen."],
        "high": ["Sehr gutes Kosten-Nutzen-Verhältnis mit substanziellem Eigenanteil der Partner.",
                 "Die Mittel sind sparsam und zielgenau eingesetzt."],
    },
}
GENERIC = {
    "low": ["Das Kriterium „{criterion}“ ist nur unzureichend erfüllt."],
    "mid": ["Das Kriterium „{criterion}“ ist in Teilen erfüllt; es bleiben Fragen."],
    "high": ["Das Kriterium „{criterion}“ ist überzeugend erfüllt."],
}
SECTOR_NOTES = [
    "Für die Branche {sector} im Leipziger Westen ist das ein wichtiger Ansatz.",
    "Im Vergleich zu anderen Ideen aus der Branche {sector} fällt die Idee hier {tone} aus.",
    "",
    "",
]
OVERALL = {
    "low": "Insgesamt eine Idee mit erheblichen Schwächen; in dieser Form nicht förderwürdig.",
    "mid": "Insgesamt eine solide Idee mit Entwicklungsbedarf.",
    "high": "Insgesamt eine überzeugende Netzwerkidee, die ich zur Förderung empfehle.",
}


@dataclass
class PlannedReview:
    """The scores one juror will give one proposal, criterion by criterion."""

    proposal: Proposal
    juror: User
    values: list[float]


def _level(value: float) -> str:
    return "low" if value < 2 else "mid" if value < 3.5 else "high"


def _half_points(value: float) -> float:
    return min(5.0, max(0.0, round(value * 2) / 2))


def is_winner(proposal: Proposal) -> bool:
    """One of the three networks of the Leipzig case: its name carries its sector."""
    return proposal.sector in WINNING_SECTORS and proposal.sector in proposal.network_name


def _demo_competition() -> Competition | None:
    """The demo call by its title, else the first competition that has assignments."""
    competition = db.session.scalar(select(Competition).where(Competition.title == TITLE))
    if competition is not None:
        return competition
    return db.session.scalar(select(Competition).join(Proposal, Proposal.competition_id == Competition.id)
                             .join(Assignment, Assignment.proposal_id == Proposal.id).order_by(Competition.id)
                             .limit(1))


def _assignments(competition: Competition) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).options(selectinload(Assignment.proposal), selectinload(Assignment.user))
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(Proposal.competition_id == competition.id).order_by(Proposal.receipt_number, Assignment.user_id)
    ))


def _weighted_mean_total(plans: list[PlannedReview], weights: list[float]) -> float:
    return statistics.fmean(sum(w * v for w, v in zip(weights, p.values, strict=True)) for p in plans)


def plan_scores(assignments: list[Assignment], criteria: list[Criterion], rng: random.Random) -> list[PlannedReview]:
    """Scores for every assignment: quality per idea, juror leniency, a little noise, a few split juries."""
    by_proposal: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        by_proposal.setdefault(assignment.proposal_id, []).append(assignment)
    quality = {}
    for proposal_id in sorted(by_proposal):
        proposal = by_proposal[proposal_id][0].proposal
        quality[proposal_id] = [rng.uniform(4.3, 4.8) if is_winner(proposal) else rng.uniform(2.6, 3.8)
                                for _ in criteria]
    bias = {}
    for assignment in assignments:
        if assignment.user_id not in bias:
            bias[assignment.user_id] = LENIENCY.get(assignment.user.email,
                                                    rng.choice((-1, 1)) * rng.uniform(0.5, 1.0))
    losers = [pid for pid in sorted(by_proposal)
              if not is_winner(by_proposal[pid][0].proposal) and len(by_proposal[pid]) >= 2]
    contested = set(rng.sample(losers, min(CONTESTED_COUNT, len(losers))))
    plans: dict[int, list[PlannedReview]] = {}
    for proposal_id in sorted(by_proposal):
        group = by_proposal[proposal_id]
        swing_index = rng.randrange(len(group)) if proposal_id in contested else None
        swing = CONTESTED_SWING * rng.choice((-1, 1))
        for index, assignment in enumerate(group):
            values = []
            for base in quality[proposal_id]:
                value = base + bias[assignment.user_id] + rng.choice(NOISE)
                if index == swing_index:
                    value += swing
                values.append(_half_points(value))
            plans.setdefault(proposal_id, []).append(PlannedReview(assignment.proposal, assignment.user, values))
    weights = [float(c.weight) for c in criteria]
    for _round in range(2):  # lowering an idea can open a gap again, so check both once more
        for proposal_id in plans:
            if proposal_id not in contested:
                _calm(plans[proposal_id], criteria)
        _keep_winners_on_top(plans, weights)
    return [plan for proposal_id in sorted(plans) for plan in plans[proposal_id]]


def _flagged(group: list[PlannedReview], criteria: list[Criterion]) -> bool:
    """Would METHOD.md's disagreement rule flag this idea? (the ranking's own function decides)"""
    rows = [aggregate.ScoreRow(proposal_id=0, juror_id=index, criterion_id=c.id, value=value)
            for index, plan in enumerate(group) for c, value in zip(criteria, plan.values, strict=True)]
    spec = [aggregate.Criterion(id=c.id, weight=float(c.weight)) for c in criteria]
    return aggregate.disagreement(rows, spec)[0].flagged


def _calm(group: list[PlannedReview], criteria: list[Criterion]) -> None:
    """Outside the contested ideas, pull the most distant juror half a point towards the others until agreed."""
    weights = [float(c.weight) for c in criteria]
    for _step in range(12):
        if len(group) < 2 or not _flagged(group, criteria):
            return
        medians = [statistics.median(p.values[i] for p in group) for i in range(len(criteria))]
        mean_total = statistics.fmean(sum(w * v for w, v in zip(weights, p.values, strict=True)) for p in group)
        far = max(group, key=lambda p: abs(sum(w * v for w, v in zip(weights, p.values, strict=True)) - mean_total))
        far.values = [v if v == m else v - 0.5 if v > m else v + 0.5 for v, m in zip(far.values, medians, strict=True)]


def _keep_winners_on_top(plans: dict[int, list[PlannedReview]], weights: list[float]) -> None:
    """Lower any other idea that would reach the weakest winner, half a point at a time."""
    winners = [pid for pid, group in plans.items() if is_winner(group[0].proposal)]
    if not winners:
        return
    floor = min(_weighted_mean_total(plans[pid], weights) for pid in winners)
    for pid, group in plans.items():
        if pid in winners:
            continue
        while _weighted_mean_total(group, weights) >= floor - 0.05 and any(any(p.values) for p in group):
            for plan in group:
                plan.values = [_half_points(v - 0.5) for v in plan.values]


def justification(criterion: Criterion, value: float, proposal: Proposal, rng: random.Random) -> str:
    """A German justification that matches the criterion and the score level."""
    level = _level(value)
    key = next((k for k in PHRASES if criterion.name_de.startswith(k)), None)
    options = PHRASES[key][level] if key else [t.format(criterion=criterion.name_de) for t in GENERIC[level]]
    text = rng.choice(options)
    note = rng.choice(SECTOR_NOTES)
    if note and proposal.sector:
        tone = {"low": "schwächer", "mid": "durchschnittlich", "high": "stärker"}[level]
        text = f"{text} {note.format(sector=proposal.sector, tone=tone)}"
    return text


def _submit(plan: PlannedReview, criteria: list[Criterion], rng: random.Random) -> None:
    entries = [ScoreEntry(criterion_id=c.id, value=Decimal(str(v)),
                          justification=justification(c, v, plan.proposal, rng))
               for c, v in zip(criteria, plan.values, strict=True)]
    mean = statistics.fmean(plan.values)
    comment = OVERALL[_level(mean)] if rng.random() < 0.6 else ""
    review = save_review(plan.proposal, plan.juror, entries=entries, overall_comment=comment, expected_version=0)
    submit_review(review, expected_version=review.version, actor=plan.juror)


def _agree(proposal: Proposal, criteria: list[Criterion], admin: User, rng: random.Random) -> None:
    """The jury's consensus on a contested idea: a rapporteur drafts, the other reviewers approve."""
    reviews = list(db.session.scalars(
        select(Review).options(selectinload(Review.scores), selectinload(Review.user))
        .where(Review.proposal_id == proposal.id, Review.status == "submitted").order_by(Review.id)
    ))
    if not reviews:
        return
    rapporteur = reviews[0].user
    report = consensus_service.name_rapporteur(proposal, rapporteur, actor=admin)
    entries = []
    for criterion in criteria:
        values = [float(r.score_for(criterion.id).value) for r in reviews]
        agreed = _half_points(statistics.median(values))
        spread = max(values) - min(values)
        minority = ""
        if spread >= 2:
            outlier = max(values, key=lambda v: abs(v - agreed))
            direction = "deutlich höher" if outlier > agreed else "deutlich niedriger"
            minority = f"Ein Jurymitglied bewertet dieses Kriterium {direction} und hält an seiner Einschätzung fest."
        entries.append(consensus_service.ConsensusEntry(
            criterion_id=criterion.id, value=str(agreed),
            comment=f"Nach Aussprache in der Jury: {justification(criterion, agreed, proposal, rng)}",
            minority_view=minority))
    consensus_service.save_consensus(
        report, entries=entries, minority_view="",
        report=("Die Bewertungen lagen weit auseinander. In der Jurysitzung wurden die Argumente ausgetauscht; "
                "die vereinbarten Punktzahlen geben die Mehrheitsmeinung wieder."),
        expected_version=report.version, propose=True, actor=rapporteur)
    for review in reviews[1:]:
        if report.status == "proposed":
            consensus_service.approve_consensus(report, review.user, expected_version=report.version)


def score_demo_competition() -> int:
    """The demo step: submitted reviews for all assignments, consensus on contested ideas; returns the count."""
    # Services translate their messages and build mail links inside a request, as in the app.
    with current_app.test_request_context():
        return _score(_demo_competition())


def _score(competition: Competition | None) -> int:
    if competition is None:
        return 0
    assignments = [a for a in _assignments(competition)
                   if db.session.scalar(select(Review.id).where(Review.proposal_id == a.proposal_id,
                                                                Review.user_id == a.user_id)) is None]
    admin = db.session.scalar(select(User).where(User.email == people.ADMIN[0]))
    if not assignments or admin is None or competition.phase != "review":
        return 0
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not security
    criteria = list(competition.criteria)
    plans = plan_scores(assignments, criteria, rng)
    for plan in plans:
        _submit(plan, criteria, rng)
    db.session.flush()
    for proposal_id in sorted(consensus_service.contested_proposal_ids(competition)):
        _agree(db.session.get(Proposal, proposal_id), criteria, admin, rng)
    db.session.flush()
    return len(plans)
