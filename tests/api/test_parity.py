"""A token sees exactly what its owner sees in the browser: admin, operator, conflicted juror."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from app.contracts.models import ProgressReport
from app.core.models import AuditEvent
from app.extensions import db
from tests.builders.api import bearer, issue_token
from tests.builders.contracts import worked_example_contract
from tests.builders.ranking import hand_computed
from tests.factories import AdminFactory, UserFactory
from tests.web import login


def _numbers_on_page(html: str, numbers: list[str]) -> set[str]:
    return {n for n in numbers if re.search(re.escape(n), html)}


def test_operator_token_sees_exactly_the_own_contracts_like_the_operator_pages(client):
    admin = AdminFactory()
    operator, other = UserFactory(), UserFactory()
    own, _m = worked_example_contract(admin, applicant=operator, number="NW-OWN-1")
    foreign, _m2 = worked_example_contract(admin, applicant=other, number="NW-FOREIGN-1")
    secret = issue_token(operator)

    listed = client.get("/api/v1/contracts", headers=bearer(secret)).json["items"]
    login(client, operator.email)
    page = client.get("/my/contracts").get_data(as_text=True)
    assert [c["number"] for c in listed] == ["NW-OWN-1"]
    assert _numbers_on_page(page, ["NW-OWN-1", "NW-FOREIGN-1"]) == {"NW-OWN-1"}

    assert client.get(f"/my/contracts/{foreign.id}").status_code == 404
    assert client.get(f"/api/v1/contracts/{foreign.id}", headers=bearer(secret)).status_code == 404
    assert client.get(f"/api/v1/contracts/{own.id}", headers=bearer(secret)).json["amount_cents"] == own.amount_cents


def test_admin_token_sees_every_contract_with_its_funding_shares(client):
    admin = AdminFactory()
    worked_example_contract(admin, number="NW-A")
    worked_example_contract(admin, number="NW-B")
    secret = issue_token(admin)
    items = client.get("/api/v1/contracts", headers=bearer(secret)).json["items"]
    assert [c["number"] for c in items] == ["NW-A", "NW-B"]
    shares = {s["source"]: Decimal(s["share"]) for s in items[0]["funding_shares"]}
    assert shares and sum(shares.values()) == 100


def test_user_without_contracts_sees_none_and_no_admin_lists(client):
    admin = AdminFactory()
    worked_example_contract(admin)
    secret = issue_token(UserFactory())
    assert client.get("/api/v1/contracts", headers=bearer(secret)).json["items"] == []
    assert client.get("/api/v1/competitions", headers=bearer(secret)).status_code == 403


def test_conflicted_juror_gets_the_ranking_of_the_ranking_page(client):
    hc = hand_computed()
    secret = issue_token(hc.conflicted)
    ranking = client.get(f"/api/v1/competitions/{hc.competition.id}/ranking", headers=bearer(secret)).json

    login(client, hc.conflicted.email)
    page = client.get(f"/admin/competitions/{hc.competition.id}/ranking").get_data(as_text=True)
    shown_on_page = [p.id for p in (hc.p1, hc.p2, hc.p3) if p.network_name in page]

    assert ranking["filtered"] is True
    assert [r["proposal_id"] for r in ranking["rows"]] == shown_on_page == [hc.p1.id, hc.p3.id]
    assert [r["rank"] for r in ranking["rows"]] == [1, 2]
    # Figures computed across all proposals are withheld, as on the page.
    assert all(r["rank_low"] is None and r["p_top_k"] is None and not r["above_funding_line"]
               for r in ranking["rows"])
    assert "normalised" not in ranking["methods"] and "calibrated" not in ranking["methods"]
    calibrated = client.get(f"/api/v1/competitions/{hc.competition.id}/ranking?method=calibrated",
                            headers=bearer(secret)).json
    assert calibrated["method"] == "mean"


def test_admin_token_gets_the_full_ranking_and_a_juror_before_the_decision_phase_none(client):
    hc = hand_computed()
    admin_rows = client.get(f"/api/v1/competitions/{hc.competition.id}/ranking",
                            headers=bearer(issue_token(hc.admin))).json["rows"]
    assert {r["proposal_id"] for r in admin_rows} == {hc.p1.id, hc.p2.id, hc.p3.id}
    assert all(r["rank_low"] is not None for r in admin_rows)
    hc.competition.phase = "review"
    db.session.commit()
    response = client.get(f"/api/v1/competitions/{hc.competition.id}/ranking",
                          headers=bearer(issue_token(hc.jurors[0])))
    assert response.status_code == 403


def test_operator_reports_a_kpi_value_through_the_api(client):
    admin = AdminFactory()
    operator = UserFactory()
    contract, milestone = worked_example_contract(admin, applicant=operator)
    secret = issue_token(operator, scope="read_write")
    url = f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}/reports"

    response = client.post(url, json={"achieved": "17.5", "evidence_text": "Mitgliederliste im CRM"},
                           headers=bearer(secret))
    assert response.status_code == 201
    assert Decimal(response.json["achieved"]) == Decimal("17.5") and response.json["status"] == "submitted"
    report = db.session.scalar(select(ProgressReport))
    assert report.submitted_by_id == operator.id and report.evidence_text == "Mitgliederliste im CRM"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.report_submitted"))
    assert event.actor_id == operator.id

    again = client.post(url, json={"achieved": "18", "evidence_text": "Noch einmal"}, headers=bearer(secret, "de"))
    assert again.status_code == 409
    assert again.json["detail"] == "Zu diesem Meilenstein wartet bereits ein Bericht auf Prüfung."
    assert len(list(db.session.scalars(select(ProgressReport)))) == 1


def test_only_the_operator_may_report_and_bad_values_change_nothing(client):
    admin = AdminFactory()
    operator = UserFactory()
    contract, milestone = worked_example_contract(admin, applicant=operator)
    url = f"/api/v1/contracts/{contract.id}/milestones/{milestone.id}/reports"
    body = {"achieved": "12", "evidence_text": "Liste"}
    assert client.post(url, json=body, headers=bearer(issue_token(admin, scope="read_write"))).status_code == 403
    stranger = issue_token(UserFactory(), scope="read_write")
    assert client.post(url, json=body, headers=bearer(stranger)).status_code == 404
    own = issue_token(operator, scope="read_write")
    negative = client.post(url, json={"achieved": "-1", "evidence_text": "x"}, headers=bearer(own, "en"))
    assert negative.status_code == 422 and "achieved" in negative.json["errors"]["json"]
    assert db.session.scalar(select(ProgressReport)) is None
