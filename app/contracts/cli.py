"""`flask contract-reminders`: the daily reminder run for cron."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    """Add `flask contract-reminders`."""

    @app.cli.command("contract-reminders")
    @click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Pretend it is this day (YYYY-MM-DD); default: today in Berlin.")
    def contract_reminders_command(today) -> None:
        """Remind operators of reports due in 14 days and of overdue reports (idempotent per day)."""
        from app.contracts.reminders import send_reminders
        from app.core.outbox import deliver_pending
        from app.extensions import db

        day: date | None = today.date() if today else None
        counts = send_reminders(day)
        db.session.commit()
        deliver_pending()
        click.echo(f"{counts['due_soon']} reminder(s) before the due date, {counts['overdue']} for overdue reports.")
