"""The role entries of the main navigation follow the user's seats and contracts, asked with the user."""

from __future__ import annotations

from sqlalchemy import event

from app.extensions import db as _db
from tests.factories import JuryMembershipFactory, UserFactory

JURY_LINK = 'href="/jury"'


def test_a_juror_gets_the_jury_entry_until_the_seat_is_removed(client, login_as):
    membership = JuryMembershipFactory()
    login_as(membership.user)
    assert JURY_LINK in client.get("/").get_data(as_text=True)
    membership.status = "removed"
    _db.session.commit()
    assert JURY_LINK not in client.get("/").get_data(as_text=True)


def test_other_users_get_no_role_entries(client, login_as):
    login_as(UserFactory())
    body = client.get("/").get_data(as_text=True)
    assert JURY_LINK not in body and 'href="/my/contracts"' not in body


def test_the_user_and_the_roles_come_in_one_statement(app, client, login_as):
    login_as(JuryMembershipFactory().user)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        body = client.get("/profile").get_data(as_text=True)
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    assert JURY_LINK in body
    assert sum("FROM users" in s and "jury_memberships" in s for s in statements) == 1
    assert not any("jury_memberships" in s and "FROM users" not in s for s in statements)
