"""Exports (CSV, XLSX) with the method header, pseudonyms, formula injection, and the audit file."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.models import AuditEvent
from app.decisions.services import record_decision
from app.extensions import db as _db
from app.jury.models import Score
from tests.builders.decisions import JUROR_NAMES, decision_case
from tests.web import login, post_form


def read_csv(body: bytes, delimiter: str):
    """Split an export into its header block (dict) and its table (list of dicts)."""
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))
    blank = rows.index([])
    header = {row[0]: row[1] for row in rows[:blank]}
    assert all(key.startswith("# ") for key in header)
    table = [dict(zip(rows[blank + 1], row, strict=True)) for row in rows[blank + 2:]]
    return header, table


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response


def test_ranking_csv_parses_back_with_the_documented_header(client, db):
    case = decision_case()
    login(client, case.admin.email)
    response = get(client, f"/admin/competitions/{case.competition.id}/exports/ranking.csv?method=median")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ranking-')
    header, table = read_csv(response.get_data(), ";")
    assert header["# Aggregationsverfahren"] == "Median"
    assert "METHOD.md" in header["# Beschreibung des Verfahrens"]
    assert header["# Gesamtschwellenwert H"] == "9"
    assert "Gewichtung 2," in header[f"# Kriterium {case.a.id}"]
    assert [row["Netzwerkidee"] for row in table] == [p.network_name for p in case.proposals]
    assert table[0]["Gesamtwert"] == "12,00"  # the median of 4, 4, 5 is 4: 2·4 + 4
    assert table[0]["Beantragte Förderung (EUR)"] == "800000,00"
    assert table[-1]["Schwellenwerte erreicht"] == "Nein" and "Wirkung" in table[-1]["Verfehlte Kriterien"]


def test_ranking_csv_in_english_uses_commas_and_points(client, db):
    case = decision_case()
    login(client, case.admin.email)
    post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    header, table = read_csv(get(client, f"/admin/competitions/{case.competition.id}/exports/ranking.csv")
                             .get_data(), ",")
    assert header["# Aggregation method"] == "Mean"
    assert float(table[1]["Total"]) == pytest.approx(11.0)
    assert float(table[1]["Score: Network quality"]) == pytest.approx(4.0)


def test_ranking_xlsx_opens_with_a_method_sheet(client, db):
    case = decision_case()
    login(client, case.admin.email)
    body = get(client, f"/admin/competitions/{case.competition.id}/exports/ranking.xlsx").get_data()
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Verfahren", "Rangliste"]
    method = {row[0]: row[1] for row in workbook["Verfahren"].iter_rows(values_only=True)}
    assert method["Aggregationsverfahren"] == "Mittelwert"
    rows = list(workbook["Rangliste"].iter_rows(values_only=True))
    headings = rows[0]
    first = dict(zip(headings, rows[1], strict=True))
    assert first["Netzwerkidee"] == "Autozulieferer West" and first["Gesamtwert"] == pytest.approx(13.0)


def test_reviews_export_is_pseudonymised_by_default(client, db):
    case = decision_case()
    login(client, case.admin.email)
    body = get(client, f"/admin/competitions/{case.competition.id}/exports/reviews.csv").get_data()
    header, table = read_csv(body, ";")
    assert len(table) == 4 * 3 * 2  # proposals x jurors x criteria
    assert {row["Jurymitglied"] for row in table} == {"J01", "J02", "J03"}
    text = body.decode("utf-8")
    for name in JUROR_NAMES:
        assert name not in text
    assert "Jurymitglied (Name)" not in table[0]
    assert _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.reviews_with_names")).all() == []
    # The same juror keeps the same pseudonym across proposals.
    by_justification = {row["Begründung"]: row["Jurymitglied"] for row in table}
    assert by_justification["Qualität auto Gutachten 2"] == by_justification["Qualität media Gutachten 2"] == "J02"


def test_reviews_export_with_names_is_audited(client, db):
    case = decision_case()
    login(client, case.admin.email)
    body = get(client, f"/admin/competitions/{case.competition.id}/exports/reviews.xlsx?with_names=y").get_data()
    workbook = load_workbook(io.BytesIO(body))
    rows = list(workbook["Gutachten"].iter_rows(values_only=True))
    names = {dict(zip(rows[0], row, strict=True))["Jurymitglied (Name)"] for row in rows[1:]}
    assert names == set(JUROR_NAMES)
    [event] = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.reviews_with_names")).all()
    assert event.actor_id == case.admin.id and event.object_id == case.competition.id
    assert event.after["format"] == "xlsx"


def test_ranking_export_never_has_names_even_when_asked(client, db):
    case = decision_case()
    login(client, case.admin.email)
    text = get(client, f"/admin/competitions/{case.competition.id}/exports/ranking.csv?with_names=y").get_data(
        as_text=True)
    assert all(name not in text for name in JUROR_NAMES)


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+1+2", "-3*4", "@SUM(A1)"])
def test_formula_injection_is_neutralised(client, db, payload):
    case = decision_case()
    score = _db.session.scalars(select(Score).where(Score.criterion_id == case.a.id)).first()
    score.justification = payload
    _db.session.commit()
    login(client, case.admin.email)
    _header, table = read_csv(get(client, f"/admin/competitions/{case.competition.id}/exports/reviews.csv")
                              .get_data(), ";")
    assert "'" + payload in {row["Begründung"] for row in table}
    workbook = load_workbook(io.BytesIO(get(
        client, f"/admin/competitions/{case.competition.id}/exports/reviews.xlsx").get_data()))
    cells = [c for row in workbook["Gutachten"].iter_rows() for c in row if c.value == "'" + payload]
    assert cells and all(c.data_type == "s" for c in cells)


# --- the audit file --------------------------------------------------------------------

MEMBERS = {
    "README.txt", "competition.json", "criteria.csv", "proposals.csv", "proposal_snapshots.json", "precheck.csv",
    "jury_memberships.csv", "conflicts.csv", "assignments.csv", "reviews.csv", "scores.csv", "review_history.csv",
    "consensus.csv", "consensus_scores.csv", "consensus_approvals.csv", "ranking_mean.csv", "ranking_median.csv",
    "ranking_trimmed.csv", "ranking_normalised.csv", "ranking_calibrated.csv", "ranking_consensus.csv",
    "decisions.csv", "draws.json", "audit_trail.csv", "actors.csv",
}


def audit_zip(client, case):
    response = get(client, f"/admin/competitions/{case.competition.id}/audit-file")
    assert response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.get_data()))


def rows_of(archive, name):
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))


def test_audit_file_contains_the_whole_procedure(client, db, in_request):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Platz 1.", actor=case.admin)
    _db.session.commit()
    login(client, case.admin.email)
    archive = audit_zip(client, case)
    assert set(archive.namelist()) == MEMBERS
    readme = archive.read("README.txt").decode("utf-8")
    assert "Rangliste nachrechnen" in readme and "To recompute the ranking" in readme and "METHOD.md" in readme
    competition = json.loads(archive.read("competition.json"))
    assert competition["overall_threshold_effective"] == "9" and len(competition["criteria"]) == 2
    [decision] = rows_of(archive, "decisions.csv")
    assert (decision["outcome"], decision["rationale"]) == ("awarded", "Platz 1.")
    memberships = rows_of(archive, "jury_memberships.csv")
    assert [m["juror"] for m in memberships] == ["J01", "J02", "J03", "J04"]
    [conflict] = rows_of(archive, "conflicts.csv")
    assert (conflict["juror"], conflict["proposal_id"]) == ("J04", str(case.media.id))
    actions = {row["action"] for row in rows_of(archive, "audit_trail.csv")}
    assert "decision.recorded" in actions
    assert all(name not in archive.read("scores.csv").decode() for name in JUROR_NAMES)
    events = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == "competition.audit_file_exported"))
    assert len(events.all()) == 1


def test_the_mean_ranking_can_be_recomputed_from_the_audit_file(client, db):
    """What README.txt says, in plain Python: the exported raw rows give the exported ranking."""
    case = decision_case()
    login(client, case.admin.email)
    archive = audit_zip(client, case)
    criteria = {row["criterion_id"]: row for row in rows_of(archive, "criteria.csv")}
    overall = float(json.loads(archive.read("competition.json"))["overall_threshold_effective"])
    pool = {row["proposal_id"] for row in rows_of(archive, "proposals.csv")
            if row["status"] == "submitted" and row["eligibility"] == "eligible"}
    values = defaultdict(list)
    for row in rows_of(archive, "scores.csv"):
        if row["review_status"] == "submitted" and row["proposal_id"] in pool:
            values[(row["proposal_id"], row["criterion_id"])].append(float(row["value"]))
    recomputed = {}
    for proposal_id in pool:
        means = {cid: sum(values[(proposal_id, cid)]) / len(values[(proposal_id, cid)]) for cid in criteria}
        total = sum(float(criteria[cid]["weight"]) * s for cid, s in means.items())
        passed = total >= overall - 1e-9 and all(s >= float(criteria[cid]["threshold"]) - 1e-9
                                                  for cid, s in means.items())
        recomputed[proposal_id] = (passed, total)
    order = sorted(recomputed, key=lambda pid: (not recomputed[pid][0], -round(recomputed[pid][1], 2)))

    exported = rows_of(archive, "ranking_mean.csv")
    assert [row["proposal_id"] for row in exported] == order
    for row in exported:
        assert float(row["total"]) == pytest.approx(recomputed[row["proposal_id"]][1], abs=1e-12)
        assert (row["passed"] == "true") is recomputed[row["proposal_id"]][0]


def test_localised_ranking_csv_shows_words_and_figures_as_the_pages_do(client, db):
    case = decision_case()
    record_decision(case.auto, outcome="awarded", rationale="Überzeugend.", actor=case.admin)
    case.a.weight = Decimal("0.15")
    _db.session.commit()
    login(client, case.admin.email)
    header, table = read_csv(get(client, f"/admin/competitions/{case.competition.id}/exports/ranking.csv")
                             .get_data(), ";")
    assert header["# Aggregationsverfahren"] == "Mittelwert"
    assert "Gewichtung 0,15" in header[f"# Kriterium {case.a.id}"]
    awarded = next(row for row in table if row["Netzwerkidee"] == "Autozulieferer West")
    assert awarded["Entscheidung"] == "Zuschlag"
    assert awarded["Schwellenwerte erreicht"] == "Ja"
    # 0.15 · 13/3 + 1 · 4: the page shows two decimals, so does the export (not 4,65000000000000 …)
    assert all(re.fullmatch(r"\d+,\d\d", row["Gesamtwert"]) for row in table)
    assert all(re.fullmatch(r"\d+,\d\d", row[f"Punktzahl: {case.a.name('de')}"]) for row in table)
    _, reviews = read_csv(get(client, f"/admin/competitions/{case.competition.id}/exports/reviews.csv")
                          .get_data(), ";")
    assert {row["Gewichtung"] for row in reviews} == {"0,15", "1"}
