"""The completeness rules on plain data: what is missing, where to jump, what the applicant reads."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from app.proposals.completeness import SECTIONS, complete_sections, missing_parts


@pytest.fixture(autouse=True)
def english():
    with force_locale("en"):
        yield


def partner(**changes):
    return SimpleNamespace(**{"organisation": "Zulieferer GmbH", "town": "Leipzig", **changes})


def measure(**changes):
    return SimpleNamespace(**{"title": "Workshops", "cost_cents": 100_000, **changes})


def kpi(**changes):
    return SimpleNamespace(**{"indicator": "Partner companies", "unit": "companies", "baseline": Decimal("3"),
                              "target": Decimal("12"), **changes})


def proposal(**changes):
    values = {
        "network_name": "Netzwerk West", "sector": "Medien", "initiative_kind": "companies",
        "lead_name": "Träger GmbH", "lead_town": "Leipzig", "lead_contact_name": "Max Muster",
        "lead_contact_email": "max@traeger.example", "cluster_analysis": "Viele kleine Firmen.",
        "objectives": "Gemeinsam wachsen.", "duration_months": 24, "requested_funding_cents": 24_000_000,
        "partners": [partner()], "measures": [measure()], "kpis": [kpi()],
    }
    values.update(changes)
    return SimpleNamespace(**values)


def messages(gaps):
    return [str(gap.message) for gap in gaps]


def test_complete_proposal_has_no_gaps_and_every_section_is_complete():
    gaps = missing_parts(proposal())
    assert gaps == []
    assert complete_sections(gaps) == dict.fromkeys(SECTIONS, True)


def test_empty_draft_lists_every_required_part_in_form_order():
    empty = SimpleNamespace(network_name="", sector="", initiative_kind="", lead_name="", lead_town="",
                            lead_contact_name="", lead_contact_email="", cluster_analysis="", objectives="",
                            duration_months=None, requested_funding_cents=None, partners=[], measures=[], kpis=[])
    gaps = missing_parts(empty)
    assert [gap.section for gap in gaps] == [
        "basics", "basics", "basics", "lead", "lead", "lead", "lead", "partners", "concept", "concept",
        "measures", "kpis", "finances", "finances"]
    assert gaps[7].anchor == "partners-0-organisation"
    assert "At least one partner company with organisation and town is required" in messages(gaps)
    sections = complete_sections(gaps)
    assert not any(sections[s] for s in SECTIONS if s != "attachments")
    assert sections["attachments"]


@pytest.mark.parametrize("field,section,anchor,message", [
    ("network_name", "basics", "network_name", "Name of the network missing"),
    ("sector", "basics", "sector", "Sector missing"),
    ("initiative_kind", "basics", "initiative_kind", "Kind of initiative missing"),
    ("lead_name", "lead", "lead_name", "Name of the lead organisation missing"),
    ("lead_town", "lead", "lead_town", "Town of the lead organisation missing"),
    ("lead_contact_name", "lead", "lead_contact_name", "Contact person of the lead organisation missing"),
    ("lead_contact_email", "lead", "lead_contact_email", "Email address of the contact person missing"),
    ("cluster_analysis", "concept", "cluster_analysis", "Analysis of the cluster potential missing"),
    ("objectives", "concept", "objectives", "Objectives missing"),
    ("duration_months", "finances", "duration_months", "Duration missing"),
    ("requested_funding_cents", "finances", "requested_funding", "Requested funding missing"),
])
def test_each_required_field_is_reported_with_its_anchor(field, section, anchor, message):
    blank = None if field in ("duration_months", "requested_funding_cents") else "   "
    gaps = missing_parts(proposal(**{field: blank}))
    assert [(g.section, g.anchor, str(g.message)) for g in gaps] == [(section, anchor, message)]


def test_zero_is_an_amount_not_a_gap():
    assert missing_parts(proposal(requested_funding_cents=0)) == []


def test_rows_are_numbered_from_one_and_point_at_the_field():
    gaps = missing_parts(proposal(partners=[partner(), partner(organisation="", town="")]))
    assert [(g.anchor, str(g.message)) for g in gaps] == [
        ("partners-1-organisation", "Partner 2: organisation missing"),
        ("partners-1-town", "Partner 2: town missing"),
    ]


def test_measure_needs_title_and_cost_and_kpi_all_four_values():
    gaps = missing_parts(proposal(measures=[measure(title="", cost_cents=None)],
                                  kpis=[kpi(indicator="", unit="", baseline=None, target=None)]))
    assert [(g.section, g.anchor) for g in gaps] == [
        ("measures", "measures-0-title"), ("measures", "measures-0-cost"),
        ("kpis", "kpis-0-indicator"), ("kpis", "kpis-0-unit"), ("kpis", "kpis-0-baseline"),
        ("kpis", "kpis-0-target"),
    ]
    assert "KPI 1: baseline missing" in messages(gaps)


def test_baseline_zero_is_a_value():
    assert missing_parts(proposal(kpis=[kpi(baseline=Decimal("0"))])) == []


def test_messages_are_translated_to_german():
    with force_locale("de"):
        gaps = missing_parts(proposal(partners=[partner(organisation="")]))
        assert str(gaps[0].message).startswith("Partner 1:")
        assert str(gaps[0].message) != "Partner 1: organisation missing"
