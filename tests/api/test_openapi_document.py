"""The OpenAPI document is valid OpenAPI 3.1 and lists every endpoint; the reference page renders it."""

from __future__ import annotations

from openapi_spec_validator import validate
from openapi_spec_validator.validation import OpenAPIV31SpecValidator

EXPECTED = {
    ("get", "/api/v1/calls"), ("get", "/api/v1/calls/{call_id}"), ("get", "/api/v1/networks"),
    ("get", "/api/v1/results"), ("get", "/api/v1/operations"), ("get", "/api/v1/competitions"),
    ("get", "/api/v1/competitions/{competition_id}/proposals"),
    ("get", "/api/v1/competitions/{competition_id}/proposals/{proposal_id}/reviews"),
    ("get", "/api/v1/competitions/{competition_id}/ranking"),
    ("get", "/api/v1/competitions/{competition_id}/decisions"), ("get", "/api/v1/contracts"),
    ("get", "/api/v1/contracts/{contract_id}"),
    ("post", "/api/v1/contracts/{contract_id}/milestones/{milestone_id}/reports"),
}


def test_document_is_valid_openapi_3_1_with_every_endpoint(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)
    operations = {(method, path) for path, item in document["paths"].items() for method in item
                  if method in {"get", "post", "put", "patch", "delete"}}
    assert operations == EXPECTED
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_reference_page_lists_the_operations_from_local_assets_only(client):
    html = client.get("/api/v1/docs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "GET /api/v1/operations" in html and "POST /api/v1/contracts/{contract_id}" in html
    assert "cdn" not in html.lower() and "https://" not in html.split("<main", 1)[0]
