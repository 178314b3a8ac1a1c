"""Errors of the API are RFC 9457 problem details in the language of Accept-Language; public data allows CORS."""

from __future__ import annotations

import pytest

from tests.builders.api import bearer, issue_token
from tests.factories import UserFactory


@pytest.mark.parametrize(("language", "title", "detail"), [
    (None, "Anmeldung erforderlich", "Diese Ressource braucht ein API-Token."),
    ("de", "Anmeldung erforderlich", "Diese Ressource braucht ein API-Token."),
    ("en", "Authentication required", "This resource needs an API token."),
])
def test_missing_token_is_a_401_problem_in_the_asked_language(client, language, title, detail):
    headers = {"Accept-Language": language} if language else {}
    response = client.get("/api/v1/contracts", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json == {"type": "about:blank", "title": title, "status": 401, "detail": detail,
                             "instance": "/api/v1/contracts"}


def test_invalid_query_is_a_422_problem_naming_the_field(client):
    response = client.get("/api/v1/calls?per_page=1000", headers={"Accept-Language": "de"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Ungültige Eingabe"
    assert "per_page" in response.json["errors"]["query"]


def test_unknown_path_and_method_are_problems(client):
    missing = client.get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.json["title"] == "Not found"
    wrong_method = client.delete("/api/v1/calls")
    assert wrong_method.status_code == 405 and wrong_method.mimetype == "application/problem+json"


def test_pages_outside_the_api_keep_their_html_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_non_admin_token_is_refused_admin_data_with_403(client):
    secret = issue_token(UserFactory())
    response = client.get("/api/v1/competitions", headers=bearer(secret, "en"))
    assert response.status_code == 403
    assert response.json["detail"] == "Only administrators may read this."


def test_cors_only_for_public_endpoints(client):
    origin = {"Origin": "https://daten.example"}
    assert client.get("/api/v1/networks", headers=origin).headers.get("Access-Control-Allow-Origin") == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/api/v1/contracts", headers=origin).headers


def test_unchanged_public_list_answers_304_to_its_etag(client):
    first = client.get("/api/v1/networks")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/networks", headers={"If-None-Match": etag})
    assert again.status_code == 304
