"""Unit tests for app.jury.conflict_detection."""

from __future__ import annotations

import pytest

from app.jury.conflict_detection import (
    NAMED_PARTNER,
    SAME_EMAIL_DOMAIN,
    SAME_ORGANISATION,
    JurorInfo,
    PartnerInfo,
    ProposalInfo,
    conflict_pairs,
    conflicts_between,
    detect_conflicts,
    email_domain,
    is_public_mail_domain,
    normalise_organisation,
    normalise_person_name,
)


def _reasons(juror: JurorInfo, proposal: ProposalInfo) -> set[str]:
    return {c.reason for c in conflicts_between(juror, proposal)}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muster GmbH", "muster gmbh"),
        ("Muster GmbH", "MUSTER mbH"),
        ("Muster GmbH", "Muster gGmbH"),
        # A GmbH & Co. KG is run by its same-named GmbH: treated as the same organisation.
        ("Muster GmbH", "muster gmbh & co. kg"),
        ("Muster GmbH", "Muster GmbH und Co KG"),
        ("Verein Grüne Stadt e.V.", "Verein Gruene Stadt eV"),
        ("Verein Grüne Stadt e. V.", "verein grüne stadt"),
        ("Startup X UG (haftungsbeschränkt)", "Startup X"),
        ("Bau AG", "bau"),
        ("Schmidt & Partner KG", "Schmidt und Partner"),
        ("Müller OHG", "Mueller GbR"),
        ("Energie-Genossenschaft Nord e.G.", "Energie Genossenschaft Nord eG"),
        ("  Institut   für  Zukunft  ", "Institut fuer Zukunft"),
    ],
)
def test_organisation_names_that_normalise_equal(a: str, b: str) -> None:
    assert normalise_organisation(a) == normalise_organisation(b) != ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Muster GmbH", "Muster Consulting GmbH"),
        ("Stadtwerke Nord", "Stadtwerke Süd"),
        ("AG Energie", "Energie"),  # a leading "AG" (Arbeitsgemeinschaft) is part of the name
    ],
)
def test_distinct_organisations_stay_distinct(a: str, b: str) -> None:
    assert normalise_organisation(a) != normalise_organisation(b)


def test_name_consisting_only_of_legal_form_is_not_emptied() -> None:
    assert normalise_organisation("AG") == "ag"
    assert normalise_organisation("  ") == ""


def test_same_organisation_detected_with_legal_form_variants() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@gmail.com", "Muster Energie GmbH")
    proposal = ProposalInfo(10, "muster energie gmbh & co. kg", ["info@muster-energie.de"])
    [conflict] = conflicts_between(juror, proposal)
    assert conflict.reason == SAME_ORGANISATION
    assert (conflict.juror_id, conflict.proposal_id) == (1, 10)
    assert "Muster Energie GmbH" in conflict.detail


def test_empty_organisations_never_match() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@gmail.com", "")
    proposal = ProposalInfo(10, "", [], [PartnerInfo("")])
    assert conflicts_between(juror, proposal) == []


def test_same_email_domain_detected() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "Eva.Beispiel@Uni-Nord.de", "Universität Nord")
    proposal = ProposalInfo(10, "Start GmbH", ["lead@start.de", "prof@uni-nord.de"])
    [conflict] = conflicts_between(juror, proposal)
    assert conflict.reason == SAME_EMAIL_DOMAIN
    assert "uni-nord.de" in conflict.detail


def test_subdomain_counts_as_same_domain_but_sibling_suffix_does_not() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@uni-nord.de")
    assert _reasons(juror, ProposalInfo(10, "X", ["a@informatik.uni-nord.de"])) == {SAME_EMAIL_DOMAIN}
    sub_juror = JurorInfo(2, "Max Muster", "max@cs.uni-nord.de")
    assert _reasons(sub_juror, ProposalInfo(11, "X", ["a@uni-nord.de"])) == {SAME_EMAIL_DOMAIN}
    # Sharing only a public suffix ("co.uk", "de") is not a shared organisation.
    uk_juror = JurorInfo(3, "Ann Smith", "ann@alpha.co.uk")
    assert conflicts_between(uk_juror, ProposalInfo(12, "X", ["b@beta.co.uk"])) == []


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "t-online.de", "yahoo.de",
     "outlook.com", "hotmail.de", "icloud.com", "posteo.de", "mailbox.org", "proton.me", "arcor.de"],
)  # fmt: skip
def test_public_mail_providers_not_flagged(domain: str) -> None:
    assert is_public_mail_domain(domain)
    juror = JurorInfo(1, "Eva Beispiel", f"eva@{domain}", "Agentur A")
    proposal = ProposalInfo(10, "Firma B", [f"someone@{domain.upper()}"],
                            [PartnerInfo("Firma C", ["Max Muster"], [f"max@{domain}"])])  # fmt: skip
    assert conflicts_between(juror, proposal) == []


