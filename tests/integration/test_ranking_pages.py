"""Ranking pages: access, the table, sorting, the method switch, conflicts, detail, what-if, draws, statistics."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.core import cache
from app.core.models import AuditEvent
from app.extensions import db as _db
from app.jury.models import Review, Score
from app.ranking.aggregate import Method
from app.ranking.models import RankingDraw
from tests.builders.jury import juror, pool_proposal
from tests.builders.ranking import conflict, hand_computed, review
from tests.factories import AdminFactory, CompetitionFactory, CriterionFactory, UserFactory
from tests.web import login, post_form


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts without cached rankings."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hc(db):
    """The hand-computed competition in the decision phase."""
    return hand_computed()


@pytest.fixture
def english_admin(db):
    """An administrator who reads the pages in English."""
    return AdminFactory(locale="en")


def _url(hc, tail: str = "ranking") -> str:
    return f"/admin/competitions/{hc.competition.id}/{tail}"


def _text(response) -> str:
    return response.get_data(as_text=True)


# ------------------------------------------------------------------------ access


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("applicant", 403), ("juror", 200), ("conflicted", 200), ("admin", 200),
])
@pytest.mark.parametrize("tail", ["ranking", "ranking/proposals/{p1}"])
def test_ranking_and_detail_access(client, hc, who, expected, tail):
    users = {"applicant": UserFactory(), "juror": hc.jurors[0], "conflicted": hc.conflicted, "admin": hc.admin}
    if who != "anonymous":
        login(client, users[who].email)
    response = client.get(_url(hc, tail.format(p1=hc.p1.id)))
    assert response.status_code == expected
    if who == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("tail", ["statistics", "ranking/weights"])
@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("juror", 403), ("admin", 200)])
def test_statistics_and_what_if_are_for_admins(client, hc, who, expected, tail):
    if who != "anonymous":
        login(client, (hc.jurors[0] if who == "juror" else hc.admin).email)
    assert client.get(_url(hc, tail)).status_code == expected


def test_jurors_see_no_ranking_before_the_decision_phase(client, db):
    hc = hand_computed(phase="consensus")
    login(client, hc.jurors[0].email)
    assert client.get(_url(hc)).status_code == 403
    assert client.get(_url(hc, f"ranking/proposals/{hc.p1.id}")).status_code == 403


def test_missing_competition_and_proposal_outside_the_competition_are_404(client, hc):
    login(client, hc.admin.email)
    assert client.get("/admin/competitions/999999/ranking").status_code == 404
    other = pool_proposal(CompetitionFactory(phase="decision"))
    assert client.get(_url(hc, f"ranking/proposals/{other.id}")).status_code == 404


def test_draw_post_requires_admin(client, hc):
    login(client, hc.jurors[0].email)
    response = post_form(client, _url(hc, "ranking/draw"), {"method": "mean"}, token_from=_url(hc))
    assert response.status_code == 403


# ---------------------------------------------------------------------- the table


def test_ranking_table_shows_ranks_figures_flags_and_funding_line(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc)))
    order = [body.index(title) for title in ("Autozulieferer West", "Energie Lindenau", "Medienhof Plagwitz")]
    assert order == sorted(order)
    # The funding line sits between p1 (800,000 fits the 1,000,000 budget) and p3.
    line = body.index('class="funding-line"')
    assert order[0] < line < order[1]
    assert "€1,000,000.00" in body and "€800,000.00" in body
    assert "Below threshold: Impact" in body
    assert "Disagreement: Quality" in body
    assert "13.00" in body and "11.00" in body and "12.33" in body
    assert "1 proposal" in body and "target: 1 to 2 winners" in body
    assert 'aria-sort="ascending"' in body  # rank order is the default


def test_sorting_is_server_side_with_aria_sort(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc) + "?sort=total&dir=asc"))
    order = [body.index(title) for title in ("Energie Lindenau", "Medienhof Plagwitz", "Autozulieferer West")]
    assert order == sorted(order)  # 11.00 < 12.33 < 13.00
    header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*>Total', body)
    assert header, "the Total header carries aria-sort"
    assert body.count("aria-sort=") == 1
    # The header link toggles the direction; no funding line outside rank order.
    assert "sort=total&amp;dir=desc" in body
    assert 'class="funding-line"' not in body


@pytest.mark.parametrize("method", list(Method))
def test_method_switch_reaches_every_method(client, hc, english_admin, method):
    login(client, english_admin.email)
    response = client.get(_url(hc) + f"?method={method.value}")
    assert response.status_code == 200
    assert re.search(r"Method: <strong>[^<]+</strong>", _text(response))


def test_median_shows_median_totals(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc) + "?method=median"))
    assert "Method: <strong>Median</strong>" in body
    assert '<option value="median" selected>' in body
    assert "12.00" in body


def test_unknown_method_and_sort_fall_back_to_defaults(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc) + "?method=astrology&sort=drop+table&dir=sideways&page=-3"))
    assert "Method: <strong>Mean</strong>" in body


def test_conflicted_juror_sees_neither_row_nor_count(client, hc):
    login(client, hc.conflicted.email)
    body = _text(client.get(_url(hc)))
    assert "Medienhof Plagwitz" not in body
    assert "Autozulieferer West" in body and "Energie Lindenau" in body
    # Two proposals shown, counted as two; no cumulative sums or intervals that depend on the third.
    assert re.search(r"Anträge in der Rangliste</dt>\s*<dd[^>]*>2 ", body)
    assert "1.700.000,00" not in body and ">Kumuliert<" not in body and "90-%-Rangintervall" not in body
    assert client.get(_url(hc, f"ranking/proposals/{hc.p2.id}")).status_code == 404


def test_conflicted_juror_gets_neither_funding_line_nor_methods_across_proposals(client, hc):
    login(client, hc.conflicted.email)
    body = _text(client.get(_url(hc) + "?method=normalised"))
    assert "Verfahren: <strong>Mittelwert</strong>" in body  # normalised uses every proposal: the mean instead
    assert 'value="normalised"' not in body and 'value="calibrated"' not in body
    assert "Oberhalb der Förderlinie" not in body and 'class="funding-line"' not in body


def test_juror_without_conflict_sees_the_whole_ranking(client, hc):
    login(client, hc.jurors[0].email)
    body = _text(client.get(_url(hc)))
    assert "Medienhof Plagwitz" in body and "90-%-Rangintervall" in body
    assert "Gewichtung durchspielen" not in body  # admin-only link


def test_a_score_change_shows_on_the_next_page_view(client, hc, english_admin):
    """The ranking is cached per ranking stamp; a score change gives a new stamp and new rows."""
    login(client, english_admin.email)
    assert "11.00" in _text(client.get(_url(hc)))  # p3: computed and cached
    score = _db.session.scalar(select(Score).join(Review, Review.id == Score.review_id).where(
        Score.criterion_id == hc.a.id, Review.proposal_id == hc.p3.id, Review.user_id == hc.jurors[2].id))
    score.value = Decimal("5")  # p3's A: 3, 4, 5 -> mean 4, total 13
    _db.session.commit()
    body = _text(client.get(_url(hc)))
    assert "11.00" not in body and body.count("13.00") >= 2


def test_rows_computed_for_an_admin_are_not_shown_to_a_conflicted_juror(client, hc, english_admin):
    login(client, english_admin.email)
    assert "Medienhof Plagwitz" in _text(client.get(_url(hc)))
    client.post("/logout", data={"csrf_token": ""})
    client.delete_cookie("session")
    login(client, hc.conflicted.email)
    body = _text(client.get(_url(hc)))
    assert "Autozulieferer West" in body and "Medienhof Plagwitz" not in body


def test_a_conflict_declared_after_viewing_hides_the_row_at_once(client, hc):
    """The kept page body follows the ranking's stamp, which a new conflict changes."""
    login(client, hc.jurors[0].email)
    assert "Energie Lindenau" in _text(client.get(_url(hc)))
    conflict(hc.jurors[0], hc.p3)
    body = _text(client.get(_url(hc)))
    assert "Energie Lindenau" not in body and "Autozulieferer West" in body


