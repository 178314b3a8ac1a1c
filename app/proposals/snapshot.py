"""The frozen copy of a proposal: plain JSON of every field, row and attachment's metadata.

The same structure is rendered for the live overview (from the current data) and the
print version (from the stored snapshot), so both always show the same things. Keys are
the model's column names; money stays in integer cents, KPI numbers are decimal strings,
times ISO 8601 in UTC.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

SNAPSHOT_VERSION = 1

PROPOSAL_FIELDS = (
    "network_name", "short_name", "sector", "initiative_kind", "keywords",
    "lead_name", "lead_street", "lead_postcode", "lead_town",
    "lead_contact_name", "lead_contact_email", "lead_contact_phone",
    "cluster_analysis", "objectives", "duration_months", "requested_funding_cents", "own_contribution_cents",
)
PARTNER_FIELDS = ("organisation", "town", "in_programme_area", "sector", "size", "contact_name", "contact_email",
                  "letter_of_intent")
MEASURE_FIELDS = ("title", "description", "period", "cost_cents")
KPI_FIELDS = ("indicator", "unit", "baseline", "target")
ATTACHMENT_FIELDS = ("id", "display_name", "mime_type", "size_bytes", "sha256", "uploaded_at")


def _plain(value: Any) -> Any:
    """JSON-safe: decimals as exact strings, times as ISO strings."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _row(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def build_snapshot(proposal) -> dict[str, Any]:
    """Everything the applicant submitted, as one JSON-serialisable dict."""
    competition = proposal.competition
    data: dict[str, Any] = {
        "snapshot_version": SNAPSHOT_VERSION,
        "proposal_id": proposal.id,
        "competition": {"id": competition.id, "title": competition.title, "programme": competition.programme,
                        "measure": competition.measure},
        "applicant": {"id": proposal.applicant.id, "name": proposal.applicant.name,
                      "email": proposal.applicant.email, "organisation": proposal.applicant.organisation},
        "receipt_number": proposal.receipt_number,
        "submitted_at": _plain(proposal.submitted_at),
    }
    data.update(_row(proposal, PROPOSAL_FIELDS))
    data["partners"] = [_row(p, PARTNER_FIELDS) for p in proposal.partners]
    data["measures"] = [_row(m, MEASURE_FIELDS) for m in proposal.measures]
    data["kpis"] = [_row(k, KPI_FIELDS) for k in proposal.kpis]
    data["attachments"] = [_row(a, ATTACHMENT_FIELDS) for a in proposal.attachments]
    return data


def with_defaults(snapshot: dict[str, Any] | None) -> dict[str, Any]:
    """A stored snapshot with every key present, so that older or partial snapshots still render."""
    data: dict[str, Any] = {name: None for name in PROPOSAL_FIELDS}
    data.update({"snapshot_version": None, "proposal_id": None, "receipt_number": None, "submitted_at": None,
                 "competition": {}, "applicant": {}, "partners": [], "measures": [], "kpis": [], "attachments": []})
    data.update(snapshot or {})
    return data
