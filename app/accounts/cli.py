"""Command-line account management."""

from __future__ import annotations

import os

import click
from flask import Flask

from app.core.errors import DomainError
from app.extensions import db


def register_cli(app: Flask) -> None:
    """Add `flask create-admin`."""

    @app.cli.command("create-admin")
    @click.argument("email")
    @click.option("--name", default="Administrator", help="Display name.")
    def create_admin_command(email: str, name: str) -> None:
        """Create an administrator (password from ADMIN_PASSWORD or asked)."""
        from app.accounts.services import create_admin

        password = os.environ.get("ADMIN_PASSWORD") or click.prompt(
            "Password", hide_input=True, confirmation_prompt=True
        )
        try:
            user = create_admin(email, password, name=name)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from error
        db.session.commit()
        click.echo(f"Administrator {user.email} is ready.")