# ------------------------------------------------------------------ proposal detail


def test_detail_shows_every_method_and_juror_names_for_admins(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc, f"ranking/proposals/{hc.p3.id}")))
    for label in ("Mean", "Median", "Trimmed mean", "Normalised (z-score per juror)", "Calibrated (fixed effects)"):
        assert f">{label}" in body
    assert "Jurorin 1" in body and "Jurorin 3" in body
    assert '<svg role="img"' in body and "<title id=" in body and "<desc id=" in body
    assert "fewer than 5 reviews" in body  # trimmed mean note


def test_detail_anonymises_jurors_for_jurors(client, hc):
    hc.competition.other_reviews_visibility = "always"
    _db.session.commit()
    login(client, hc.jurors[0].email)
    body = _text(client.get(_url(hc, f"ranking/proposals/{hc.p3.id}")))
    assert "Jurymitglied 2" in body and "Jurorin 2" not in body


def test_detail_hides_individual_scores_when_the_rules_say_never(client, hc):
    hc.competition.other_reviews_visibility = "never"
    _db.session.commit()
    login(client, hc.jurors[0].email)
    body = _text(client.get(_url(hc, f"ranking/proposals/{hc.p3.id}")))
    assert "nicht angezeigt" in body and "Jurymitglied 2" not in body


