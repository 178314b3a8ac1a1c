"""Cross-cutting services: audit trail, mail outbox, permissions, formatting, errors."""
