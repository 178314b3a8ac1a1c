"""The audit trail in words: every action has a label in both languages, changes read as a table of fields."""

from __future__ import annotations

import html
import re
from pathlib import Path

from flask_babel import force_locale

from app.core.audit import record_event
from app.core.audit_labels import ACTION_LABELS
from app.core.i18n import gettext
from app.core.models import AuditEvent
from tests.builders.proposals import complete_proposal
from tests.factories import AdminFactory, CompetitionFactory, UserFactory
from tests.web import login

APP = Path(__file__).parents[2] / "app"
_LITERAL_ACTION = re.compile(r"(?:record_event|insert_event)\(\s*\"([a-z_]+\.[a-z_]+)\"")
_CONTRACT_SUBJECT = re.compile(r"_record_change\(\s*contract,\s*\"([a-z_]+)\"")


def recorded_actions() -> set[str]:
    """Every action code the application records, read from its source."""
    actions = set()
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        actions.update(_LITERAL_ACTION.findall(text))
        actions.update(f"contract.{subject}_changed" for subject in _CONTRACT_SUBJECT.findall(text))
        actions.update(re.findall(r"action=\"([a-z_]+\.[a-z_]+)\"", text))
        actions.update(re.findall(r"\"action\": \"([a-z_]+\.[a-z_]+)\"", text))  # rows inserted directly
        actions.update(re.findall(r"\"((?:user|decision)\.[a-z_]+)\" if ", text))
        actions.update(re.findall(r" else \"((?:user|decision)\.[a-z_]+)\"", text))
    return actions


def page_text(response) -> str:
    """The page's words; on the audit page those after the filter form (whose list names every action)."""
    body = response.get_data(as_text=True).split("</datalist>")[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_every_recorded_action_has_a_label_in_german_and_english(app):
    actions = recorded_actions()
    assert {"proposal.prechecked", "decision.recorded", "contract.terms_changed", "jury.conflict_detected"} <= actions
    assert sorted(actions - set(ACTION_LABELS)) == []
    with app.test_request_context(), force_locale("de"):
        untranslated = [a for a in actions if gettext(ACTION_LABELS[a]._args[0]) == ACTION_LABELS[a]._args[0]]
    assert untranslated == []


def test_audit_page_shows_the_label_and_a_table_of_the_changed_fields(client, db):
    admin = AdminFactory()
    competition = CompetitionFactory()
    record_event("proposal.prechecked", object_type="proposals", object_id=41, actor=admin,
                 before={"eligibility": None, "eligibility_reason": "", "receipt_number": "2026-001-0007"},
                 after={"eligibility": "not_eligible", "eligibility_reason": "Sitz außerhalb des Programmgebiets",
                        "receipt_number": "2026-001-0007", "prechecked_at": "2026-11-24T10:00:00+00:00"})
    record_event("competition.updated", competition, actor=admin,
                 before={"blind_review": False, "budget_cents": 90_000_000, "weight": "0.150"},
                 after={"blind_review": True, "budget_cents": 123_456, "weight": "0.200"})
    db.session.commit()
    login(client, admin.email)
    body = page_text(client.get("/admin/audit"))
    assert "Vorprüfung festgehalten" in body and "proposal.prechecked" not in body
    assert "Antrag 41" in body
    assert "Ergebnis der Vorprüfung – Nicht förderfähig" in body
    assert "Begründung der Vorprüfung – Sitz außerhalb des Programmgebiets" in body
    assert "Vorgeprüft am – 24.11.2026, 11:00 Uhr" in body
    assert "Eingangsnummer" not in body  # unchanged fields are left out
    assert "Nein Ja" in body and "900.000,00 € 1.234,56 €" in body and "0,15 0,2" in body
    assert '"eligibility"' not in body and "{" not in body.split("Prüfpfad", 2)[-1]


def test_people_in_a_change_are_named_not_numbered(client, db):
    admin = AdminFactory(name="Petra Prüferin")
    record_event("proposal.prechecked", object_type="proposals", object_id=41, actor=admin,
                 before={"prechecked_by_id": None}, after={"prechecked_by_id": admin.id})
    db.session.commit()
    login(client, admin.email)
    body = page_text(client.get("/admin/audit"))
    assert "Vorgeprüft von – Petra Prüferin" in body
    assert f"Vorgeprüft von – {admin.id}" not in body


def test_audit_page_speaks_english_to_an_english_admin(client, db):
    admin = AdminFactory(locale="en")
    user = UserFactory()
    record_event("user.reactivated", user, before={"status": "removed"}, after={"status": "active"}, actor=admin)
    db.session.commit()
    login(client, admin.email)
    body = page_text(client.get("/admin/audit"))
    assert "Account reactivated" in body and "Status removed active" in body


def test_admin_proposal_page_summarises_a_saved_section_instead_of_dumping_json(client, db):
    admin = AdminFactory()
    proposal = complete_proposal(db)
    measures = [{"title": f"Maßnahme {i}", "cost": i * 1000} for i in range(40)]
    db.session.add(AuditEvent(
        action="proposal.section_saved", object_type="proposals", object_id=proposal.id,
        before={"section": "basics", "values": {"network_name": "Alt", "short_name": "NW", "measures": []}},
        after={"section": "basics", "values": {"network_name": "Netzwerk Neu", "short_name": "NW",
                                                "measures": measures}}))
    db.session.commit()
    login(client, admin.email)
    body = page_text(client.get(f"/admin/proposals/{proposal.id}"))
    assert "Antragsabschnitt gespeichert" in body
    assert "Name des Netzwerks Alt Netzwerk Neu" in body
    assert "Maßnahmenkatalog – 40 Einträge" in body
    assert "40 Einträge" in body and "Maßnahme 39" not in body
    assert "NW NW" not in body  # the unchanged short name is left out


def test_outbox_states_are_words_in_the_list_the_filter_and_the_message(client, db):
    from app.core.models import OutboxMessage

    admin = AdminFactory()
    message = OutboxMessage(recipient="a@firma.example", locale="de", template="decision_letter",
                            subject="Ihr Bescheid", body="Text", status="failed", error="SMTP down")
    db.session.add(message)
    db.session.commit()
    login(client, admin.email)
    listing = page_text(client.get("/admin/outbox"))
    assert "fehlgeschlagen, wird erneut versucht (SMTP down)" in listing
    assert "protokolliert (kein Mailserver)" in listing  # an option of the status filter
    assert "failed" not in listing.replace("SMTP down", "")
    assert "Deutsch" in listing
    assert "fehlgeschlagen, wird erneut versucht" in page_text(client.get(f"/admin/outbox/{message.id}"))


def test_a_checklist_reads_as_its_items_with_ja_and_nein(client, db):
    admin = AdminFactory()
    record_event("proposal.prechecked", object_type="proposals", object_id=5, actor=admin,
                 before={"precheck_checklist": None, "prechecked_by_id": None},
                 after={"precheck_checklist": {"Sitz im Programmgebiet.": True, "Drei Partner, mindestens.": False},
                        "prechecked_by_id": admin.id})
    db.session.commit()
    login(client, admin.email)
    body = page_text(client.get("/admin/audit"))
    assert "Prüfliste der Vorprüfung – Sitz im Programmgebiet.: Ja; Drei Partner, mindestens.: Nein" in body
    assert f"Vorgeprüft von – {admin.name}" in body
