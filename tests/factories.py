"""factory_boy factories for the models."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from app.accounts.models import User
from app.core.time import utcnow
from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery"
# Hashed once: scrypt is deliberately slow, and tests create many users.
_DEFAULT_HASH = generate_password_hash(DEFAULT_PASSWORD, method="scrypt")


class BaseFactory(SQLAlchemyModelFactory):
    """Commits, so that the app's request sessions see the rows."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    """A confirmed, active applicant."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@firma{n}.example")
    name = factory.Faker("name", locale="de_DE")
    organisation = factory.Sequence(lambda n: f"Firma {n} GmbH")
    locale = "de"
    password_hash = _DEFAULT_HASH
    active = True
    is_admin = False
    email_confirmed_at = factory.LazyFunction(utcnow)
    privacy_consent_at = factory.LazyFunction(utcnow)


class AdminFactory(UserFactory):
    """An administrator."""

    is_admin = True
    email = factory.Sequence(lambda n: f"admin{n}@stadt.example")