# ----------------------------------------------------------------------- what-if


def test_what_if_preview_moves_the_ranking_and_saves_nothing(client, hc, english_admin):
    login(client, english_admin.email)
    response = client.get(_url(hc, "ranking/weights") + f"?method=mean&w_{hc.a.id}=1&w_{hc.b.id}=3")
    body = _text(response)
    assert body.index("Energie Lindenau") < body.index("Autozulieferer West")
    assert "up 1 place" in body and "down 1 place" in body and "4.50" in body  # 18 / 4: weights scaled to sum 1
    _db.session.expire_all()
    assert hc.a.weight == Decimal("2")
    assert _db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "criteria.weights_changed")) == 0


def test_what_if_confirmation_saves_the_weights_audited(client, hc):
    login(client, hc.admin.email)
    preview = _url(hc, "ranking/weights") + f"?method=mean&w_{hc.a.id}=1&w_{hc.b.id}=3"
    response = post_form(client, _url(hc, "ranking/weights"),
                         {"method": "mean", f"w_{hc.a.id}": "1", f"w_{hc.b.id}": "3"}, token_from=preview)
    assert response.status_code == 302 and "/ranking" in response.headers["Location"]
    _db.session.expire_all()
    assert (hc.a.weight, hc.b.weight) == (Decimal("1"), Decimal("3"))
    event_ = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "criteria.weights_changed"))
    assert event_.actor_id == hc.admin.id and event_.before["weights"][str(hc.a.id)] == "2.000"
    body = _text(client.get(_url(hc)))
    assert body.index("Energie Lindenau") < body.index("Autozulieferer West")


def test_what_if_refuses_bad_input_and_keeps_it(client, hc):
    login(client, hc.admin.email)
    body = _text(client.get(_url(hc, "ranking/weights") + f"?w_{hc.a.id}=1,5x&w_{hc.b.id}=0"))
    assert 'value="1,5x"' in body
    assert "Bitte geben Sie eine Zahl ein" in body
    assert "Die Gewichtung muss größer als 0 sein." in body or "größer als 0" in body
    assert "Rangliste mit diesen Gewichtungen" not in body
    response = post_form(client, _url(hc, "ranking/weights"), {f"w_{hc.a.id}": "2", f"w_{hc.b.id}": "1"},
                         token_from=_url(hc, "ranking/weights"))
    assert response.status_code == 200
    assert "unverändert" in _text(response)


