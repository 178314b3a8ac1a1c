"""`flask` commands of the core: outbox delivery, catalogue maintenance."""

from __future__ import annotations

import subprocess  # noqa: S404 - runs pybabel, a fixed command
import sys
from pathlib import Path

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    """Add `flask outbox-deliver` and `flask translations`."""

    @app.cli.command("outbox-deliver")
    def outbox_deliver_command() -> None:
        """Deliver queued and failed mails (suitable for cron)."""
        from app.core.outbox import deliver_pending

        count = deliver_pending()
        click.echo(f"{count} message(s) processed.")

    @app.cli.command("backup")
    @click.argument("directory", type=click.Path(file_okay=False), default="backups")
    def backup_command(directory: str) -> None:
        """Write a backup archive (all tables as JSON and all uploads) into DIRECTORY."""
        from app.core.backup import create_backup
        from app.core.time import utcnow

        target = Path(directory) / f"backup-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
        create_backup(target)
        click.echo(f"Backup written to {target}")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False))
    def restore_command(archive: str) -> None:
        """Restore a backup archive into an empty, migrated database."""
        from app.core.backup import RestoreRefused, restore_backup
        from app.extensions import db

        try:
            counts = restore_backup(Path(archive))
        except RestoreRefused as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables.")

    @app.cli.command("storage-migrate")
    @click.option("--from-folder", type=click.Path(file_okay=False), default=None,
                  help="The upload folder to copy from (default: UPLOAD_FOLDER).")
    @click.option("--delete-local", is_flag=True, help="Delete each local file once its copy checked out.")
    def storage_migrate_command(from_folder: str | None, delete_local: bool) -> None:
        """Copy uploads from the local folder into the configured S3 store and check each by SHA-256."""
        from flask import current_app

        from app.storage import get_storage
        from app.storage.local import LocalFolderStorage
        from app.storage.migrate import copy_all

        target = get_storage()
        if target.name == "local":
            raise click.ClickException("STORAGE_BACKEND is 'local'; set STORAGE_BACKEND=s3 and the S3_* settings.")
        source = LocalFolderStorage(from_folder or current_app.config["UPLOAD_FOLDER"])
        result = copy_all(source, target)
        click.echo(f"{len(result.copied)} copied, {len(result.present)} already present, "
                   f"{len(result.mismatched)} differ.")
        if result.mismatched:
            raise click.ClickException("Objects differ from the local files: " + ", ".join(result.mismatched))
        if delete_local:
            for key in result.copied + result.present:
                source.delete(key)
            click.echo("Local copies deleted.")

    @app.cli.command("storage-prune")
    @click.option("--days", type=click.IntRange(min=1), default=7, show_default=True,
                  help="Only objects older than this many days.")
    @click.option("--dry-run", is_flag=True, help="List what would be deleted, delete nothing.")
    def storage_prune_command(days: int, dry_run: bool) -> None:
        """Delete stored objects no row refers to (outdated built documents, files of failed requests)."""
        from datetime import timedelta

        from app.core.time import utcnow
        from app.storage import get_storage
        from app.storage.prune import prune

        keys = prune(get_storage(), timedelta(days=days), utcnow(), dry_run=dry_run)
        click.echo(f"{len(keys)} object(s) {'would be ' if dry_run else ''}deleted.")

    @app.cli.command("translations")
    @click.option("--update/--no-update", default=True, help="Extract strings and update catalogues first.")
    def translations_command(update: bool) -> None:
        """Extract strings, update the de and en catalogues and compile them."""
        root = Path(app.root_path).parent
        pybabel = [sys.executable, "-m", "babel.messages.frontend"]
        if update:
            # Fixed argument lists, no user input: safe to run.
            subprocess.run([*pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-o", "messages.pot", "."],  # noqa: S603
                           cwd=root, check=True)
            subprocess.run([*pybabel, "update", "-i", "messages.pot", "-d", "app/translations",  # noqa: S603
                            "--no-fuzzy-matching"], cwd=root, check=True)
        subprocess.run([*pybabel, "compile", "-d", "app/translations"], cwd=root, check=True)  # noqa: S603
