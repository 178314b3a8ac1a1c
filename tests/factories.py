"""factory_boy factories for the models."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.competitions.models import Competition, Criterion
from app.core.time import utcnow
from app.extensions import db
from app.proposals.models import Proposal

DEFAULT_PASSWORD = "correct horse battery"
# Hashed once: scrypt is deliberately slow, and tests create many users.
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD, method="scrypt")


class BaseFactory(SQLAlchemyModelFactory):
    """Commits, so that the app's request sessions see the rows."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    """A confirmed, active applicant."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@firma{n}.example")
    name = factory.Faker("name", locale="de_DE")
    organisation = factory.Sequence(lambda n: f"Firma {n} GmbH")
    locale = "de"
    password_hash = _DEFAULT_HASH
    active = True
    is_admin = False
    email_confirmed_at = factory.LazyFunction(utcnow)
    privacy_consent_at = factory.LazyFunction(utcnow)


class AdminFactory(UserFactory):
    """An administrator."""

    is_admin = True
    email = factory.Sequence(lambda n: f"admin{n}@stadt.example")


class CompetitionFactory(BaseFactory):
    """An open competition whose deadline is a month away, with ERDF/city funding."""

    class Meta:
        model = Competition

    title = factory.Sequence(lambda n: f"Ideenwettbewerb Unternehmensnetzwerke {n}")
    programme = "URBAN II Leipziger Westen"
    measure = "1.2 Förderung vernetzter Wirtschaftsstrukturen"
    call_text = "Die Stadt ruft Unternehmen auf, **Ideen für Netzwerke** einzureichen."
    eligibility_rules = ("Träger hat Sitz im Programmgebiet\nMindestens drei Partnerunternehmen\n"
                         "Finanzierungsplan vollständig")
    sectors = factory.LazyFunction(lambda: ["Automobilzulieferer", "Virtuelle Produktentwicklung",
                                            "Energie- und Umwelttechnik", "Kultur und Freizeit", "Medien"])
    phase = "open"
    submission_opens_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=10))
    submission_deadline = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    review_deadline = factory.LazyFunction(lambda: utcnow() + timedelta(days=60))
    winners_min = 3
    winners_max = 5
    budget_cents = 150_000_000
    funding_sources = factory.LazyFunction(lambda: [{"name": "EFRE", "share": "75"}, {"name": "Stadt", "share": "25"}])
    contract_months = 24


class CriterionFactory(BaseFactory):
    """A criterion with weight 1 and threshold 3."""

    class Meta:
        model = Criterion

    competition = factory.SubFactory(CompetitionFactory)
    name_de = factory.Sequence(lambda n: f"Kriterium {n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    rubric_de = "0 = nicht erfüllt … 5 = hervorragend"
    rubric_en = "0 = not met … 5 = excellent"
    weight = Decimal("1")
    threshold = Decimal("3")
    priority = factory.Sequence(lambda n: n + 1)


class ProposalFactory(BaseFactory):
    """A draft proposal of an applicant with the main fields filled."""

    class Meta:
        model = Proposal

    competition = factory.SubFactory(CompetitionFactory)
    applicant = factory.SubFactory(UserFactory)
    status = "draft"
    network_name = factory.Sequence(lambda n: f"Netzwerk Leipziger Westen {n}")
    short_name = factory.Sequence(lambda n: f"NLW{n}")
    sector = "Automobilzulieferer"
    initiative_kind = "companies"
    lead_name = factory.Sequence(lambda n: f"Träger {n} GmbH")
    lead_street = "Karl-Heine-Straße 1"
    lead_postcode = "04229"
    lead_town = "Leipzig"
    lead_contact_name = "Max Muster"
    lead_contact_email = factory.Sequence(lambda n: f"kontakt{n}@traeger{n}.example")
    cluster_analysis = "Im Leipziger Westen arbeiten viele kleine Zulieferer."
    objectives = "Gemeinsame Entwicklung und Vermarktung."
    duration_months = 24
    requested_funding_cents = 24_000_000
    own_contribution_cents = 6_000_000


# --- jury: membership, conflicts, assignments -------------------------------------------

from app.jury.models import Assignment, Conflict, JuryMembership  # noqa: E402 - section appended by the jury admin work


class JuryMembershipFactory(BaseFactory):
    """An active juror of a competition who signed the declaration."""

    class Meta:
        model = JuryMembership

    competition = factory.SubFactory(CompetitionFactory)
    user = factory.SubFactory(UserFactory)
    status = "active"
    sectors = factory.LazyFunction(list)
    keywords = ""
    declaration_signed_at = factory.LazyFunction(utcnow)


class ConflictFactory(BaseFactory):
    """A conflict of interest declared by a juror."""

    class Meta:
        model = Conflict

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)
    source = "declared"
    reason_code = "declared"
    reason = "Ich berate den Träger."
    status = "active"


class AssignmentFactory(BaseFactory):
    """A juror assigned to review a proposal."""

    class Meta:
        model = Assignment

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)
    source = "manual"


# --- jury: reviews and scores -------------------------------------------------------------

from app.jury.models import Review, Score  # noqa: E402 - section appended by the scoring work


class ReviewFactory(BaseFactory):
    """A juror's draft review of a proposal (add ScoreFactory rows for its scores)."""

    class Meta:
        model = Review

    proposal = factory.SubFactory(ProposalFactory)
    user = factory.SubFactory(UserFactory)
    status = "draft"
    overall_comment = ""
    version = 1


class ScoreFactory(BaseFactory):
    """One criterion's score and justification in a review."""

    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = Decimal("3.5")
    justification = "Nachvollziehbar begründet, mit klaren Zielen und realistischem Maßnahmenplan."
