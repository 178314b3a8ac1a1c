"""proposal list indexes: the admin list's order and grouped counts read from indexes at scale

Revision ID: f240c26f4d97
Revises: e092b8b0ef02
Create Date: 2026-11-23 23:48:17.673306

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f240c26f4d97'
down_revision = 'e092b8b0ef02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index('ix_proposals_competition_groups', ['competition_id', 'status', 'sector', 'eligibility'], unique=False)
        batch_op.create_index('ix_proposals_competition_submitted', ['competition_id', 'submitted_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_proposals_competition_submitted')
        batch_op.drop_index('ix_proposals_competition_groups')
