"""Contracts: recording from an award, defaults, shares and amounts that must add up, signing,
amendments, and who may see which contract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.competitions.phases import unmet_requirements
from app.contracts import services
from app.contracts.models import Amendment, Contract, ContractFundingShare, Milestone
from app.core.errors import DomainError
from app.core.models import AuditEvent, OutboxMessage
from tests.builders.contracts import (
    AWARD_DATE,
    accepted_value,
    awarded_decision,
    milestone_terms,
    worked_example_contract,
)
from tests.factories import AdminFactory, UserFactory
from tests.web import post_form

# --- recording a contract -----------------------------------------------------------------------


def test_admin_records_contract_with_defaults_from_award_and_competition(client, db, login_as):
    login_as(AdminFactory())
    decision = awarded_decision(lead_name="Kunststoffzentrum Leipzig gGmbH")
    from app.proposals.models import ProposalKpi

    db.session.add(ProposalKpi(proposal_id=decision.proposal_id, position=0, indicator="Mitgliedsunternehmen",
                               unit="Unternehmen", baseline=Decimal(5), target=Decimal(25)))
    db.session.commit()
    url = f"/admin/decisions/{decision.id}/contract"

    form = client.get(url).get_data(as_text=True)
    assert 'value="2002-11-15"' in form  # start: the award date
    assert 'value="2004-11-15"' in form  # end: award date + 24 months
    assert "240.000,00" in form  # amount: the requested funding

    response = post_form(client, url, {"number": "NW-2002-07", "start_date": "2002-11-15", "end_date": "2004-11-15",
                                       "amount": "240.000,00", "fixed": "40.000,00", "take_over_kpis": "y"})
    assert response.status_code == 302
    contract = db.session.scalars(select(Contract)).one()
    assert (contract.number, contract.award_date, contract.amount_cents, contract.fixed_cents) == (
        "NW-2002-07", AWARD_DATE, 24_000_000, 4_000_000)
    assert contract.proposal_id == decision.proposal_id and contract.status == "preliminary_planning"
    assert [(o.name, o.role) for o in contract.operators] == [("Kunststoffzentrum Leipzig gGmbH", "Netzwerkträger")]
    assert [(s.source, s.share) for s in contract.funding_shares] == [("EFRE", Decimal(75)), ("Stadt", Decimal(25))]
    assert [s.label for s in contract.approval_steps] == ["Vorzeitiger Vorhabensbeginn genehmigt", "Antrag eingereicht",
                                                          "Beschluss Ausschuss", "Projektentscheidung"]
    assert [(m.title, m.baseline, m.target, m.tranche_cents) for m in contract.milestones] == [
        ("Mitgliedsunternehmen", Decimal(5), Decimal(25), 0)]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contract.created")).object_id == contract.id
    # The portfolio no longer offers to record it; the form now leads to the contract.
    assert client.get(url).headers["Location"].endswith(f"/admin/contracts/{contract.id}")


def test_contracts_only_for_awarded_proposals_and_only_once(client, db, login_as, in_request):
    admin = login_as(AdminFactory())
    decision = awarded_decision()
    decision.outcome, decision.award_date = "reserve", None
    db.session.commit()
    assert client.get(f"/admin/decisions/{decision.id}/contract").status_code == 404
    with pytest.raises(DomainError):
        services.create_contract(decision, services.Terms("X-1", AWARD_DATE, date(2004, 11, 15)),
                                 amount_cents=100, fixed_cents=0, actor=admin)
    db.session.rollback()
    awarded = awarded_decision()
    services.create_contract(awarded, services.Terms("X-2", AWARD_DATE, date(2004, 11, 15)), amount_cents=100,
                             fixed_cents=0, actor=admin)
    with pytest.raises(DomainError, match="bereits einen Vertrag"):
        services.create_contract(awarded, services.Terms("X-3", AWARD_DATE, date(2004, 11, 15)), amount_cents=100,
                                 fixed_cents=0, actor=admin)
    db.session.rollback()


def test_contract_number_must_be_unique(client, db, login_as):
    admin = login_as(AdminFactory())
    worked_example_contract(admin, number="NW-2002-01")
    decision = awarded_decision()
    response = post_form(client, f"/admin/decisions/{decision.id}/contract",
                         {"number": "nw-2002-01", "start_date": "2002-11-15", "end_date": "2004-11-15",
                          "amount": "100.000,00", "fixed": "0"})
    assert response.status_code == 200
    assert "Die Vertragsnummer nw-2002-01 ist bereits vergeben." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Contract.id))) == 1


# --- shares and amounts -------------------------------------------------------------------------


def test_shares_not_summing_to_100_are_refused_and_nothing_is_saved(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    url = f"/admin/contracts/{contract.id}/shares"
    response = post_form(client, url, {"rows-0-source": "EFRE", "rows-0-share": "75",
                                       "rows-1-source": "Stadt", "rows-1-share": "15"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Die Anteile ergeben zusammen 90\xa0%; sie müssen genau 100 % ergeben." in body
    assert 'value="15"' in body  # the input is kept
    assert [(s.source, s.share) for s in db.session.scalars(select(ContractFundingShare)
                                                             .order_by(ContractFundingShare.position))] == [
        ("EFRE", Decimal(75)), ("Stadt", Decimal(25))]


def test_shares_can_be_changed_to_three_sources_summing_to_100(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    response = post_form(client, f"/admin/contracts/{contract.id}/shares",
                         {"rows-0-source": "EFRE", "rows-0-share": "50", "rows-1-source": "Stadt",
                          "rows-1-share": "33,5", "rows-2-source": "Land", "rows-2-share": "16,5"})
    assert response.status_code == 302
    db.session.expire_all()
    assert contract.shares_map() == {"EFRE": Decimal(50), "Stadt": Decimal("33.5"), "Land": Decimal("16.5")}


@pytest.mark.parametrize("share", ["abc", "12,5x", "-5"])
def test_non_numeric_or_negative_share_is_refused(client, db, login_as, share):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    response = post_form(client, f"/admin/contracts/{contract.id}/shares",
                         {"rows-0-source": "EFRE", "rows-0-share": share})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert contract.shares_map() == {"EFRE": Decimal(75), "Stadt": Decimal(25)}


def test_signing_is_refused_while_the_tranches_do_not_add_up(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, members = worked_example_contract(admin, sign=False)
    with client.application.test_request_context():
        services.update_milestone(members, milestone_terms("Mitgliedsunternehmen", 5, 25, 4_000_000), admin)
    db.session.commit()
    page = client.get(f"/admin/contracts/{contract.id}").get_data(as_text=True)
    assert "20.000,00\xa0€ sind noch nicht zugeordnet" in page
    response = post_form(client, f"/admin/contracts/{contract.id}/sign", {"signed_on": "2002-12-02"},
                         token_from=f"/admin/contracts/{contract.id}")
    assert response.status_code == 302
    assert "ergeben zusammen 220.000,00\xa0€" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert not contract.is_signed


def test_amounts_form_refuses_a_mismatch_and_saves_a_match(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, members = worked_example_contract(admin, sign=False)
    ids = [m.id for m in contract.milestones]
    url = f"/admin/contracts/{contract.id}/amounts"
    data = {"amount": "240.000,00", "fixed": "50.000,00"}
    for index, (milestone_id, tranche) in enumerate(zip(ids, ["60.000,00", "80.000,00", "60.000,00"], strict=True)):
        data[f"tranches-{index}-milestone_id"] = str(milestone_id)
        data[f"tranches-{index}-tranche"] = tranche
    refused = post_form(client, url, data)
    assert refused.status_code == 200
    expected = "überschreiten damit die Vertragssumme von 240.000,00\xa0€ um 10.000,00\xa0€"
    assert expected in refused.get_data(as_text=True)
    db.session.expire_all()
    assert contract.fixed_cents == 4_000_000
    data["amount"] = "250.000,00"
    assert post_form(client, url, data).status_code == 302
    db.session.expire_all()
    assert (contract.amount_cents, contract.fixed_cents) == (25_000_000, 5_000_000)


def test_milestone_target_equal_to_baseline_and_due_date_outside_period_are_refused(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    url = f"/admin/contracts/{contract.id}/milestones/new"
    base = {"title": "Veranstaltungen", "unit": "Veranstaltungen", "baseline": "3", "target": "3",
            "due_date": "2003-06-01", "weight": "1", "tranche": "0", "rule": "pro_rata", "minimum_level": "50",
            "cap": "100"}
    assert "Der Zielwert muss sich vom Ausgangswert unterscheiden" in post_form(client, url, base).get_data(
        as_text=True)
    outside = {**base, "target": "12", "due_date": "2006-01-01"}
    assert "innerhalb der Laufzeit" in post_form(client, url, outside).get_data(as_text=True)
    assert post_form(client, url, {**base, "target": "12"}).status_code == 302
    assert db.session.scalar(select(func.count(Milestone.id)).where(Milestone.title == "Veranstaltungen")) == 1


def test_a_milestone_weight_beyond_its_column_is_refused_by_the_form_and_by_the_service(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin, sign=False)
    url = f"/admin/contracts/{contract.id}/milestones/new"
    data = {"title": "Veranstaltungen", "unit": "Veranstaltungen", "baseline": "3", "target": "12",
            "due_date": "2003-06-01", "weight": "1000", "tranche": "0", "rule": "pro_rata", "minimum_level": "50",
            "cap": "100"}
    assert "Bitte geben Sie höchstens 999,999 ein." in post_form(client, url, data).get_data(as_text=True)
    terms = services.MilestoneTerms(title="Veranstaltungen", unit="Veranstaltungen", baseline=Decimal(3),
                                    target=Decimal(12), due_date=date(2003, 6, 1), weight=Decimal(1000),
                                    tranche_cents=0)
    with pytest.raises(DomainError, match="höchstens 999,999"):  # also for callers other than the form
        services.add_milestone(contract, terms, admin)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Milestone.id)).where(Milestone.title == "Veranstaltungen")) == 0


# --- amendments ---------------------------------------------------------------------------------


def test_changes_to_a_signed_contract_need_a_reason_and_are_kept_as_amendments(client, db, login_as):
    admin = login_as(AdminFactory())
    contract, _ = worked_example_contract(admin)
    url = f"/admin/contracts/{contract.id}/terms"
    data = {"number": contract.number, "start_date": "2002-11-15", "end_date": "2004-12-31"}
    refused = post_form(client, url, data)
    assert "bitte geben Sie die Begründung an" in refused.get_data(as_text=True).replace("Bitte", "bitte")
    assert db.session.scalar(select(func.count(Amendment.id))) == 0

    assert post_form(client, url, {**data, "reason": "Verlängerung wegen Ausschusstermin"}).status_code == 302
    amendment = db.session.scalars(select(Amendment)).one()
    assert amendment.reason == "Verlängerung wegen Ausschusstermin"
    assert amendment.created_by_id == admin.id
    assert amendment.before["end_date"] == "2004-11-15" and amendment.after["end_date"] == "2004-12-31"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contract.amended")).one()
    assert event.after["reason"] == "Verlängerung wegen Ausschusstermin"
    assert "Verlängerung wegen Ausschusstermin" in client.get(f"/admin/contracts/{contract.id}").get_data(as_text=True)


def test_amendment_must_keep_the_contract_adding_up(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    with pytest.raises(DomainError, match="überschreiten"):
        services.update_milestone(members, milestone_terms("Mitgliedsunternehmen", 5, 25, 7_000_000), admin,
                                  reason="mehr Geld")
    db.session.rollback()
    added = services.add_milestone(contract, milestone_terms("Demonstrationszentrum", 0, 1, 0, rule="binary"),
                                   admin, reason="Zusatzleistung vereinbart")
    db.session.commit()
    assert added.id and db.session.scalar(select(func.count(Amendment.id))) == 1


def test_paid_milestone_cannot_change(db, in_request):
    admin = AdminFactory()
    contract, members = worked_example_contract(admin)
    accepted_value(members, 20, admin)
    from app.contracts import release

    release.release_milestone_payment(contract.id, members.id, expected_cents=None, actor=admin)
    db.session.commit()
    with pytest.raises(DomainError, match="ausgezahlt"):
        services.update_milestone(members, milestone_terms("Mitgliedsunternehmen", 0, 25, 6_000_000), admin,
                                  reason="Basis korrigiert")
    db.session.rollback()
    with pytest.raises(DomainError, match="bereits 45.000,00"):
        services.change_amounts(contract, amount_cents=4_400_000, fixed_cents=0,
                                tranches={m.id: m.tranche_cents for m in contract.milestones}, actor=admin,
                                reason="Kürzung")
    db.session.rollback()


def test_closing_the_competition_needs_completed_contracts(db, in_request):
    admin = AdminFactory()
    contract, _ = worked_example_contract(admin)
    problems = [str(p) for p in unmet_requirements(contract.competition, "closed")]
    assert any(contract.number in p for p in problems)
    services.set_status(contract, "completed", admin)
    db.session.commit()
    assert not [p for p in unmet_requirements(contract.competition, "closed") if contract.number in str(p)]


def test_signing_mails_the_operator(db, in_request):
    admin = AdminFactory()
    contract, _ = worked_example_contract(admin)
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "contract_signed")).one()
    assert mail.recipient == contract.proposal.applicant.email
    assert f"/my/contracts/{contract.id}" in mail.body


# --- who sees what ------------------------------------------------------------------------------


ADMIN_PAGES = [
    "/admin/contracts", "/admin/contracts/{c}", "/admin/contracts/{c}/terms", "/admin/contracts/{c}/amounts",
    "/admin/contracts/{c}/shares", "/admin/contracts/{c}/operators", "/admin/contracts/{c}/approval-steps",
    "/admin/contracts/{c}/team", "/admin/contracts/{c}/milestones/new", "/admin/contracts/{c}/milestones/{m}",
    "/admin/contracts/{c}/milestones/{m}/release", "/admin/contracts/{c}/fixed-tranche/release",
    "/admin/contracts/export/contracts.csv",
]
OPERATOR_PAGES = ["/my/contracts/{c}", "/my/contracts/{c}/milestones/{m}/report"]


@pytest.fixture
def setting(db, app):
    """A signed contract with its operator, another operator with a contract, a plain applicant, an admin."""
    admin = AdminFactory()
    with app.test_request_context():
        contract, members = worked_example_contract(admin)
        other_contract, _ = worked_example_contract(admin)
    return {"admin": admin, "contract": contract, "milestone": members, "operator": contract.proposal.applicant,
            "other_operator": other_contract.proposal.applicant, "applicant": UserFactory()}


@pytest.mark.parametrize("page", ADMIN_PAGES + OPERATOR_PAGES)
def test_anonymous_visitors_are_sent_to_login(client, setting, page):
    response = client.get(page.format(c=setting["contract"].id, m=setting["milestone"].id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["operator", "applicant"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_pages_are_forbidden_for_others(client, login_as, setting, who, page):
    login_as(setting[who])
    assert client.get(page.format(c=setting["contract"].id, m=setting["milestone"].id)).status_code == 403


@pytest.mark.parametrize("who", ["other_operator", "applicant", "admin"])
@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_another_operators_contract_is_not_found(client, login_as, setting, who, page):
    login_as(setting[who])
    assert client.get(page.format(c=setting["contract"].id, m=setting["milestone"].id)).status_code == 404


@pytest.mark.parametrize("page", OPERATOR_PAGES)
def test_operator_sees_own_contract(client, login_as, setting, page):
    login_as(setting["operator"])
    assert client.get(page.format(c=setting["contract"].id, m=setting["milestone"].id)).status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_sees_every_admin_page(client, login_as, setting, page):
    login_as(setting["admin"])
    assert client.get(page.format(c=setting["contract"].id, m=setting["milestone"].id)).status_code == 200


def test_missing_contract_and_foreign_milestone_are_404_for_admin(client, login_as, setting, app):
    login_as(setting["admin"])
    assert client.get("/admin/contracts/999999").status_code == 404
    with app.test_request_context():
        third, third_milestone = worked_example_contract(setting["admin"])
    foreign = f"/admin/contracts/{setting['contract'].id}/milestones/{third_milestone.id}/release"
    assert client.get(foreign).status_code == 404


def test_operator_list_and_navigation_show_only_own_contracts(client, login_as, setting):
    login_as(setting["operator"])
    body = client.get("/my/contracts").get_data(as_text=True)
    assert setting["contract"].number in body
    other = db_contract_of(setting["other_operator"])
    assert other.number not in body
    assert "Meine Verträge" in body


def db_contract_of(user) -> Contract:
    from app.extensions import db
    from app.proposals.models import Proposal

    return db.session.scalars(select(Contract).join(Proposal).where(Proposal.applicant_id == user.id)).one()


def test_applicants_without_contract_get_no_operator_navigation(client, login_as, setting):
    login_as(setting["applicant"])
    assert "Meine Verträge" not in client.get("/").get_data(as_text=True)
    assert "Sie sind noch nicht Träger eines Netzwerks mit Vertrag." in client.get("/my/contracts").get_data(
        as_text=True)
