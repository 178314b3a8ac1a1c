"""Conflict reasons read as sentences in the reader's language on the admin pages and in the protocol."""

from __future__ import annotations

import html
import importlib.util
import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from app.jury.conflict_reasons import finding_sentence
from app.jury.conflicts import detect_and_store_conflicts
from app.jury.models import Conflict
from tests.builders.decisions import decision_case
from tests.builders.jury import juror, pool_proposal, review_competition
from tests.factories import AdminFactory
from tests.web import login

MIGRATION = Path(__file__).parents[2] / "migrations" / "versions" / "a7c3e91d5b20_conflict_findings.py"
GERMAN_EMAIL_SENTENCE = ("Die E-Mail-Adresse des Jurymitglieds kontakt@giesserei-plagwitz.example ist die "
                         "Kontaktadresse des Netzwerkträgers.")


def words(text: str) -> str:
    """Text unescaped, with every run of whitespace as one space (PDF and HTML break lines anywhere)."""
    return " ".join(html.unescape(text).replace("\u200b", "").split())


def detected_case(admin_locale: str = "de"):
    """A juror whose address is a proposal's lead contact address, detected by the admin."""
    admin = AdminFactory(locale=admin_locale)
    competition = review_competition()
    pool_proposal(competition, network_name="Netzwerk Gießerei", lead_name="Gießerei Plagwitz GmbH",
                  lead_contact_email="kontakt@giesserei-plagwitz.example")
    juror(competition, name="Greta Guss", organisation="Privat", email="kontakt@giesserei-plagwitz.example")
    detect_and_store_conflicts(competition, actor=admin)
    from app.extensions import db

    db.session.commit()
    return admin, competition


def test_detected_reason_is_a_german_sentence_on_the_admin_conflicts_page(db, client, in_request):
    admin, competition = detected_case()
    login(client, admin.email)
    page = words(client.get(f"/admin/competitions/{competition.id}/conflicts").get_data(as_text=True))
    assert GERMAN_EMAIL_SENTENCE in page
    assert ("Die E-Mail-Domain des Jurymitglieds giesserei-plagwitz.example stimmt mit der Kontaktadresse "
            "kontakt@giesserei-plagwitz.example des Netzwerkträgers überein.") in page
    assert "named_partner" not in page and "juror e-mail" not in page


def test_detected_reason_is_an_english_sentence_for_an_english_admin(db, client, in_request):
    admin, competition = detected_case("en")
    login(client, admin.email)
    page = words(client.get(f"/admin/competitions/{competition.id}/conflicts").get_data(as_text=True))
    assert ("The juror's email address kontakt@giesserei-plagwitz.example is the lead organisation's "
            "contact address.") in page
    assert "named_partner" not in page


def test_protocol_pdf_states_the_detected_reason_as_a_german_sentence(db, client, in_request):
    case = decision_case()
    lead = case.media
    lead.lead_contact_email = "info@medienhof-plagwitz.example"
    juror(case.competition, name="Mira Medien", organisation="Privat", email="info@medienhof-plagwitz.example")
    detect_and_store_conflicts(case.competition, actor=case.admin)
    db.session.commit()
    login(client, case.admin.email)
    body = client.get(f"/admin/competitions/{case.competition.id}/protocol.pdf").get_data()
    text = words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages))
    assert ("Die E-Mail-Adresse des Jurymitglieds info@medienhof-plagwitz.example ist die Kontaktadresse des "
            "Netzwerkträgers.") in text
    assert "named_partner" not in text and "same_email_domain" not in text


def test_migration_turns_a_stored_english_reason_into_findings_that_read_as_german(db, in_request):
    spec = importlib.util.spec_from_file_location("conflict_findings_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    stored = ("named_partner: juror e-mail 'kontakt@giesserei-plagwitz.example' is the lead contact address; "
              "juror organisation 'Druckerei West' is partner 'Druckerei West e.V.'")
    findings = migration.parse_reason(stored)
    assert [finding_sentence(f) for f in findings] == [
        GERMAN_EMAIL_SENTENCE,
        "Die Organisation des Jurymitglieds „Druckerei West“ ist das Partnerunternehmen „Druckerei West e.V.“.",
    ]
    assert migration.parse_reason("named_partner: something new") == [
        {"kind": "text", "params": {"text": "something new"}}]


def test_detection_stores_findings_next_to_the_english_record(db, in_request):
    _admin, _competition = detected_case()
    conflict = db.session.scalar(select(Conflict))
    assert conflict.reason.startswith("named_partner: juror e-mail")  # the record stays as it was
    assert {"kind": "email_is_contact",
            "params": {"email": "kontakt@giesserei-plagwitz.example", "owner": "lead"}} in conflict.findings


def protocol_text(db, client, network_name: str):
    """The German protocol PDF of a decision case with one detected conflict on a proposal named as given."""
    case = decision_case()
    case.media.network_name = network_name
    case.media.lead_contact_email = "info@medienhof-plagwitz.example"
    juror(case.competition, name="Mira Medien", organisation="Privat", email="info@medienhof-plagwitz.example")
    detect_and_store_conflicts(case.competition, actor=case.admin)
    db.session.commit()
    login(client, case.admin.email)
    reader = PdfReader(io.BytesIO(client.get(f"/admin/competitions/{case.competition.id}/protocol.pdf").get_data()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_protocol_pdf_breaks_a_long_compound_title_only_at_its_hyphen_or_a_syllable(db, client, in_request):
    title = "Oberflächenveredelungstechnik-Kompetenzverbund Plagwitz"
    text = protocol_text(db, client, title)
    lines = [line for line in text.replace("\u200b", "\n").splitlines() if line.strip()]
    # Each line holding a piece of the title ends in whole words or in a hyphen, never in a cut word.
    cut = [line for line in lines if "Oberfl" in line and not line.rstrip().endswith(("-", "Plagwitz"))
           and "Kompetenzverbund" not in line]
    assert cut == []
    assert any(line.rstrip().endswith("-") and "Oberfl" in line for line in lines)


def test_audit_trail_states_a_detected_conflict_as_a_german_sentence(db, client, in_request):
    admin, _competition = detected_case()
    login(client, admin.email)
    page = words(client.get("/admin/audit").get_data(as_text=True).split("</datalist>")[-1])
    assert "Befangenheit erkannt" in page and GERMAN_EMAIL_SENTENCE in page
    assert "named_partner" not in page and "juror e-mail" not in page
