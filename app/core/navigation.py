"""Which role-specific navigation entries the current user gets (one cached lookup per request)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g
from flask_login import current_user


@dataclass(frozen=True)
class NavRoles:
    """Roles that add entries to the main navigation."""

    juror: bool = False
    operator: bool = False


# Higher packages register how to tell a role (core never imports them).
_role_checks: dict[str, object] = {}


def register_nav_role(name: str, check) -> None:
    """Register a function user -> bool deciding whether the user holds a navigation role."""
    _role_checks[name] = check


def nav_roles() -> NavRoles:
    """The current user's navigation roles, computed once per request."""
    if "nav_roles" not in g:
        if not current_user.is_authenticated:
            g.nav_roles = NavRoles()
        else:
            g.nav_roles = NavRoles(**{name: bool(check(current_user)) for name, check in _role_checks.items()})
    return g.nav_roles


def register_navigation(app: Flask) -> None:
    """Expose nav_roles() to templates."""
    app.jinja_env.globals["nav_roles"] = nav_roles
