"""Which role-specific navigation entries the current user gets (one query per request, for all roles)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, g
from flask_login import current_user
from sqlalchemy import ColumnElement, bindparam, select

from app.extensions import db


@dataclass(frozen=True)
class NavRoles:
    """Roles that add entries to the main navigation."""

    juror: bool = False
    operator: bool = False


# Higher packages register how to tell a role (core never imports them).
_role_conditions: dict[str, Callable[[int], ColumnElement[bool]]] = {}


def register_nav_role(name: str, condition: Callable[[int], ColumnElement[bool]]) -> None:
    """Register user id -> SQL condition (e.g. an EXISTS) telling whether the user holds a navigation role."""
    _role_conditions[name] = condition


def _user_with_roles_statement(model) -> tuple[list[str], object]:
    """The role names and the statement selecting the user row with one column per role (bound `nav_user`)."""
    names = list(_role_conditions)
    user_id = bindparam("nav_user")
    statement = select(model, *(_role_conditions[name](user_id).label(name) for name in names)
                       ).where(model.id == user_id)
    return names, statement


def load_with_roles(model, user_id: int):
    """The user row and the user's navigation roles in one statement; the roles are kept for this request.

    Why: every logged-in page loads its user and then asks the roles for the navigation; one
    round trip instead of two on every page.
    """
    names, statement = _user_with_roles_statement(model)
    row = db.session.execute(statement, {"nav_user": user_id}).first()
    if row is None:
        return None
    g.nav_roles = NavRoles(**{name: bool(value) for name, value in zip(names, row[1:], strict=True)})
    return row[0]


def nav_roles() -> NavRoles:
    """The current user's navigation roles: every role's condition asked in one statement, once per request."""
    if "nav_roles" not in g:
        if not current_user.is_authenticated or not _role_conditions:  # (load_with_roles sets it otherwise)
            g.nav_roles = NavRoles()
        else:
            row = db.session.execute(select(*(condition(current_user.id).label(name)
                                              for name, condition in _role_conditions.items()))).one()
            g.nav_roles = NavRoles(**{name: bool(value) for name, value in row._mapping.items()})
    return g.nav_roles


def register_navigation(app: Flask) -> None:
    """Expose nav_roles() to templates."""
    app.jinja_env.globals["nav_roles"] = nav_roles
