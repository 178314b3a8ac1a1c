"""Proposals (network ideas): drafting, partners, attachments, submission and pre-check."""