# -------------------------------------------------------------------------- draws


def test_admin_records_a_draw_from_the_ranking_page(client, db):
    competition = CompetitionFactory(phase="decision")
    a, b = CriterionFactory(competition=competition), CriterionFactory(competition=competition)
    twins = [pool_proposal(competition, network_name=f"Zwilling {n}") for n in (1, 2)]
    for user in [juror(competition) for _ in range(3)]:
        for proposal in twins:
            review(proposal, user, {a: 4, b: 4})
    admin = AdminFactory()
    login(client, admin.email)
    url = f"/admin/competitions/{competition.id}/ranking"
    body = _text(client.get(url))
    assert "1=" in body and "Losentscheid festhalten" in body
    response = post_form(client, url + "/draw", {"method": "mean"}, token_from=url)
    assert response.status_code == 302
    draw = _db.session.scalar(select(RankingDraw))
    assert draw.created_by_id == admin.id and draw.method == "mean"
    body = _text(client.get(url))
    assert "Losentscheid festhalten" not in body and str(draw.seed) in body


def test_a_draw_shown_to_a_conflicted_juror_counts_ranks_among_the_shown_rows(client, db):
    """Twins tied below a hidden leader: the draw reads ranks 1 to 2, not 2 to 3 (which would reveal the leader)."""
    competition = CompetitionFactory(phase="decision")
    a, b = CriterionFactory(competition=competition), CriterionFactory(competition=competition)
    leader = pool_proposal(competition, network_name="Spitzenreiter")
    twins = [pool_proposal(competition, network_name=f"Zwilling {n}") for n in (1, 2)]
    for user in [juror(competition) for _ in range(3)]:
        review(leader, user, {a: 5, b: 5})
        for proposal in twins:
            review(proposal, user, {a: 4, b: 4})
    conflicted = juror(competition)
    conflict(conflicted, leader)
    login(client, conflicted.email)
    body = _text(client.get(f"/admin/competitions/{competition.id}/ranking"))
    assert "Spitzenreiter" not in body and "Zwilling 1" in body
    assert "Ränge 1 bis 2:" in body and "Ränge 2 bis 3:" not in body


# --------------------------------------------------------------------- statistics


def test_statistics_show_alpha_leniency_and_distributions(client, hc, english_admin):
    login(client, english_admin.email)
    body = _text(client.get(_url(hc, "statistics")))
    assert "Krippendorff" in body
    assert "Juror totals" in body and ">good<" in body  # alpha on Impact is 0.862
    assert "Jurorin 1" in body and "-0.44" in body  # weighted leniency of juror 1: 2·(-1/9) - 2/9
    assert body.count('<svg role="img"') == 3  # leniency and one histogram per criterion
    assert "How often each score was given" in body


# ------------------------------------------------------------------- query count


def _statements(app, client, url: str) -> int:
    """Number of SQL statements a GET of url sends (cold cache)."""
    cache.clear()
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def _competition_with(n: int):
    competition = CompetitionFactory(phase="decision")
    criteria = [CriterionFactory(competition=competition) for _ in range(2)]
    jurors = [juror(competition) for _ in range(3)]
    for i in range(n):
        proposal = pool_proposal(competition)
        for k, user in enumerate(jurors):
            review(proposal, user, {c: (i + k + j) % 6 for j, c in enumerate(criteria)})
    return competition


def test_statement_count_of_the_ranking_page_does_not_grow_with_proposals(app, client, db):
    admin = AdminFactory()
    small, large = _competition_with(3), _competition_with(15)
    login(client, admin.email)
    cold_small = _statements(app, client, f"/admin/competitions/{small.id}/ranking")
    cold_large = _statements(app, client, f"/admin/competitions/{large.id}/ranking")
    assert cold_small == cold_large
    assert cold_small <= 15
