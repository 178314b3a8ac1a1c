"""The jury protocol: participants with declarations, conflicts, method, ranking, decisions, draws; HTML and PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.decisions import protocol
from app.decisions.services import record_decision
from app.extensions import db as _db
from app.ranking.models import RankingDraw
from tests.builders.decisions import decision_case
from tests.web import login


def protocol_case():
    """The decision case with two decisions, a signed declaration date and a recorded draw."""
    case = decision_case()
    from app.jury.models import JuryMembership

    membership = _db.session.query(JuryMembership).filter_by(user_id=case.jurors[0].id).one()
    membership.declaration_signed_at = datetime(2024, 4, 2, 9, 0, tzinfo=UTC)
    _db.session.add(RankingDraw(competition_id=case.competition.id, method="median", seed=424242,
                                outcome=[{"proposal_ids": [case.energy.id, case.virtual.id],
                                          "drawn_order": [case.virtual.id, case.energy.id], "ranks": [2, 3]}]))
    _db.session.commit()
    return case


def decide(case):
    record_decision(case.auto, outcome="awarded", rationale="Überzeugendes Netzwerk der Zulieferer.",
                    actor=case.admin, award_date=date(2024, 7, 1), meeting_note="Einstimmig.")
    record_decision(case.media, outcome="rejected", rationale="Wirkung unter dem Schwellenwert.", actor=case.admin)
    _db.session.commit()


def test_protocol_html_names_participants_conflicts_decisions_and_draws(client, db, in_request):
    case = protocol_case()
    decide(case)
    login(client, case.admin.email)
    response = client.get(f"/admin/competitions/{case.competition.id}/protocol.html")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=\"protocol-")
    html = response.get_data(as_text=True)
    assert html.startswith("<!doctype html>") and '<html lang="de">' in html
    for juror in case.jurors:
        assert juror.name in html
    assert "02.04.2024" in html  # the declaration date of the first juror
    assert "Befangene Jurorin" in html and "Medienhof Plagwitz" in html  # the conflict
    assert "Mittelwert" in html  # the method
    assert "Überzeugendes Netzwerk der Zulieferer." in html and "Einstimmig." in html
    assert "01.07.2024" in html  # award date
    assert "424242" in html  # the draw's seed
    assert "Virtuelle Produktentwicklung" in html
    assert html.count("Ort, Datum") == 5  # four jurors and the chair sign
    # The ranking in rank order.
    ranking = html[html.index('id="p-ranking"'):html.index('id="p-decisions"')]
    positions = [ranking.index(p.network_name) for p in case.proposals]
    assert positions == sorted(positions)


def test_protocol_page_shows_the_same_with_download_links(client, db, in_request):
    case = protocol_case()
    decide(case)
    login(client, case.admin.email)
    html = client.get(f"/admin/competitions/{case.competition.id}/protocol").get_data(as_text=True)
    assert "protocol.pdf" in html and "protocol.html" in html
    assert "Wirkung unter dem Schwellenwert." in html


def test_protocol_pdf_is_a_valid_pdf(client, db, in_request):
    case = protocol_case()
    decide(case)
    login(client, case.admin.email)
    response = client.get(f"/admin/competitions/{case.competition.id}/protocol.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    body = response.get_data()
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert len(body) > 5_000


def test_protocol_pdf_falls_back_to_a_core_font_without_dejavu(db, in_request, monkeypatch, tmp_path):
    case = protocol_case()
    decide(case)
    monkeypatch.setattr(protocol, "FONT_REGULAR", tmp_path / "missing.ttf")
    body = protocol.render_protocol_pdf(protocol.build_protocol(case.competition))
    assert body.startswith(b"%PDF-") and b"Helvetica" in body and len(body) > 2_000


def test_protocol_uses_the_method_the_decisions_were_taken_on(db, in_request):
    case = protocol_case()
    from app.decisions.services import compute_ranking_view, ranks_from

    ranks = ranks_from(compute_ranking_view(case.competition, "median"))
    record_decision(case.auto, outcome="awarded", rationale="Median-Sitzung.", actor=case.admin,
                    rank=ranks[case.auto.id])
    _db.session.commit()
    assert protocol.build_protocol(case.competition).method == "median"
    assert protocol.build_protocol(case.competition, "mean").method == "mean"


@pytest.mark.parametrize("file_format", ["html", "pdf"])
def test_protocol_downloads_work_before_any_review(client, db, file_format):
    from tests.factories import AdminFactory, CompetitionFactory

    competition = CompetitionFactory(phase="review")
    admin = AdminFactory()
    login(client, admin.email)
    assert client.get(f"/admin/competitions/{competition.id}/protocol.{file_format}").status_code == 200
