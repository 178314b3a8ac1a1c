"""Generate a complete competition of a given size for the benchmark, with bulk Core inserts.

Size S: 200 proposals, 20 jurors; size L: 2,000 proposals, 120 jurors; both with 8 criteria,
3 reviews per proposal (all submitted except one draft per juror, which the score-save test
edits), 20 awarded decisions with contracts, milestones and reports, and published directory
networks. Every user has the password PASSWORD (one scrypt hash, computed once).

Usage: .venv/bin/python bench/generate.py S postgresql://... [--out scenario.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as `python bench/<script>.py`: put the project root (app, bench) on the path
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app.core.time import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402

PASSWORD = "bench-password-2024"  # noqa: S105 - benchmark data only
SECTORS = ["Energie", "Mobilität", "Gesundheit", "Wasser", "Ernährung", "Bau", "Digitales", "Bildung"]
TOWNS = ["Leipzig", "Dresden", "Chemnitz", "Zwickau", "Görlitz", "Bautzen", "Plauen", "Freiberg"]
CRITERIA = ["Innovation", "Clusteranalyse", "Ziele", "Maßnahmen", "Finanzierung", "Partner", "Nachhaltigkeit",
            "Wirkung"]


@dataclass(frozen=True)
class Spec:
    """How big a generated competition is."""

    proposals: int
    jurors: int
    contracts: int = 20
    criteria: int = 8
    reviews_per_proposal: int = 3
    partners: int = 4
    measures: int = 3
    kpis: int = 3
    milestones: int = 4


SIZES = {"S": Spec(proposals=200, jurors=20), "L": Spec(proposals=2000, jurors=120)}


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert many rows with one executemany; return their new ids in the order given."""
    if not rows:
        return []
    table = model.__table__
    result = db.session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]


def _snapshot(template: dict, proposal: dict, competition: dict, applicant: dict, partners, measures, kpis) -> dict:
    """One snapshot per proposal: the shared shape with this proposal's own fields."""
    snap = dict(template)
    snap.update({key: proposal[key] for key in (
        "network_name", "short_name", "sector", "initiative_kind", "keywords", "lead_name", "lead_street",
        "lead_postcode", "lead_town", "lead_contact_name", "lead_contact_email", "lead_contact_phone",
        "cluster_analysis", "objectives", "duration_months", "requested_funding_cents",
        "own_contribution_cents")})
    snap.update({"proposal_id": proposal["id"], "competition": competition, "applicant": applicant,
                 "receipt_number": proposal["receipt_number"], "submitted_at": proposal["submitted_at"].isoformat(),
                 "partners": partners, "measures": measures, "kpis": kpis, "attachments": []})
    return snap


