"""The demo jury: five jurors with expertise and signed declarations, conflicts, automatic assignment.

The step follows the pre-check: it opens the review phase once every submitted idea has a
pre-check result, lets three jurors declare a conflict of interest (with their reasons),
and assigns three reviewers to every eligible idea with the same service the admin's
button uses, which runs the automatic conflict detection first. The scoring itself is
another step. Without the demo competition or its proposals the step does nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.competitions.models import Competition
from app.competitions.phases import advance_phase, unmet_requirements
from app.demo import people
from app.demo.competition import TITLE
from app.extensions import db
from app.jury.assignment import assign_automatically
from app.jury.conflicts import declare_conflict, jury_pool
from app.jury.membership import appoint_juror, find_membership, save_expertise, sign_declaration

# Each demo juror's sectors (from the call's list) and keywords, matching their institution.
EXPERTISE = {
    "j.hartmann@uni-leipzig.example": (["Kultur und Freizeit", "Einzelhandel und Stadtteilzentren", "Logistik"],
                                       "Clusteranalyse, Stadtentwicklung, Regionalökonomie"),
    "m.becker@ihk-leipzig.example": (["Automobilzulieferer", "Handwerk und Dienstleistungen",
                                      "Einzelhandel und Stadtteilzentren"],
                                     "Mittelstand, Fachkräfte, Existenzgründung"),
    "t.schubert@fraunhofer.example": (["Automobilzulieferer", "Virtuelle Produktentwicklung",
                                       "Energie- und Umwelttechnik"],
                                      "Leichtbau, Fertigungstechnik, Simulation"),
    "s.wagner@sab.example": (["Energie- und Umwelttechnik", "Medien", "Logistik"],
                             "Finanzierung, Förderrecht, Businessplan"),
    "a.kraus@hwk-leipzig.example": (["Handwerk und Dienstleistungen", "Kultur und Freizeit", "Medien"],
                                    "Handwerk, Ausbildung, Betriebsnachfolge"),
}

# Conflicts the jurors declare themselves: (juror email, short name of the idea, reason).
DECLARED_CONFLICTS = [
    ("t.schubert@fraunhofer.example", "KLK",
     "Unser Institut ist als Forschungspartner im Leichtbau-Vorhaben des Netzwerkträgers vorgesehen."),
    ("a.kraus@hwk-leipzig.example", "HHL",
     "Ich habe den Netzwerkträger als Betriebsberater der Handwerkskammer bei der Antragstellung beraten."),
    ("s.wagner@sab.example", "SWV",
     "Der Netzwerkträger ist Kreditkunde der Sächsischen Aufbaubank; ich betreue dieses Engagement."),
]


def _demo_competition() -> Competition | None:
    """The demo call by its title, else the first competition."""
    return (db.session.scalar(select(Competition).where(Competition.title == TITLE))
            or db.session.scalar(select(Competition).order_by(Competition.id)))


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _seat_jurors(competition: Competition, admin: User) -> None:
    """Appoint the demo jurors, record their expertise and their signed declarations."""
    for email, (sectors, keywords) in EXPERTISE.items():
        user = _user(email)
        if user is None:
            continue
        membership = find_membership(competition, user)
        if membership is None or membership.status != "active":
            membership = appoint_juror(competition, email=email, name=user.name, organisation=user.organisation,
                                       locale=user.locale, actor=admin)
        save_expertise(membership, sectors=[s for s in sectors if s in (competition.sectors or [])],
                       keywords=keywords, actor=user)
        if not membership.has_signed_declaration:
            sign_declaration(membership, actor=user)


def create_demo_jury() -> None:
    """The demo step: jury seated, review phase opened, conflicts declared, reviewers assigned (k from the call: 3)."""
    competition = _demo_competition()
    admin = _user(people.ADMIN[0])
    if competition is None or admin is None:
        return
    _seat_jurors(competition, admin)
    if competition.phase == "precheck" and not unmet_requirements(competition, "review"):
        advance_phase(competition, "review", admin)
    pool = {p.short_name: p for p in jury_pool(competition)}
    for email, short_name, reason in DECLARED_CONFLICTS:
        juror, proposal = _user(email), pool.get(short_name)
        if juror is not None and proposal is not None:
            declare_conflict(juror, proposal, reason=reason)
    if competition.phase == "review" and pool:
        assign_automatically(competition, full_panel=False, actor=admin)
    db.session.flush()
