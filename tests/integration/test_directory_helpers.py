"""Small rules of the directory: technology fields, slugs, search terms and filters."""

from __future__ import annotations

import pytest

from app.core.errors import DomainError
from app.directory.display import safe_website, website_host
from app.directory.search import like_pattern, parse_filters
from app.directory.services import parse_technology_fields, slugify


def test_technology_fields_are_split_trimmed_and_deduplicated():
    assert parse_technology_fields(" CAD,Simulation ;  cad\nRapid   Prototyping,, ") == [
        "CAD", "Simulation", "Rapid Prototyping"]
    assert parse_technology_fields("") == []


def test_too_many_or_too_long_technology_fields_are_refused():
    with pytest.raises(DomainError) as too_many:
        parse_technology_fields(",".join(f"Feld {n}" for n in range(13)))
    assert too_many.value.field == "technology_fields"
    with pytest.raises(DomainError):
        parse_technology_fields("x" * 81)


@pytest.mark.parametrize("name,slug", [
    ("Netzwerk Energie- und Umwelttechnik Leipziger Westen", "netzwerk-energie-und-umwelttechnik-leipziger-westen"),
    ("Größere Übung für Änderungen", "groessere-uebung-fuer-aenderungen"),
    ("AMZ – Netzwerk Automobilzulieferer Sachsen", "amz-netzwerk-automobilzulieferer-sachsen"),
    ("!!!", "netzwerk"),
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_like_pattern_escapes_wildcards():
    assert like_pattern("100%_A\\b") == "%100\\%\\_a\\\\b%"


def test_parse_filters_ignores_unknown_status_and_kind():
    filters = parse_filters({"q": "  cad ", "status": "bogus", "kind": "funded", "sector": "Logistik"})
    assert (filters.q, filters.status, filters.kind, filters.sector) == ("cad", "", "funded", "Logistik")
    assert filters.active and not parse_filters({}).active


@pytest.mark.parametrize("url,safe", [
    ("https://www.biosaxony.com/", "https://www.biosaxony.com/"), ("http://amz-sachsen.de", "http://amz-sachsen.de"),
    ("javascript:alert(1)", None), ("data:text/html,x", None), ("www.ohne-schema.example", None), ("", None)])
def test_only_http_websites_are_linked(url, safe):
    assert safe_website(url) == safe


def test_website_host_drops_www():
    assert website_host("https://www.silicon-saxony.net/de") == "silicon-saxony.net"
