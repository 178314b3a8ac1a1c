"""The juror dashboard's consensus tasks: which reports a juror drafts and which they still have to approve."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db as _db
from app.jury.models import Consensus, ConsensusApproval
from app.jury.permissions import consensus_approver_ids
from tests.builders.jury import assigned_juror, juror, pool_proposal
from tests.builders.scoring import review_competition, submitted_review
from tests.factories import ConflictFactory, ReviewFactory

DRAFT = re.compile(r"Konsensbericht für „(Netzwerk \d+)“ entwerfen")
APPROVE = re.compile(r"Dem Konsensbericht für „(Netzwerk \d+)“ zustimmen")


def _report(proposal, status: str, rapporteur) -> Consensus:
    report = Consensus(proposal_id=proposal.id, rapporteur_id=rapporteur.id if rapporteur else None,
                       status=status, version=1, report="", minority_view="")
    _db.session.add(report)
    _db.session.flush()
    return report


def test_dashboard_lists_exactly_the_reports_to_draft_and_to_approve(client, login_as, db):
    competition = review_competition()
    proposals = [pool_proposal(competition) for _ in range(10)]
    me = assigned_juror(proposals[0], email="me@uni.example")
    other = juror(competition, email="other@ihk.example")
    names = [p.network_name for p in proposals]

    _report(proposals[1], "draft", me)                    # I draft it
    _report(proposals[2], "draft", other)                 # someone else drafts it
    for index in (3, 4, 5, 7, 8, 9):                      # I reviewed these
        submitted_review(me, proposals[index], [3, 3])
    _report(proposals[3], "proposed", other)              # to approve
    approved = _report(proposals[4], "proposed", other)   # already approved by me
    _db.session.add(ConsensusApproval(consensus_id=approved.id, user_id=me.id, approved_at=utcnow()))
    _report(proposals[5], "proposed", me)                 # I am the rapporteur
    ReviewFactory(proposal=proposals[6], user=me)         # only a draft review
    _report(proposals[6], "proposed", other)
    ConflictFactory(proposal=proposals[7], user=me)       # conflicted: hidden
    _report(proposals[7], "proposed", other)
    _report(proposals[8], "proposed", None)               # no rapporteur named (yet)
    _report(proposals[9], "approved", other)              # done
    db.session.commit()

    login_as(me)
    body = client.get("/jury").get_data(as_text=True)

    assert DRAFT.findall(body) == [names[1]]
    assert APPROVE.findall(body) == [names[3], names[8]]
    # The same answer as the permission rule for approvers, report by report.
    reports = _db.session.scalars(select(Consensus).where(Consensus.status == "proposed")).all()
    expected = [report.proposal for report in reports
                if me.id in consensus_approver_ids(report.proposal, report.rapporteur_id)
                and me.id not in {a.user_id for a in report.approvals}]
    assert APPROVE.findall(body) == [p.network_name for p in sorted(expected, key=lambda p: p.receipt_number)]


def test_juror_without_tasks_is_thanked(client, login_as, db):
    competition = review_competition()
    proposal = pool_proposal(competition)
    me = assigned_juror(proposal, email="me@uni.example")
    submitted_review(me, proposal, [4, 4])
    db.session.commit()
    login_as(me)
    body = client.get("/jury").get_data(as_text=True)
    assert "Im Moment nichts. Vielen Dank!" in body and DRAFT.findall(body) == [] and APPROVE.findall(body) == []


def test_each_juror_sees_their_own_list_and_a_submission_at_once(app, client, login_as, db):
    """The assigned-proposals table is each juror's own and shows a new state at once."""
    from app.jury.models import Assignment
    from tests.web import login, without_tokens

    competition = review_competition()
    mine, theirs = pool_proposal(competition), pool_proposal(competition)
    me = assigned_juror(mine, email="me@uni.example")
    other = assigned_juror(theirs, email="other@ihk.example")
    db.session.commit()

    login_as(me)
    first, again = client.get("/jury").text, client.get("/jury").text
    neighbour = app.test_client()
    login(neighbour, other.email)
    their_page = neighbour.get("/jury").text
    submitted_review(me, mine, [3, 3])
    db.session.commit()
    submitted = client.get("/jury").text
    db.session.add(Assignment(proposal_id=theirs.id, user_id=me.id))
    db.session.commit()
    after = client.get("/jury").text

    assert without_tokens(first) == without_tokens(again)
    assert mine.network_name in first and theirs.network_name not in first
    assert theirs.network_name in their_page and mine.network_name not in their_page
    def row(page: str, name: str) -> str:
        return page.split(f">{name}</a>")[1].split("</tr>")[0]

    assert "Bewertung beginnen" in row(first, mine.network_name)
    assert "Bewertung beginnen" not in row(submitted, mine.network_name)  # submitted now
    assert "Bewertung beginnen" in row(after, theirs.network_name)  # the new assignment shows at once
