"""Jury: membership, conflicts, assignment, scoring and consensus."""
