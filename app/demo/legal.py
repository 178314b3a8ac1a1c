"""Demo legal pages: the Leipzig example texts, and the demo people's consent to the privacy notice."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.legal.examples import publish_example_texts
from app.legal.services import record_consent


def create_demo_legal_texts() -> None:
    """Publish the example texts (by the demo admin) and record that every demo person agreed at registration."""
    people = db.session.scalars(select(User).order_by(User.id)).all()
    admin = next((person for person in people if person.is_admin), None)
    publish_example_texts(admin)
    for person in people:
        record_consent(person, occasion="registration")
