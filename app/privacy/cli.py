"""`flask retention`: list what the retention rules find due (dry run), or delete it with --apply."""

from __future__ import annotations

import click
from flask import Flask

from app.core.transactions import commit_outside_request
from app.privacy.retention import run_retention

RULE_TEXTS = {
    "stale_drafts": "drafts never submitted, past the draft period (proposal ids)",
    "rejected_applications": "rejected, ineligible or withdrawn applications past the retention end (proposal ids)",
    "jurors": "jurors whose competitions are all past the retention end (user ids)",
    "outbox_bodies": "e-mail texts past their period (outbox ids)",
    "audit_ips": "audit-trail IP addresses past their period (event ids)",
    "orphaned_files": "stored files no record points to (storage keys)",
}


def register_cli(app: Flask) -> None:
    """Add `flask retention`."""

    @app.cli.command("retention")
    @click.option("--apply", "apply_rules", is_flag=True, help="Delete what is due (default: only list it).")
    def retention_command(apply_rules: bool) -> None:
        """List what the retention rules find due for deletion; delete it with --apply."""
        plan = run_retention(apply=apply_rules)
        commit_outside_request()  # the audit event of the run, and with --apply the deletions
        click.echo("Applied:" if apply_rules else "Dry run (nothing changed; use --apply to delete):")
        for rule, items in plan.due.items():
            shown = ", ".join(str(item) for item in items[:20]) + (" …" if len(items) > 20 else "")
            click.echo(f"  {len(items):>6}  {RULE_TEXTS[rule]}{': ' + shown if items else ''}")