def populate(spec: Spec, seed: int = 7, prefix: str = "") -> dict:
    """Fill the current app's database with one competition of the given size; return the scenario."""
    from app.accounts.models import User
    from app.competitions.models import Competition, Criterion
    from app.contracts.models import (
        Contract,
        ContractFundingShare,
        ContractOperator,
        Milestone,
        ProgressReport,
    )
    from app.decisions.models import Decision
    from app.jury.models import Assignment, JuryMembership, Review, Score
    from app.proposals.models import Proposal, ProposalKpi, ProposalMeasure, ProposalPartner

    rng = random.Random(seed)
    now = utcnow()
    password_hash = generate_password_hash(PASSWORD, method="scrypt")

    def user_rows(kind: str, count: int, **extra) -> list[dict]:
        return [{"email": f"{prefix}{kind}{i}@bench.example", "name": f"{kind.title()} {i}",
                 "organisation": f"Org {kind} {i}", "password_hash": password_hash, "locale": "de",
                 "active": True, "is_admin": False, "email_confirmed_at": now, "privacy_consent_at": now,
                 **extra} for i in range(1, count + 1)]

    admin_id = _insert(User, user_rows("admin", 1, is_admin=True))[0]
    applicant_ids = _insert(User, user_rows("applicant", spec.proposals))
    juror_ids = _insert(User, user_rows("juror", spec.jurors))

    competition_row = {
        "title": f"{prefix}Bench-Wettbewerb", "programme": "Programm", "measure": "Netzwerke",
        "call_text": "## Aufruf\n\nText des Aufrufs.", "eligibility_rules": "Regel 1\nRegel 2",
        "sectors": SECTORS, "phase": "review", "timezone": "Europe/Berlin",
        "submission_opens_at": now - timedelta(days=90), "submission_deadline": now - timedelta(days=30),
        "review_deadline": now + timedelta(days=30), "winners_min": 1, "winners_max": max(1, spec.contracts),
        "budget_cents": 50_000_000_00, "funding_sources": [{"name": "EFRE", "share": "75"},
                                                            {"name": "Land", "share": "25"}],
        "contract_months": 24, "scale_min": Decimal("0"), "scale_max": Decimal("5"), "scale_step": Decimal("0.5"),
        "reviews_per_proposal": spec.reviews_per_proposal, "blind_review": False,
        "other_reviews_visibility": "after_own", "receipt_counter": spec.proposals, "created_by_id": admin_id,
    }
    competition_id = _insert(Competition, [competition_row])[0]
    criterion_ids = _insert(Criterion, [
        {"competition_id": competition_id, "name_de": CRITERIA[i % len(CRITERIA)], "name_en": f"Criterion {i + 1}",
         "rubric_de": "0 = schwach\n5 = stark", "rubric_en": "0 = weak\n5 = strong",
         "weight": Decimal(str(1 + i % 3)), "threshold": Decimal("2"), "priority": i + 1}
        for i in range(spec.criteria)])

    # Proposals: one per applicant, submitted and eligible, with partners, measures, KPIs and a snapshot.
    proposal_rows = []
    for i, applicant_id in enumerate(applicant_ids):
        sector = SECTORS[i % len(SECTORS)]
        proposal_rows.append({
            "competition_id": competition_id, "applicant_id": applicant_id, "status": "submitted", "version": 2,
            "network_name": f"Netzwerk {prefix}{i + 1} {sector}", "short_name": f"NW{i + 1}", "sector": sector,
            "initiative_kind": "companies", "keywords": f"{sector.lower()}, kooperation, stichwort{i % 50}",
            "lead_name": f"Leitpartner {i + 1}", "lead_street": "Hauptstraße 1", "lead_postcode": "04109",
            "lead_town": TOWNS[i % len(TOWNS)], "lead_contact_name": f"Kontakt {i + 1}",
            "lead_contact_email": f"lead{i + 1}@bench.example", "lead_contact_phone": "0341 123456",
            "cluster_analysis": "Analyse des Clusters. " * 20, "objectives": "Ziele des Netzwerks. " * 15,
            "duration_months": 24, "requested_funding_cents": rng.randint(50, 400) * 1000_00,
            "own_contribution_cents": rng.randint(10, 100) * 1000_00,
            "receipt_number": f"{prefix}B-{competition_id}-{i + 1:05d}", "submitted_at": now - timedelta(days=40),
            "snapshot": {"snapshot_version": 1},  # the full snapshot follows once the ids are known
            "eligibility": "eligible", "precheck_checklist": {"Regel 1": True, "Regel 2": True},
            "prechecked_at": now - timedelta(days=25), "prechecked_by_id": admin_id,
        })
    proposal_ids = _insert(Proposal, proposal_rows)
    partner_rows, measure_rows, kpi_rows = [], [], []
    for pid, row in zip(proposal_ids, proposal_rows, strict=True):
        row["id"] = pid
        for k in range(spec.partners):
            partner_rows.append({"proposal_id": pid, "position": k, "organisation": f"Firma {pid}-{k}",
                                 "town": TOWNS[(pid + k) % len(TOWNS)], "in_programme_area": True,
                                 "sector": row["sector"], "size": "small", "contact_name": f"Person {k}",
                                 "contact_email": f"p{pid}-{k}@bench.example", "letter_of_intent": True})
        for k in range(spec.measures):
            measure_rows.append({"proposal_id": pid, "position": k, "title": f"Maßnahme {k + 1}",
                                 "description": "Beschreibung der Maßnahme.", "period": "2025",
                                 "cost_cents": 10_000_00 * (k + 1)})
        for k in range(spec.kpis):
            kpi_rows.append({"proposal_id": pid, "position": k, "indicator": f"Kennzahl {k + 1}", "unit": "Anzahl",
                             "baseline": Decimal("0"), "target": Decimal(str(10 * (k + 1)))})
    _insert(ProposalPartner, partner_rows)
    _insert(ProposalMeasure, measure_rows)
    _insert(ProposalKpi, kpi_rows)
    competition_json = {"id": competition_id, "title": competition_row["title"], "programme": "Programm",
                        "measure": "Netzwerke"}
    template = {"snapshot_version": 1}
    plain = ("organisation", "town", "in_programme_area", "sector", "size", "contact_name", "contact_email",
             "letter_of_intent")
    by_proposal: dict[int, dict[str, list]] = {pid: {"partners": [], "measures": [], "kpis": []}
                                               for pid in proposal_ids}
    for p in partner_rows:
        by_proposal[p["proposal_id"]]["partners"].append({k: p[k] for k in plain})
    for m in measure_rows:
        by_proposal[m["proposal_id"]]["measures"].append(
            {"title": m["title"], "description": m["description"], "period": m["period"],
             "cost_cents": m["cost_cents"]})
    for k in kpi_rows:
        by_proposal[k["proposal_id"]]["kpis"].append(
            {"indicator": k["indicator"], "unit": k["unit"], "baseline": str(k["baseline"]),
             "target": str(k["target"])})
    proposal_table = Proposal.__table__
    snapshots = []
    for row, applicant_id in zip(proposal_rows, applicant_ids, strict=True):
        parts = by_proposal[row["id"]]
        applicant = {"id": applicant_id, "name": f"Applicant {applicant_id}", "email": "", "organisation": ""}
        snapshots.append({"b_id": row["id"], "snapshot": _snapshot(template, row, competition_json, applicant,
                                                                   parts["partners"], parts["measures"],
                                                                   parts["kpis"])})
    from sqlalchemy import bindparam, update
    db.session.execute(update(proposal_table).where(proposal_table.c.id == bindparam("b_id"))
                       .values(snapshot=bindparam("snapshot")).execution_options(synchronize_session=False),
                       snapshots)

    # Jury: signed memberships; assignments round-robin so every juror has the same load (±1).
    _insert(JuryMembership, [
        {"competition_id": competition_id, "user_id": uid, "status": "active",
         "sectors": [SECTORS[i % len(SECTORS)], SECTORS[(i + 3) % len(SECTORS)]], "keywords": "kooperation",
         "declaration_signed_at": now - timedelta(days=20), "invited_by_id": admin_id}
        for i, uid in enumerate(juror_ids)])
    assignment_rows, review_pairs = [], []
    slot = 0
    for pid in proposal_ids:
        for _ in range(spec.reviews_per_proposal):
            uid = juror_ids[slot % len(juror_ids)]
            slot += 1
            assignment_rows.append({"proposal_id": pid, "user_id": uid, "source": "auto", "created_by_id": admin_id})
            review_pairs.append((pid, uid))
    _insert(Assignment, assignment_rows)
    # The last review of each juror stays a draft: the scoring form and the score-save test edit it.
    draft_of: dict[int, int] = {}
    for pid, uid in review_pairs:
        draft_of[uid] = pid
    review_ids = _insert(Review, [
        {"proposal_id": pid, "user_id": uid,
         "status": "draft" if draft_of[uid] == pid else "submitted", "overall_comment": "Gesamteindruck.",
         "version": 2, "submitted_at": None if draft_of[uid] == pid else now - timedelta(days=5)}
        for pid, uid in review_pairs])
    score_rows = []
    for rid in review_ids:
        for cid in criterion_ids:
            score_rows.append({"review_id": rid, "criterion_id": cid,
                               "value": Decimal(rng.randint(0, 10)) / 2, "justification": "Begründung."})
    _insert(Score, score_rows)

    # Decisions and contracts for the first `contracts` proposals.
    awarded = proposal_ids[:spec.contracts]
    award_day = date.today() - timedelta(days=60)
    decision_ids = _insert(Decision, [
        {"proposal_id": pid, "outcome": "awarded", "rationale": "Überzeugend.", "award_date": award_day,
         "rank_at_decision": i + 1, "total_at_decision": "4.000", "method_at_decision": "mean",
         "decided_by_id": admin_id} for i, pid in enumerate(awarded)])
    contract_ids = _insert(Contract, [
        {"proposal_id": pid, "decision_id": did, "competition_id": competition_id,
         "number": f"{prefix}V-{competition_id}-{i + 1:03d}", "award_date": award_day,
         "start_date": award_day + timedelta(days=10), "end_date": award_day + timedelta(days=740),
         "amount_cents": 200_000_00, "fixed_cents": 40_000_00, "status": "implementation",
         "signed_on": award_day + timedelta(days=5), "signed_at": now - timedelta(days=55),
         "signed_by_id": admin_id, "created_by_id": admin_id}
        for i, (pid, did) in enumerate(zip(awarded, decision_ids, strict=True))])
    _insert(ContractOperator, [{"contract_id": cid, "position": 0, "name": f"Betreiber {cid}", "role": "Leitung"}
                               for cid in contract_ids])
    _insert(ContractFundingShare, [
        {"contract_id": cid, "position": k, "source": source, "share": Decimal(share)}
        for cid in contract_ids for k, (source, share) in enumerate((("EFRE", "75"), ("Land", "25")))])
    milestone_rows = []
    for cid in contract_ids:
        for k in range(spec.milestones):
            milestone_rows.append({
                "contract_id": cid, "title": f"Meilenstein {k + 1}", "unit": "Anzahl", "baseline": Decimal("0"),
                "target": Decimal("10"), "due_date": award_day + timedelta(days=90 * (k + 1)),
                "weight": Decimal("1"), "tranche_cents": 40_000_00, "rule": "pro_rata",
                "minimum_level": Decimal("0.5"), "cap": Decimal("1")})
    milestone_ids = _insert(Milestone, milestone_rows)
    report_rows = []
    for index, mid in enumerate(milestone_ids):
        k = index % spec.milestones
        if k == 0:
            report_rows.append({"milestone_id": mid, "achieved": Decimal("8"), "evidence_text": "Nachweis.",
                                "status": "accepted", "submitted_by_id": None, "verified_at": now,
                                "verified_by_id": admin_id})
        elif k == 1:
            report_rows.append({"milestone_id": mid, "achieved": Decimal("5"), "evidence_text": "Nachweis.",
                                "status": "submitted", "submitted_by_id": None, "verified_at": None,
                                "verified_by_id": None})
    _insert(ProgressReport, report_rows)

    networks = _directory(awarded, proposal_rows, admin_id, now, prefix)
    db.session.flush()
    applicant_of = dict(zip(proposal_ids, applicant_ids, strict=True))
    return {
        "password": PASSWORD, "competition_id": competition_id,
        "admin": f"{prefix}admin1@bench.example",
        "applicant": f"{prefix}applicant1@bench.example", "applicant_proposal_id": proposal_ids[0],
        "operator": f"{prefix}applicant1@bench.example", "contract_id": contract_ids[0],
        "operator_user_id": applicant_of[awarded[0]],
        "jurors": [{"email": f"{prefix}juror{i + 1}@bench.example", "user_id": uid, "draft_proposal_id": draft_of[uid]}
                   for i, uid in enumerate(juror_ids)],
        "criterion_ids": criterion_ids, "networks": networks, "proposals": len(proposal_ids),
    }


