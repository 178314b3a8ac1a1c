"""Builders of test data shared across the test suites: each module builds one part of a competition's life."""
