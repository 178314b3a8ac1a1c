"""Demo data based on the Leipzig URBAN II case (`flask demo-data`)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from app.extensions import db


def database_is_empty() -> bool:
    """True when no user exists yet (the demo then loads on `make run`)."""
    from app.accounts.models import User

    return db.session.scalar(select(func.count(User.id))) == 0


def load_demo_data() -> list[tuple[str, str, str]]:
    """Create every demo record; return (role, email, password) of the demo logins."""
    from app.demo import contracts, decisions, jury, people, proposals, scoring
    from app.demo import directory as directory_demo
    from app.demo import legal as legal_demo

    logins = people.create_people()
    # Later domain packages add their steps here, in the life order of a competition.
    proposals.create_demo_call()  # the Leipzig call, 28 submitted ideas, pre-check done
    jury.create_demo_jury()  # five signed jurors, conflicts, review phase, three reviewers per idea
    scoring.score_demo_competition()  # every review submitted, consensus on the contested ideas
    decisions.decide_demo_competition()  # keep after the scoring step: 3 awards, 3 reserve, letters
    contracts.create_demo_contracts()  # after the decisions: contracts, reports and payments of the 3 awards
    directory_demo.create_demo_directory()  # regional networks, the funded ones once awarded
    legal_demo.create_demo_legal_texts()  # last: the legal pages, and every demo person's consent
    return logins


def register_cli(app: Flask) -> None:
    """Add `flask demo-data`."""

    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="Only load when the database has no users.")
    def demo_data_command(if_empty: bool) -> None:
        """Load the demo data (never in production)."""
        if current_app.config.get("ENV_NAME") == "production":
            raise click.ClickException("Demo data is never loaded in production.")
        if if_empty and not database_is_empty():
            click.echo("Database already has data; demo data not loaded.")
            return
        if not database_is_empty():
            raise click.ClickException("The database is not empty; demo data needs an empty database.")
        logins = load_demo_data()
        db.session.commit()
        click.echo("Demo data loaded. Development logins (never use these passwords elsewhere):")
        for role, email, password in logins:
            click.echo(f"  {role:<12} {email:<40} {password}")
