"""Decisions on proposals, the letters that tell applicants, the jury protocol and the audit file."""
