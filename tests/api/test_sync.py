"""Synchronisation: `updated_since` returns only what changed, pages are stable and never overlap."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from app.core.time import utcnow
from app.extensions import db
from tests.builders.directory import external_network


def test_updated_since_returns_only_networks_changed_since(client):
    old = external_network(name="Altes Netzwerk")
    external_network(name="Neues Netzwerk")
    old.updated_at = utcnow() - timedelta(days=10)
    db.session.commit()
    since = quote((utcnow() - timedelta(days=1)).isoformat())
    names = [n["name"] for n in client.get(f"/api/v1/networks?updated_since={since}").json["items"]]
    assert names == ["Neues Netzwerk"]


def test_pages_are_ordered_by_id_and_do_not_overlap(client):
    ids = [external_network(name=f"Netzwerk {letter}").id for letter in "CAB"]
    first = client.get("/api/v1/networks?per_page=2").json
    second = client.get("/api/v1/networks?per_page=2&page=2").json
    assert [n["id"] for n in first["items"] + second["items"]] == sorted(ids)
    assert first["pagination"] == {"page": 1, "per_page": 2, "total": 3, "next_page": 2}
    assert second["pagination"]["next_page"] is None


def test_updated_since_without_zone_is_refused(client):
    response = client.get("/api/v1/networks?updated_since=2026-01-01T00:00:00", headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "updated_since" in response.json["errors"]["query"]
