"""Competitions (calls), their criteria and phases, and the public call pages."""
