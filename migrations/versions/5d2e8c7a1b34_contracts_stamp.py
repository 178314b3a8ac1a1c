"""contracts stamp: a random token per competition that changes with everything its contract pages show

Revision ID: 5d2e8c7a1b34
Revises: c3a7d51e9f20
Create Date: 2026-12-07 21:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2e8c7a1b34'
down_revision = 'c3a7d51e9f20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contracts_stamp', sa.String(length=16), nullable=True))
    # Existing competitions get a random stamp (the app sets new ones from now on).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE competitions SET contracts_stamp = substr(md5(random()::text || id::text), 1, 16)")
    else:
        op.execute("UPDATE competitions SET contracts_stamp = lower(hex(randomblob(8)))")
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.alter_column('contracts_stamp', existing_type=sa.String(length=16), nullable=False)


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('contracts_stamp')
