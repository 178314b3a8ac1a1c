"""user session version: sessions and remember cookies carry it; raising it ends them all

Revision ID: c3a7d51e9f20
Revises: f240c26f4d97
Create Date: 2026-12-07 18:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a7d51e9f20'
down_revision = 'f240c26f4d97'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get version 1; sessions signed before (plain ids) are refused by the loader.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
