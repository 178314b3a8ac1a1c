"""conflict findings: detected conflicts keep what matched as kinds with parameters

Existing detected conflicts get their findings parsed from the English reason text they
stored ("same_email_domain: juror e-mail domain 'x' matches lead contact 'y'; ..."); a part
that does not parse is kept as a text finding, so nothing is lost. Downgrade drops the
column; the English reason text was never changed.

Revision ID: a7c3e91d5b20
Revises: 5e1a7c0b3d14
Create Date: 2026-12-07 21:10:00.000000

"""
import re

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c3e91d5b20'
down_revision = '5e1a7c0b3d14'
branch_labels = None
depends_on = None

_WHOSE = r"(?P<whose>lead contact|partner '(?P<partner>.*)' contact|partner contact)"
_PATTERNS = (
    ("organisation_is_lead", re.compile(
        r"juror organisation '(?P<juror_organisation>.*)' is the lead organisation '(?P<lead_organisation>.*)'")),
    ("organisation_is_partner", re.compile(
        r"juror organisation '(?P<juror_organisation>.*)' is partner '(?P<partner>.*)'")),
    ("email_is_contact", re.compile(r"juror e-mail '(?P<email>.*)' is the " + _WHOSE + " address")),
    ("domain_matches_contact", re.compile(
        r"juror e-mail domain '(?P<domain>.*)' matches " + _WHOSE + r" '(?P<address>.*)'")),
    ("name_is_contact", re.compile(r"juror '(?P<juror_name>.*)' is named as " + _WHOSE + r" '(?P<contact_name>.*)'")),
)
_CODE_PREFIX = re.compile(r"^(same_organisation|same_email_domain|named_partner): ")

conflicts = sa.table('conflicts', sa.column('id', sa.Integer), sa.column('source', sa.String),
                     sa.column('reason', sa.Text), sa.column('findings', sa.JSON))


def parse_finding(part: str) -> dict:
    """One English detail as a finding; a text finding when it matches no known sentence."""
    for kind, pattern in _PATTERNS:
        match = pattern.fullmatch(part)
        if match is None:
            continue
        params = {k: v for k, v in match.groupdict().items() if k not in {"whose", "partner"} and v is not None}
        if "whose" in match.groupdict():
            lead = match.group("whose") == "lead contact"
            params["owner"] = "lead" if lead else "partner"
            if not lead:
                params["partner"] = match.group("partner") or ""
        elif "partner" in match.groupdict():
            params["partner"] = match.group("partner")
        return {"kind": kind, "params": params}
    return {"kind": "text", "params": {"text": part}}


def parse_reason(reason: str) -> list:
    """The findings in a stored reason text."""
    return [parse_finding(_CODE_PREFIX.sub("", part).strip()) for part in (reason or "").split("; ") if part.strip()]


def upgrade():
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('findings', sa.JSON(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.select(conflicts.c.id, conflicts.c.reason).where(conflicts.c.source == 'detected')).all()
    for conflict_id, reason in rows:
        bind.execute(conflicts.update().where(conflicts.c.id == conflict_id).values(findings=parse_reason(reason)))


def downgrade():
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_column('findings')
