"""Portfolio across all contracts (constant statement count), exports, and the contract page's charts."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager

from openpyxl import load_workbook
from sqlalchemy import event

from app.contracts import release
from app.core import cache
from tests.builders.contracts import (
    accepted_value,
    awarded_decision,
    in_request,
    worked_example_contract,
)
from tests.factories import AdminFactory
from tests.web import post_form


@contextmanager
def counted_statements(engine):
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _paid_contract(admin):
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)
    with in_request():
        release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
        release.release_fixed_payment(contract.id, expected_cents=None, actor=admin)
    from app.extensions import db

    db.session.commit()
    return contract


def test_portfolio_totals_by_source(client, db, login_as):
    admin = login_as(AdminFactory())
    _paid_contract(admin)
    worked_example_contract(admin)
    awarded_decision(network_name="Netzwerk Medienwirtschaft")
    body = client.get("/admin/contracts").get_data(as_text=True)
    # Committed 480,000.00 (2 × 240,000.00): ERDF 360,000.00, city 120,000.00.
    # Paid 85,000.00 (45,000.00 + 40,000.00 fixed): ERDF 63,750.00, city 21,250.00.
    for text in ("480.000,00", "360.000,00", "120.000,00", "85.000,00", "63.750,00", "21.250,00", "395.000,00"):
        assert text in body, text
    assert "Netzwerk Medienwirtschaft" in body  # awarded, no contract yet
    assert "Vertrag anlegen" in body


def test_portfolio_statement_count_does_not_grow_with_contracts(client, db, login_as, app):
    admin = login_as(AdminFactory())
    _paid_contract(admin)
    worked_example_contract(admin)
    client.get("/admin/contracts")  # warm up translations and templates
    cache.clear()  # both counts are of a body computed anew, not of one kept in the cache
    with counted_statements(db.engine) as few:
        assert client.get("/admin/contracts").status_code == 200
    for _ in range(4):
        _paid_contract(admin)
        awarded_decision()
    cache.clear()
    with counted_statements(db.engine) as many:
        body = client.get("/admin/contracts").get_data(as_text=True)
    assert body.count("/admin/contracts/") >= 6
    assert len(many) == len(few), many


def test_contract_page_statement_count_is_bounded(client, db, login_as):
    admin = login_as(AdminFactory())
    contract = _paid_contract(admin)
    with counted_statements(db.engine) as statements:
        assert client.get(f"/admin/contracts/{contract.id}").status_code == 200
    assert len(statements) <= 25, statements


def test_contract_page_draws_accessible_charts_with_data_tables(client, db, login_as):
    admin = login_as(AdminFactory())
    contract = _paid_contract(admin)
    body = client.get(f"/admin/contracts/{contract.id}").get_data(as_text=True)
    assert body.count('<svg role="img"') == 3
    for chart in ("timeline", "kpi", "payments"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in body
        assert f'<title id="{chart}-title">' in body and f'<desc id="{chart}-desc">' in body
    assert "Zeitplan als Tabelle" in body and "Kennzahlen als Tabelle" in body
    assert "Kumulierte Auszahlungen als Tabelle" in body
    assert "75,0\xa0%" in body  # attainment of the member companies KPI
    assert "<script" not in body.split("</main>")[0].split("<main")[1]


# --- exports ------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_exports_as_csv_and_xlsx(client, db, login_as):
    admin = login_as(AdminFactory())
    contract = _paid_contract(admin)
    for dataset in ("contracts", "milestones", "reports", "payments"):
        csv_response = client.get(f"/admin/contracts/export/{dataset}.csv")
        assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
        assert f"{dataset}-" in csv_response.headers["Content-Disposition"]
        rows = _csv_rows(csv_response)
        assert len(rows) >= 2
        xlsx = client.get(f"/admin/contracts/export/{dataset}.xlsx")
        sheet = load_workbook(io.BytesIO(xlsx.data)).active
        assert sheet.max_row == len(rows)
    payments = _csv_rows(client.get("/admin/contracts/export/payments.csv"))
    assert payments[0][7] == "Finanzierungsquelle"
    parts = {(row[3], row[7]): row[9] for row in payments[1:]}
    assert parts[("Meilenstein", "EFRE")] == "33750,00" and parts[("Meilenstein", "Stadt")] == "11250,00"
    assert parts[("feste Tranche", "EFRE")] == "30000,00"
    contracts = _csv_rows(client.get("/admin/contracts/export/contracts.csv"))
    assert contracts[1][0] == contract.number and contracts[1][9] == "240000,00"


def test_exports_neutralise_formulas(client, db, login_as):
    admin = login_as(AdminFactory())
    decision = awarded_decision(network_name='=HYPERLINK("http://evil.example","klick")')
    contract, _ = worked_example_contract(admin)
    contract.proposal.network_name = "@SUM(1+1)"
    db.session.commit()
    rows = _csv_rows(client.get("/admin/contracts/export/contracts.csv"))
    assert rows[1][1] == "'@SUM(1+1)"
    workbook = load_workbook(io.BytesIO(client.get("/admin/contracts/export/contracts.xlsx").data))
    cell = workbook.active["B2"]
    assert cell.value == "'@SUM(1+1)" and cell.data_type == "s"
    assert decision.id  # the award without contract is not exported


def test_exports_in_english_use_commas_and_points(client, db, login_as):
    admin = login_as(AdminFactory())
    _paid_contract(admin)
    post_form(client, "/language", {"locale": "en", "next": "/"}, token_from="/")
    response = client.get("/admin/contracts/export/payments.csv")
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Payment number,Contract number")
    assert "33750.00" in text
