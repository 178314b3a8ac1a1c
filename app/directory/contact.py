"""The contact form of a network page: stored, then forwarded to the operator through the outbox.

The operator's address never leaves the server: the visitor sees only a confirmation, the
operator gets the visitor's message and reply address by mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.contracts.services import external_url
from app.core.audit import record_event
from app.core.errors import DomainError
from app.core.i18n import lazy_gettext as _l
from app.core.outbox import queue_mail
from app.directory.models import ContactMessage, Network
from app.extensions import db

DEFAULT_LOCALE = "de"


@dataclass
class ContactDetails:
    """What the visitor writes."""

    name: str
    email: str
    message: str
    organisation: str = ""


def send_contact_message(network: Network, details: ContactDetails) -> ContactMessage:
    """Store the message and queue it by mail to the network's operator."""
    if not network.accepts_contact:
        raise DomainError(_l("This network cannot be contacted through the directory."))
    if not details.message.strip():
        raise DomainError(_l("Please write a message."), "message")
    contact = ContactMessage(network=network, sender_name=details.name.strip(), sender_email=details.email.strip(),
                             sender_organisation=(details.organisation or "").strip(), body=details.message.strip())
    db.session.add(contact)
    operator = network.proposal.applicant if network.is_funded and network.proposal else None
    context = {"network": network, "contact": contact, "link": external_url("directory.network", slug=network.slug)}
    if operator is not None:
        mail = queue_mail(operator.email, "network_contact", operator.locale, user=operator, **context)
    else:
        mail = queue_mail(network.contact_email, "network_contact", DEFAULT_LOCALE, **context)
    contact.outbox_message = mail
    db.session.flush()
    # The audit trail records that a message went out, not what it said or who wrote it.
    record_event("network.contact_message_sent", contact,
                 after={"network_id": network.id, "length": len(contact.body)})
    return contact
