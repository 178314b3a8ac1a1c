"""`flask jury-reminders`: the daily reminder of pending reviews (for cron)."""

from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    """Add `flask jury-reminders`."""

    @app.cli.command("jury-reminders")
    @click.option("--competition", "competition_id", type=int, default=None,
                  help="Only this competition (id); default: every competition in the review phase.")
    def jury_reminders_command(competition_id: int | None) -> None:
        """Remind jurors of pending reviews when the review deadline is at most 7 days away or past.

        Safe to run several times a day: nobody gets more than one reminder per day.
        """
        from app.core.outbox import deliver_pending
        from app.extensions import db
        from app.jury.progress import send_due_reminders

        sent = send_due_reminders(competition_id)
        db.session.commit()
        if sent:
            deliver_pending()  # as after a request; what fails stays for `flask outbox-deliver`
        for title, email in sent:
            click.echo(f"reminded {email} ({title})")
        click.echo(f"{len(sent)} reminder(s) queued.")
