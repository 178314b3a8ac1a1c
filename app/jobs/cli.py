"""`flask jobs worker` and `flask jobs scheduler`: the processes beside the web hosts (docs/operations.md)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

# The daily reminders at 07:00 UTC (08:00/09:00 in Leipzig), as the cron entries used to run them.
REMINDER_CRON = "0 7 * * *"
# Stored objects no row refers to, on Sunday night.
PRUNE_CRON = "30 3 * * 0"


def register_cli(app: Flask) -> None:
    """Add the `flask jobs` commands."""
    jobs = AppGroup("jobs", help="The RQ worker and scheduler (need REDIS_URL).")

    @jobs.command("worker")
    @click.option("--burst", is_flag=True, help="Run the queued jobs, then stop (tests, one-off runs).")
    def worker_command(burst: bool) -> None:
        """Run queued jobs; SIGTERM lets the running job finish first (warm shutdown)."""
        from rq import Worker
        from sqlalchemy.orm import configure_mappers

        from app.jobs.connection import job_queue, queue_enabled, redis_connection
        from app.jobs.context import use_app

        if not queue_enabled():
            raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web requests.")
        use_app(current_app._get_current_object())
        # Configure the ORM's mappers once here (about 3 s): every forked work horse inherits them.
        configure_mappers()
        worker = Worker([job_queue()], connection=redis_connection())
        worker.work(burst=burst, with_scheduler=False, logging_level=current_app.config["LOG_LEVEL"])

    @jobs.command("scheduler")
    def scheduler_command() -> None:
        """Queue the outbox delivery every minute and the reminders daily (run exactly one scheduler)."""
        from rq.cron import CronScheduler

        from app.jobs import tasks
        from app.jobs.connection import queue_enabled, redis_connection

        if not queue_enabled():
            raise click.ClickException("REDIS_URL is not set: run `flask outbox-deliver` and the reminder "
                                       "commands from cron instead.")
        queue_name = current_app.config["JOB_QUEUE_NAME"]
        scheduler = CronScheduler(connection=redis_connection(), logging_level=current_app.config["LOG_LEVEL"])
        interval = current_app.config["OUTBOX_DELIVERY_INTERVAL"]
        scheduler.register(tasks.deliver_outbox, queue_name, interval=interval)
        scheduler.register(tasks.send_reminders, queue_name, cron=REMINDER_CRON)
        scheduler.register(tasks.prune_storage, queue_name, cron=PRUNE_CRON)
        scheduler.start()

    app.cli.add_command(jobs)
