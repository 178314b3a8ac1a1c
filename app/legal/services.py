"""Publishing versions of the legal pages and recording consents to the privacy notice."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.extensions import db
from app.legal.models import PRIVACY, TEXT_KINDS, Consent, LegalText

MAX_BODY = 100_000


def current_text(kind: str) -> LegalText | None:
    """The newest version of a legal page, or None while none is published."""
    return db.session.scalar(select(LegalText).where(LegalText.kind == kind).order_by(LegalText.version.desc()))


def text_version(kind: str, version: int) -> LegalText | None:
    """One version of a legal page."""
    return db.session.scalar(select(LegalText).where(LegalText.kind == kind, LegalText.version == version))


def text_versions(kind: str) -> list[LegalText]:
    """Every version of a legal page, newest first."""
    return list(db.session.scalars(
        select(LegalText).where(LegalText.kind == kind).order_by(LegalText.version.desc())))


def publish_text(kind: str, *, body_de: str, body_en: str, material: bool, change_note: str,
                 author: User | None, enforcement_contact: str = "") -> LegalText:
    """Publish a new version of a legal page; the first privacy notice always counts as a material change."""
    if kind not in TEXT_KINDS:
        raise ValueError(kind)
    body_de, body_en = (body_de or "").strip(), (body_en or "").strip()
    if not body_de:
        raise DomainError(_l("Please write the German text."), "body_de")
    if len(body_de) > MAX_BODY or len(body_en) > MAX_BODY:
        raise DomainError(_l("The text is too long."), "body_de")
    previous = current_text(kind)
    text = LegalText(kind=kind, version=(previous.version + 1) if previous else 1, body_de=body_de,
                     body_en=body_en, change_note=(change_note or "").strip()[:300],
                     material=bool(material) or (kind == PRIVACY and previous is None),
                     enforcement_contact=(enforcement_contact or "").strip(), created_by=author)
    db.session.add(text)
    db.session.flush()
    record_event("legal_text.published", text, after=text.audit_view(), actor=author)
    return text


def required_privacy_version() -> int | None:
    """The newest privacy notice version that changed materially: every user must have agreed to it or a later one."""
    return db.session.scalar(select(func.max(LegalText.version)).where(
        LegalText.kind == PRIVACY, LegalText.material.is_(True)))


def consented_version(user: User) -> int | None:
    """The newest privacy notice version the user agreed to."""
    return db.session.scalar(select(func.max(Consent.version)).where(
        Consent.user_id == user.id, Consent.kind == PRIVACY))


def needs_reconfirmation(user: User) -> bool:
    """True when the privacy notice changed materially since the user last agreed to it."""
    required = required_privacy_version()
    if required is None:
        return False
    given = consented_version(user)
    return given is None or given < required


def record_consent(user: User, *, occasion: str) -> Consent:
    """Record that the user agreed to the privacy notice as published now."""
    current = current_text(PRIVACY)
    consent = Consent(user_id=user.id, kind=PRIVACY, version=current.version if current else None,
                      occasion=occasion)
    db.session.add(consent)
    db.session.flush()
    record_event("consent.given", consent, after=consent.export_view(), actor=user)
    return consent


def consents_of(user: User) -> list[Consent]:
    """The user's consents, oldest first."""
    return list(db.session.scalars(select(Consent).where(Consent.user_id == user.id).order_by(Consent.id)))
