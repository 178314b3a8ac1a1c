"""Background jobs on RQ (Redis): mail delivery, reminders on a schedule, heavy documents; inline without Redis."""
