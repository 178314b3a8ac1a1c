"""The demo's public network directory: regional networks of Saxony and the three funded Leipzig networks.

The external entries are the networks the Saxon ministry of economic affairs lists on its
page on innovation networks (Silicon Saxony, Biosaxony, AMZ, VEMAS and the logistics network
Leipzig-Halle), with sector and purpose as described there and without any personal contact.
The funded entries exist only once the decisions step has awarded networks: each is published
with its partner companies (two in three agreed to be listed) and the results the Leipzig
project sheet reports – the 1st Leipzig Designer Day, the suppliers' internet portal, the
demonstration centre, and the acquisition talks for the Jahrtausendfeld awaiting approval.

All data is fixed (no randomness) and the step never creates an entry twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import User
from app.contracts.services import add_months
from app.decisions.models import Decision
from app.demo import people
from app.directory import joining, results, services
from app.directory.models import Network
from app.extensions import db
from app.proposals.models import Proposal

EARLY_START_MONTHS = 7  # as in the contracts step: work started under the approved early start


@dataclass(frozen=True)
class ExternalNetwork:
    """A network of the region that the programme did not fund."""

    name: str
    operator: str
    sector: str
    fields: tuple[str, ...]
    region: str
    website: str
    summary: str
    description: str


EXTERNAL = (
    ExternalNetwork(
        "Silicon Saxony", "Silicon Saxony e. V.", "Mikroelektronik und Halbleiter",
        ("Halbleiter", "Elektronik", "Mikrosystemtechnik", "Informationstechnologie"), "Sachsen",
        "http://www.silicon-saxony.net/",
        "Das Netzwerk der Halbleiter-, Elektronik- und Mikrosystemindustrie in Sachsen.",
        "Silicon Saxony verbindet Hersteller, Zulieferer, Dienstleister, Hochschulen und Institute der "
        "Halbleiter-, Elektronik- und Mikrosystemindustrie sowie die Politik. Einen Überblick über den "
        "IT-Standort Sachsen einschließlich Firmenverzeichnis gibt die Broschüre „MIKRO! – Mikroelektronik "
        "und Informationstechnologie in Sachsen“."),
    ExternalNetwork(
        "Biosaxony", "Biosaxony e. V.", "Biotechnologie", ("Biotechnologie", "Life Sciences"), "Sachsen",
        "http://www.biosaxony.com/",
        "Biosaxony koordiniert alle Biotechnologieaktivitäten in Sachsen.",
        "Biosaxony bündelt die Biotechnologie in Sachsen: Unternehmen, Forschungseinrichtungen und Hochschulen "
        "finden hier Partner für gemeinsame Entwicklungen und den Transfer in die Anwendung."),
    ExternalNetwork(
        "AMZ – Netzwerk Automobilzulieferer Sachsen", "Netzwerk Automobilzulieferer Sachsen (AMZ)",
        "Automobilzulieferer", ("Fahrzeugbau", "Zulieferung", "Produktionstechnik"), "Sachsen",
        "http://www.amz-sachsen.de/",
        "Die sächsischen Zulieferer der Automobilindustrie erarbeiten gemeinsam Lösungen für alle relevanten "
        "Hersteller.",
        "In dem Automotive-Netzwerk vernetzen sich die sächsischen Zulieferer der Automobilindustrie und "
        "erarbeiten gemeinsam intelligente Lösungen für alle relevanten Hersteller. Gemeinsam lassen sich "
        "Großaufträge realisieren, die ein einzelnes kleines oder mittleres Unternehmen nicht übernehmen kann."),
    ExternalNetwork(
        "VEMAS innovativ – Verbundinitiative Maschinenbau Sachsen", "Verbundinitiative Maschinenbau Sachsen (VEMAS)",
        "Maschinen- und Anlagenbau", ("Produktionstechnologie", "Maschinenbau", "Anlagenbau"), "Sachsen",
        "http://www.vemas-sachsen.de/",
        "Der Innovationsverbund des sächsischen Maschinen- und Anlagenbaus.",
        "VEMAS innovativ bietet eine Plattform zum branchenübergreifenden Transfer und Erfahrungsaustausch in "
        "der Produktionstechnologie."),
    ExternalNetwork(
        "Netzwerk Logistik Leipzig-Halle", "Netzwerk Logistik Leipzig-Halle e. V.", "Logistik",
        ("Logistik", "Verkehr"), "Leipzig-Halle", "http://www.logistik-mitteldeutschland.de/",
        "Logistik-Dienstleister, Zulieferer, Verlader, Verwaltung und Forschung verbessern gemeinsam die "
        "Logistikregion Leipzig-Halle.",
        "In diesem Netzwerk arbeiten Logistik-Dienstleister, -Zulieferer und Verlader aller Größenordnungen und "
        "Spezialisierungen, öffentliche Verwaltung, Kammern und Verbände sowie Forschungs- und "
        "Bildungseinrichtungen zusammen, um das Leistungsspektrum und die Leistungsfähigkeit der Logistikregion "
        "Leipzig-Halle immer weiter zu verbessern."),
)


@dataclass(frozen=True)
class DemoPost:
    """A results post and how far it got."""

    title: str
    body: str
    month: int  # months after the contract start (the early start)
    approved: bool = True


@dataclass(frozen=True)
class FundedEntry:
    """What the operator of a funded demo network wrote into its entry."""

    summary: str
    description: str
    fields: tuple[str, ...]
    posts: tuple[DemoPost, ...]


FUNDED = {
    "NAZ": FundedEntry(
        "Zulieferer des Leipziger Westens treten gemeinsam als Systemlieferant der Fahrzeugwerke auf.",
        "Metall- und Kunststoffverarbeiter aus Plagwitz, Lindenau und Leutzsch bündeln ihre Kompetenzen, um "
        "gemeinsam Baugruppen für die Fahrzeugwerke im Raum Leipzig anzubieten. Ein Internetportal zeigt das "
        "Leistungsspektrum der Partner, ein Demonstrationszentrum macht es anfassbar.\n\n"
        "Das Netzwerk ist offen für weitere Unternehmen und Institutionen aus dem Programmgebiet.",
        ("Metallverarbeitung", "Kunststofftechnik", "Werkzeugbau", "Prüftechnik"),
        (DemoPost("Internetportal der Zulieferer gestartet",
                  "Das gemeinsame **Internetportal** der Zulieferer ist online: Einkäufer der Fahrzeugwerke finden "
                  "dort Leistungen, Fertigungstiefe und Referenzen aller Partnerunternehmen an einem Ort.", 4),
         DemoPost("Demonstrationszentrum im Leipziger Westen eingerichtet",
                  "In einer sanierten Werkhalle in Plagwitz zeigen die Partner Baugruppen, Werkstoffe und "
                  "Prüfverfahren. Das **Demonstrationszentrum** steht Einkäufern und Schulklassen nach "
                  "Vereinbarung offen.", 6))),
    "VPE": FundedEntry(
        "Ingenieurbüros, Designer und Modellbauer entwickeln Produkte gemeinsam – digital von der Idee bis "
        "zum Prototyp.",
        "Das Netzwerk verbindet Konstruktionsbüros, Simulation, Modellbau und Produktdesign im Leipziger "
        "Westen zu einem Angebot, das einzelne Betriebe allein nicht machen können: eine geteilte CAD- und "
        "Simulationsplattform und ein gemeinsamer Marktauftritt.",
        ("CAD", "Simulation", "Produktdesign", "Rapid Prototyping"),
        (DemoPost("1. Leipziger Designertag",
                  "Mit dem **1. Leipziger Designertag** hat das Netzwerk seine Arbeit öffentlich vorgestellt: "
                  "Vorträge, eine Ausstellung der Partner und Gespräche mit Unternehmen aus der Region. Der "
                  "Designertag soll jährlich stattfinden.", 5),)),
    "EUT": FundedEntry(
        "Energieberatung, Umweltanalytik und Anlagenbau für die Sanierung des Leipziger Westens.",
        "Die Sanierung der Industriebrachen und Gründerzeitbauten schafft Bedarf an Energieberatung, "
        "Flächenrecycling und erneuerbaren Energien. Die Partner bieten diese Leistungen gemeinsam an.",
        ("Energieberatung", "Umweltanalytik", "Flächenrecycling", "Erneuerbare Energien"),
        (DemoPost("Akquisitionsgespräche für das Jahrtausendfeld",
                  "Das Netzwerk führt Akquisitionsgespräche für die Entwicklung des **Jahrtausendfeldes**: "
                  "Energiekonzept, Bodenanalysen und Flächenrecycling aus einer Hand.", 6, approved=False),)),
}
# The applicant who asks to join the virtual product development network (pending, for the operator to answer).
JOIN_REQUESTER = people.APPLICANTS[3][0]


def create_demo_directory() -> int:
    """Enter the external networks always and the funded ones when awards exist; return how many were made."""
    # Services build mail links and audit in a request, as the contracts step does.
    with current_app.test_request_context():
        admin = db.session.scalar(select(User).where(User.email == people.ADMIN[0]))
        if admin is None:
            return 0
        created = sum(_create_external(entry, admin) for entry in EXTERNAL)
        created += _create_funded(admin)
        db.session.flush()
        return created


def _create_external(entry: ExternalNetwork, admin: User) -> int:
    if db.session.scalar(select(Network.id).where(Network.name == entry.name)) is not None:
        return 0
    network = services.create_external_network(services.NetworkDetails(
        name=entry.name, summary=entry.summary, description=entry.description, technology_fields=list(entry.fields),
        sector=entry.sector, region=entry.region, operator_name=entry.operator, website=entry.website,
        external_status="active"), admin)
    services.set_published(network, True, admin)
    return 1


def _create_funded(admin: User) -> int:
    decisions = list(db.session.scalars(
        select(Decision).join(Proposal, Proposal.id == Decision.proposal_id)
        .outerjoin(Network, Network.proposal_id == Decision.proposal_id)
        .where(Decision.outcome == "awarded", Network.id.is_(None), Proposal.short_name.in_(FUNDED))
        .order_by(Decision.id)))
    for decision in decisions:  # none before the decisions step has awarded networks
        _create_funded_network(decision, FUNDED[decision.proposal.short_name], admin)
    return len(decisions)


def _create_funded_network(decision: Decision, entry: FundedEntry, admin: User) -> Network:
    proposal = decision.proposal
    operator = proposal.applicant
    network = services.create_funded_network(proposal, admin)
    services.update_network_by_operator(network, services.OperatorDetails(
        summary=entry.summary, description=entry.description, technology_fields=list(entry.fields),
        open_for_members=True), operator)
    services.import_partners(network, operator)
    db.session.flush()
    for index, member in enumerate(sorted(network.members, key=lambda m: m.id)):
        if index % 3 != 2:  # two in three partners agreed to be listed
            services.set_member_consent(member, True, operator)
    start = add_months(decision.award_date, -EARLY_START_MONTHS)
    for spec in entry.posts:
        post = results.create_post(network, results.PostDetails(
            title=spec.title, body=spec.body, event_date=_not_after_today(add_months(start, spec.month))),
            operator, submit=True)
        if spec.approved:
            results.approve_post(post, admin)
    services.set_published(network, True, admin)
    if proposal.short_name == "VPE":
        _request_to_join(network)
    return network


def _not_after_today(day: date) -> date:
    return min(day, date.today() - timedelta(days=1))


def _request_to_join(network: Network) -> None:
    requester = db.session.scalar(select(User).where(User.email == JOIN_REQUESTER))
    if requester is None or network.is_operated_by(requester):
        return
    joining.request_to_join(network, requester, joining.JoinDetails(
        company_name=requester.organisation, town="Leipzig-Plagwitz", sector="Kultur- und Kreativwirtschaft",
        message="Wir gestalten Ausstellungen und Messestände und würden gern mit den Designern und Modellbauern "
                "des Netzwerks zusammenarbeiten.", listing_consent=True))