def test_identical_address_is_a_conflict_even_at_public_provider() -> None:
    # The juror is the applicant's contact person: provider or not, that is the same human.
    juror = JurorInfo(1, "Eva Beispiel", "eva.beispiel@gmail.com")
    proposal = ProposalInfo(10, "Firma B", [" Eva.Beispiel@GMAIL.com "])
    [conflict] = conflicts_between(juror, proposal)
    assert conflict.reason == NAMED_PARTNER


def test_juror_organisation_among_partners() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@gmail.com", "Stadtwerke Nord GmbH")
    proposal = ProposalInfo(10, "Start GmbH", ["a@start.de"],
                            [PartnerInfo("Hochschule Süd"), PartnerInfo("Stadtwerke Nord")])  # fmt: skip
    [conflict] = conflicts_between(juror, proposal)
    assert conflict.reason == NAMED_PARTNER
    assert "Stadtwerke Nord" in conflict.detail


@pytest.mark.parametrize(
    "contact",
    ["Eva Beispiel", "Beispiel, Eva", "Dr. Eva Beispiel", "Prof. Dr.-Ing. Eva Maria Beispiel", "EVA BEISPIEL"],
)
def test_juror_named_as_partner_contact(contact: str) -> None:
    juror = JurorInfo(1, "Dr. Eva Beispiel", "eva@gmail.com", "Freiberuflich")
    proposal = ProposalInfo(10, "Start GmbH", ["a@start.de"], [PartnerInfo("Verein Z e.V.", [contact])])
    assert _reasons(juror, proposal) == {NAMED_PARTNER}


def test_umlaut_spelling_variants_of_names_match() -> None:
    assert normalise_person_name("Jürgen Müller") == normalise_person_name("Juergen Mueller")
    assert normalise_person_name("José Núñez") == normalise_person_name("Jose Nunez")


@pytest.mark.parametrize("contact", ["Beispiel", "Eva Muster", "Adam Beispiel", ""])
def test_different_or_partial_names_do_not_match(contact: str) -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@gmail.com", "Freiberuflich")
    proposal = ProposalInfo(10, "Start GmbH", [], [PartnerInfo("Verein Z", [contact])])
    assert conflicts_between(juror, proposal) == []


def test_partner_contact_email_domain_flags_same_domain() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@klimabuero.de", "Klimabüro")
    proposal = ProposalInfo(10, "Start GmbH", ["a@start.de"],
                            [PartnerInfo("Klimabuero Nord", ["Max Muster"], ["max@klimabuero.de"])])  # fmt: skip
    [conflict] = conflicts_between(juror, proposal)
    assert conflict.reason == SAME_EMAIL_DOMAIN
    assert "Klimabuero Nord" in conflict.detail


def test_multiple_reasons_reported_once_each_and_sorted() -> None:
    jurors = [
        JurorInfo("j2", "Max Muster", "max@muster.de", "Muster GmbH"),
        JurorInfo("j1", "Eva Beispiel", "eva@gmail.com", "Anders AG"),
    ]
    proposals = [
        ProposalInfo("p2", "Anders", ["x@anders.de"]),
        ProposalInfo("p1", "Muster GmbH", ["a@muster.de", "b@muster.de"],
                     [PartnerInfo("Verein", ["Max Muster"], ["max@muster.de"])]),
    ]  # fmt: skip
    found = detect_conflicts(jurors, proposals)
    assert [(c.juror_id, c.proposal_id, c.reason) for c in found] == [
        ("j1", "p2", SAME_ORGANISATION),
        ("j2", "p1", NAMED_PARTNER),
        ("j2", "p1", SAME_EMAIL_DOMAIN),
        ("j2", "p1", SAME_ORGANISATION),
    ]
    # The two matching addresses are merged into one finding with both in the detail.
    same_domain = next(c for c in found if c.reason == SAME_EMAIL_DOMAIN)
    assert "a@muster.de" in same_domain.detail and "b@muster.de" in same_domain.detail
    assert conflict_pairs(found) == {("j1", "p2"), ("j2", "p1")}
    assert detect_conflicts(list(reversed(jurors)), list(reversed(proposals))) == found


def test_email_domain_parsing() -> None:
    assert email_domain("A.B@Example.ORG") == "example.org"
    assert email_domain("<x@sub.example.org.>") == "sub.example.org"
    assert email_domain("no-at-sign") is None
    assert email_domain("x@") is None
    assert not is_public_mail_domain("uni-nord.de")


def test_no_conflict_for_unrelated_pair() -> None:
    juror = JurorInfo(1, "Eva Beispiel", "eva@uni-nord.de", "Universität Nord")
    proposal = ProposalInfo(10, "Start GmbH", ["a@start.de"],
                            [PartnerInfo("Hochschule Süd", ["Max Muster"], ["max@hs-sued.de"])])  # fmt: skip
    assert conflicts_between(juror, proposal) == []
