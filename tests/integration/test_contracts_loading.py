"""load_contract fetches a contract's children in one statement: the same rows, in the same order, as the
relationships would load one by one, and nothing left to load lazily on the contract page."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import event, select

from app.contracts import services
from app.contracts.models import Contract
from app.contracts.queries import load_contract
from app.demo import people
from app.demo.contracts import create_demo_contracts
from tests.builders.contracts import awarded_decision, in_request
from tests.factories import AdminFactory, CompetitionFactory

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _shape(contract: Contract) -> dict:
    """Every child the contract page shows, as ids in their order."""
    return {
        "operators": [o.id for o in contract.operators],
        "shares": [s.id for s in contract.funding_shares],
        "steps": [s.id for s in contract.approval_steps],
        "team": [m.id for m in contract.team_members],
        "documents": [d.id for d in contract.documents],
        "milestones": [(m.id, [(r.id, [f.id for f in r.files]) for r in m.reports],
                        [p.id for p in m.payments]) for m in contract.milestones],
        "payments": [(p.id, [part.id for part in p.parts]) for p in contract.payments],
        "amendments": [(a.id, a.created_by.id if a.created_by else None) for a in contract.amendments],
    }


def _rich_contracts(db) -> list[int]:
    """The demo contracts (reports, payments with parts), one with an amendment and a document."""
    admin = AdminFactory(email=people.ADMIN[0])
    competition = CompetitionFactory(phase="decision")
    award = date.today() - timedelta(days=30)
    for short in ("NAZ", "VPE", "EUT"):
        awarded_decision(competition=competition, short_name=short, award_date=award, requested_cents=15_000_000)
    with in_request():
        create_demo_contracts()
        db.session.commit()
        contract = db.session.scalars(select(Contract).order_by(Contract.id)).first()
        services.set_operators(contract, [("Träger GmbH", "Betreiber"), ("Verein e. V.", "")], admin,
                               reason="Zweiter Träger kommt hinzu.")
        services.add_document(contract, "Vertrag.pdf", io.BytesIO(PDF), admin)
        db.session.commit()
    return list(db.session.scalars(select(Contract.id).order_by(Contract.id)))


def test_load_contract_matches_the_relationships_in_two_statements(db):
    contract_ids = _rich_contracts(db)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    for contract_id in contract_ids:
        db.session.expunge_all()
        expected = _shape(db.session.get(Contract, contract_id))  # loaded relationship by relationship
        db.session.expunge_all()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            contract = load_contract(contract_id)
            loaded = len(statements)
            shape = _shape(contract)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert loaded == 2
        assert len(statements) == 2, statements[2:]  # nothing left to load lazily
        assert shape == expected
        statements.clear()
    assert any(_shape(load_contract(i))["amendments"] for i in contract_ids)
    assert any(_shape(load_contract(i))["documents"] for i in contract_ids)


def test_load_contract_keeps_changes_made_earlier_in_the_session(db):
    contract_id = _rich_contracts(db)[0]
    contract = db.session.get(Contract, contract_id)
    with db.session.no_autoflush:  # the removal is not in the database yet when the children are read
        removed = contract.operators.pop()
        assert load_contract(contract_id) is contract
    assert removed not in contract.operators  # the unsaved change is not overwritten by the fresh rows


def test_load_contract_of_an_unknown_id_is_none(db):
    assert load_contract(999_999) is None
