"""The progress page at scale: aggregate counts, pages of 50 proposals, the two filters."""

from __future__ import annotations

from sqlalchemy import select

from app.jury import progress_page
from app.jury.models import Review
from tests.builders.jury import add_review, juror, pool_proposal, review_competition
from tests.factories import AdminFactory, AssignmentFactory, CriterionFactory
from tests.web import login


def _case(db, extra: int = 0):
    """Two jurors; the first proposal disagrees (5 vs 1), the second is incomplete; `extra` untouched ones."""
    competition = review_competition(reviews_per_proposal=2)
    CriterionFactory(competition=competition)
    first = pool_proposal(competition, network_name="Netzwerk Eins")
    second = pool_proposal(competition, network_name="Netzwerk Zwei")
    anna, bert = juror(competition, name="Anna Arm"), juror(competition, name="Bert Bau")
    for proposal in (first, second):
        AssignmentFactory(proposal=proposal, user=anna)
        AssignmentFactory(proposal=proposal, user=bert)
    add_review(db, first, anna, values=(5,))
    add_review(db, first, bert, values=(1,))
    add_review(db, second, anna, values=(3,))
    add_review(db, second, bert, status="draft")
    others = [pool_proposal(competition, network_name=f"Netzwerk {k}") for k in range(extra)]
    return competition, first, second, (anna, bert), others


def test_counts_come_from_aggregates(db, in_request):
    competition, first, second, (anna, bert), _ = _case(db)
    page = progress_page.progress_page(competition)
    jurors = {j.user_id: j for j in page.jurors}
    assert (jurors[anna.id].assigned, jurors[anna.id].submitted, jurors[anna.id].pending) == (2, 2, 0)
    assert (jurors[bert.id].assigned, jurors[bert.id].submitted, jurors[bert.id].drafts) == (2, 1, 1)
    assert (page.total_assigned, page.total_submitted, page.flagged_count) == (4, 3, 1)
    rows = {r.proposal.id: r for r in page.proposals}
    assert rows[first.id].disagreement and not rows[second.id].disagreement
    assert [r.state for r in rows[second.id].reviewers] == ["submitted", "draft"]


def test_filters_show_only_flagged_or_incomplete_proposals(db, in_request):
    competition, first, second, _jurors, others = _case(db, extra=1)
    flagged = progress_page.progress_page(competition, show="flagged")
    assert [r.proposal.id for r in flagged.proposals] == [first.id]
    incomplete = progress_page.progress_page(competition, show="incomplete")
    assert {r.proposal.id for r in incomplete.proposals} == {second.id, others[0].id}
    assert progress_page.progress_page(competition, show="nonsense").show == "all"


def test_proposal_table_is_paged(db, client):
    competition, _first, _second, _jurors, others = _case(db, extra=progress_page.PROPOSALS_PER_PAGE)
    login(client, AdminFactory().email)
    url = f"/admin/competitions/{competition.id}/progress"
    first_page = client.get(url).get_data(as_text=True)
    last = others[-1].title
    assert "Passende Anträge: 52" in first_page and last not in first_page
    second_page = client.get(f"{url}?page=2").get_data(as_text=True)
    assert last in second_page and "Anna Arm" in second_page
    assert client.get(f"{url}?page=99&show=flagged").status_code == 200


def test_the_kept_proposal_table_shows_a_submitted_review_and_a_renamed_juror_at_once(db, client):
    competition, _first, second, (anna, bert), _ = _case(db)
    login(client, AdminFactory().email)
    url = f"/admin/competitions/{competition.id}/progress"
    assert "Bert Bau (Entwurf)" in client.get(url).get_data(as_text=True)
    review = db.session.scalar(select(Review).where(Review.proposal_id == second.id, Review.user_id == bert.id))
    review.status = "submitted"
    bert.name = "Berta Bau"
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Berta Bau (eingereicht)" in page and "Bert Bau (Entwurf)" not in page
