"""The shared fixture world of the security tests: every role and one object of every kind.

Roles: anonymous, an unrelated applicant, the owning applicant (proposals, a contract and a
funded network), an assigned juror, a juror with a conflict on the owner's proposal, an admin.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import delete

from app.api.tokens import create_token
from app.contracts import reports
from app.contracts.models import ContractFile
from app.core.models import OutboxMessage
from app.core.time import utcnow
from app.core.uploads import store_bytes
from app.directory.models import JoinRequest
from app.extensions import db
from app.jury.models import Conflict, Consensus, DiscussionPost, JuryMembership, Review
from app.legal.services import publish_text
from app.privacy.models import DeletionRequest
from app.proposals.models import Attachment
from app.proposals.snapshot import build_snapshot
from tests.builders.contracts import awarded_decision, in_request, worked_example_contract
from tests.builders.directory import funded_network, member, post
from tests.builders.jury import pool_proposal
from tests.builders.scoring import review_competition
from tests.factories import AdminFactory, AssignmentFactory, CompetitionFactory, ProposalFactory, UserFactory

ROLES = ("anonymous", "applicant", "owner", "juror", "conflicted_juror", "admin")

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass
class World:
    """Everything the route table builds URLs from (ids, not ORM objects, so they never go stale)."""

    emails: dict = field(default_factory=dict)
    user_ids: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def attachment(proposal, user) -> Attachment:
    """A stored PDF attachment of a proposal."""
    row = Attachment(proposal_id=proposal.id, storage_key=store_bytes(PDF), display_name="Brief.pdf",
                     mime_type="application/pdf", size_bytes=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                     uploaded_by_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


def contract_file(contract, user, kind: str = "document", report=None) -> ContractFile:
    """A stored PDF of a contract: a document, or evidence of a report."""
    row = ContractFile(contract_id=contract.id, report_id=report.id if report else None, kind=kind,
                       storage_key=store_bytes(PDF), display_name="Vertrag.pdf", mime_type="application/pdf",
                       size_bytes=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(), uploaded_by_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


def build_world() -> World:
    """Create the world (committed) and return its users and ids."""
    world = World()
    admin = AdminFactory(name="Admin")
    owner = UserFactory(name="Owner")
    applicant = UserFactory(name="Applicant")
    juror_user = UserFactory(name="Juror")
    conflicted = UserFactory(name="Conflicted Juror")
    people = {"applicant": applicant, "owner": owner, "juror": juror_user, "conflicted_juror": conflicted,
              "admin": admin}
    world.emails = {role: user.email for role, user in people.items()}
    world.user_ids = {role: user.id for role, user in people.items()}

    # An open call: the owner's draft with an attachment; the applicant's own draft (a foreign object).
    open_call = CompetitionFactory(phase="open")
    draft = ProposalFactory(competition=open_call, applicant=owner)
    other_draft = ProposalFactory(competition=open_call, applicant=applicant)
    ids = world.ids
    ids.update(open_competition=open_call.id, draft=draft.id, draft_attachment=attachment(draft, owner).id,
               other_draft=other_draft.id, other_attachment=attachment(other_draft, applicant).id)

    # A competition in review: the owner's submitted proposal, an assigned juror, a conflicted juror.
    review_call = review_competition()
    submitted = pool_proposal(review_call, applicant=owner)
    second = pool_proposal(review_call, applicant=applicant)
    for user in (juror_user, conflicted):
        db.session.add(JuryMembership(competition_id=review_call.id, user_id=user.id, status="active",
                                      declaration_signed_at=utcnow()))
    assignment = AssignmentFactory(proposal=submitted, user=juror_user)
    AssignmentFactory(proposal=second, user=conflicted)
    conflict = Conflict(proposal_id=submitted.id, user_id=conflicted.id, source="declared", reason_code="declared",
                        reason="Ich berate den Träger.", status="active")
    review = Review(proposal_id=submitted.id, user_id=juror_user.id, status="submitted", submitted_at=utcnow(),
                    overall_comment="Gut.", version=1)
    db.session.add_all([conflict, review])
    db.session.add(Consensus(proposal_id=submitted.id, rapporteur_id=juror_user.id, status="draft", report="Entwurf."))
    db.session.add(DiscussionPost(proposal_id=submitted.id, author_id=juror_user.id, body="Meinung."))
    db.session.commit()
    membership = db.session.query(JuryMembership).filter_by(competition_id=review_call.id,
                                                            user_id=juror_user.id).one()
    submitted_attachment = attachment(submitted, owner)
    db.session.refresh(submitted)
    submitted.snapshot = build_snapshot(submitted)  # jurors see the attachments listed in the snapshot
    db.session.commit()
    ids.update(review_competition=review_call.id, submitted=submitted.id,
               submitted_attachment=submitted_attachment.id, second=second.id, assignment=assignment.id,
               conflict=conflict.id, review=review.id, membership=membership.id,
               criterion=review_call.criteria[0].id)

    # A signed contract of the owner with a document, a submitted report with evidence; the applicant's contract.
    contract, milestone = worked_example_contract(admin, applicant=owner)
    with in_request():
        report = reports.submit_report(milestone, achieved=Decimal("20"), evidence_text="Liste.", files=[],
                                       actor=owner)
        db.session.commit()
    other_contract, other_milestone = worked_example_contract(admin, applicant=applicant)
    # The owner's decision letter went out: the applicant's portal offers it for download.
    letter = OutboxMessage(recipient=owner.email, recipient_user_id=owner.id, locale="de", template="decision_letter",
                           subject="Ihr Antrag hat den Zuschlag erhalten", body="Brief.")
    db.session.add(letter)
    db.session.flush()
    contract.decision.letter_sent_at, contract.decision.letter_id = utcnow(), letter.id
    db.session.commit()
    free_milestone = next(m for m in contract.milestones if m.id != milestone.id)  # no open report yet
    ids.update(contract=contract.id, milestone=milestone.id, free_milestone=free_milestone.id, report=report.id,
               document=contract_file(contract, admin).id,
               evidence=contract_file(contract, owner, "evidence", report).id,
               other_contract=other_contract.id, other_milestone=other_milestone.id,
               other_document=contract_file(other_contract, admin).id,
               decision_competition=contract.competition_id,
               decision_proposal=contract.proposal_id,
               open_decision=awarded_decision(applicant=owner, competition=contract.proposal.competition).id)

    # The owner's funded network with a member, a submitted post and the applicant's join request.
    network = funded_network(operator=owner)
    other_network = funded_network(operator=applicant)
    network_member = member(network, "Mitglied GmbH", listed=False)
    results_post = post(network, "Ergebnis", status="submitted")
    join = JoinRequest(network_id=network.id, user_id=applicant.id, company_name="Bewerber GmbH")
    db.session.add(join)
    db.session.commit()
    ids.update(network=network.id, network_slug=network.slug, other_network=other_network.id,
               network_member=network_member.id, other_member=member(other_network, "Fremd AG", listed=False).id,
               post=results_post.id, other_post=post(other_network, "Fremd", status="draft").id,
               join_request=join.id, network_proposal=network.proposal_id)

    message = OutboxMessage(recipient=owner.email, recipient_user_id=owner.id, locale="de", template="x",
                            subject="Betreff", body="Text")
    db.session.add(message)
    db.session.commit()
    ids["outbox_message"] = message.id
    with in_request():  # the owner's API token (revoking it is the owner's alone)
        ids["api_token"] = create_token(owner, name="Monitoring", scope="read", valid_days=30)[0].id
        db.session.commit()

    # A published legal notice (not the privacy notice: its first version would stop every login for a
    # confirmation) and the applicant's waiting deletion request.
    publish_text("imprint", body_de="Impressum", body_en="", material=False, change_note="", author=admin)
    request = DeletionRequest(user_id=applicant.id, filed_by_id=applicant.id)
    db.session.add(request)
    db.session.commit()
    ids["deletion_request"] = request.id
    return world


def clear_database() -> None:
    """Delete every row (as the root conftest does after each test)."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()