def _directory(awarded: list[int], proposal_rows: list[dict], admin_id: int, now, prefix: str) -> int:
    """Published funded networks for the awarded proposals; skipped when the directory is not there."""
    try:
        from app.directory.models import Network, NetworkMember
    except ImportError:  # the directory is optional for the benchmark
        return 0
    names = {row["id"]: row for row in proposal_rows}
    network_ids = _insert(Network, [
        {"slug": f"{prefix.lower()}netzwerk-{pid}", "kind": "funded", "proposal_id": pid,
         "name": names[pid]["network_name"], "summary": "Ein gefördertes Netzwerk.",
         "description": "Beschreibung.", "sector": names[pid]["sector"], "region": names[pid]["lead_town"],
         "operator_name": names[pid]["lead_name"], "contact_email": names[pid]["lead_contact_email"],
         "published": True, "published_at": now, "open_for_members": True, "created_by_id": admin_id}
        for pid in awarded])
    _insert(NetworkMember, [
        {"network_id": nid, "company_name": f"Mitglied {nid}-{k}", "town": TOWNS[k % len(TOWNS)],
         "sector": SECTORS[k % len(SECTORS)], "listed_consent": True, "consent_recorded_at": now,
         "source": "manual"} for nid in network_ids for k in range(5)])
    return len(network_ids)


def generate(size: str, database_url: str) -> dict:
    """Build the size-S or size-L competition in the (migrated, empty) database; return the scenario."""
    from app import create_app

    app = create_app(SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        scenario = populate(SIZES[size])
        db.session.commit()
        # Planner statistics and the visibility map for the bulk-loaded tables, as autovacuum would make
        # them shortly after such a load in production; without them PostgreSQL plans the first queries
        # for empty tables and cannot answer from an index alone.
        # The CHECKPOINT then writes the load's dirty pages now, not while the pages are being measured.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("CHECKPOINT")
    scenario["size"] = size
    return scenario


def main() -> int:
    """Command line: generate and write the scenario JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("database_url")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    scenario = generate(args.size, args.database_url)
    text = json.dumps(scenario, indent=2)
    if args.out:
        args.out.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
