"""Property-based checks of every operation of the OpenAPI document, with an admin token and without.

schemathesis generates requests from the document and calls the app in-process (WSGI). Every
answer must be no 5xx, documented, and match its schema; operations that need a token answer
401 without one. Few examples per operation and a fixed seed keep the run short and repeatable.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.builders.api import bearer, issue_token
from tests.builders.contracts import worked_example_contract
from tests.builders.directory import external_network, funded_network, member, post
from tests.factories import AdminFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(max_examples=5, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


def _operations(app) -> list:
    """Every operation of the app's own OpenAPI document, loaded through the app."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _check_every_operation(app, headers: dict[str, str], expect_refusal: bool) -> int:
    """Run the checks on generated requests for each operation; return how many operations ran."""
    operations = _operations(app)
    for operation in operations:
        _check_operation(operation, headers, expect_refusal)
    return len(operations)


def _check_operation(operation, headers: dict[str, str], expect_refusal: bool) -> None:
    secured = bool(operation.definition.raw.get("security"))

    @given(case=operation.as_strategy())
    @EXAMPLES
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        if expect_refusal and secured:
            # Without a token the answer is 401, before the input is even read.
            assert response.status_code == 401, (case.method, case.path, response.status_code)

    run()


def test_every_operation_with_an_admin_token(app):
    admin = AdminFactory()
    network = funded_network(name="Netzwerk Schemathesis", contract_status="implementation")
    member(network, "Firma A GmbH", listed=True)
    post(network, "Ergebnis A")
    external_network(name="Externes Netzwerk")
    worked_example_contract(admin)
    assert _check_every_operation(app, bearer(issue_token(admin)), expect_refusal=False) >= 11


def test_every_operation_without_a_token(app):
    assert _check_every_operation(app, {}, expect_refusal=True) >= 11
