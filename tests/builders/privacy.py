"""Builds two applicants of one consortium, a juror who reviewed both proposals and a second juror, with files."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import User
from app.core.time import utcnow
from app.core.uploads import store_bytes
from app.extensions import db
from app.proposals.models import Attachment, Proposal, ProposalPartner
from tests.builders.jury import add_review, assigned_juror, pool_proposal, review_competition
from tests.factories import AssignmentFactory, ProposalFactory, UserFactory


@dataclass
class Consortium:
    """A and B run one consortium (each names the other as partner); J reviewed both, K only A's."""

    alpha: User
    beta: User
    juror: User
    other_juror: User
    alpha_proposal: Proposal
    beta_proposal: Proposal
    alpha_draft: Proposal
    alpha_file: bytes
    draft_key: str


def attach(proposal: Proposal, data: bytes, name: str) -> Attachment:
    """Store bytes as an attachment of the proposal."""
    attachment = Attachment(proposal_id=proposal.id, storage_key=store_bytes(data), display_name=name,
                            mime_type="application/pdf", size_bytes=len(data), sha256="0" * 64,
                            uploaded_at=utcnow(), uploaded_by_id=proposal.applicant_id)
    db.session.add(attachment)
    db.session.commit()
    return attachment


def consortium() -> Consortium:
    """Two applicants in the same consortium, each with a submitted proposal, and two jurors."""
    competition = review_competition()
    alpha = UserFactory(name="Anna Alpha", email="anna@alpha.example", organisation="Alpha GmbH")
    beta = UserFactory(name="Bernd Beta", email="bernd@beta.example", organisation="Beta AG")
    alpha_proposal = pool_proposal(competition, applicant=alpha, network_name="Netz Alpha",
                                   lead_contact_name="Anna Alpha", lead_contact_email="anna@alpha.example",
                                   lead_contact_phone="0341 111")
    alpha_proposal.partners.append(ProposalPartner(organisation="Beta AG", contact_name="Bernd Beta",
                                                   contact_email="bernd@beta.example"))
    beta_proposal = pool_proposal(competition, applicant=beta, network_name="Netz Beta",
                                  lead_contact_name="Bernd Beta", lead_contact_email="bernd@beta.example",
                                  objectives="Geheimes Ziel von Beta")
    beta_proposal.partners.append(ProposalPartner(organisation="Alpha GmbH", contact_name="Anna Alpha",
                                                  contact_email="anna@alpha.example"))
    db.session.commit()
    juror = assigned_juror(alpha_proposal, name="Jana Jury", email="jana@jury.example")
    AssignmentFactory(proposal=beta_proposal, user=juror)
    other = assigned_juror(alpha_proposal, name="Karl Kritik", email="karl@jury.example")
    for proposal, user, text in ((alpha_proposal, juror, "Jana zu Alpha"), (beta_proposal, juror, "Jana zu Beta"),
                                 (alpha_proposal, other, "Karl zu Alpha")):
        review = add_review(db, proposal, user)
        for score in review.scores:
            score.justification = text
        db.session.commit()
    alpha_file = b"%PDF-1.4 Alpha Anlage"
    attach(alpha_proposal, alpha_file, "anlage-alpha.pdf")
    attach(beta_proposal, b"%PDF-1.4 Beta Anlage", "anlage-beta.pdf")
    alpha_draft = ProposalFactory(competition=competition, applicant=alpha, network_name="Entwurf Alpha")
    draft_key = attach(alpha_draft, b"%PDF-1.4 Entwurf", "entwurf.pdf").storage_key
    return Consortium(alpha, beta, juror, other, alpha_proposal, beta_proposal, alpha_draft, alpha_file, draft_key)
