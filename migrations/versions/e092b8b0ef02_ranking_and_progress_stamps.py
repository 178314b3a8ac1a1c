"""ranking and progress stamps: random tokens per competition that change with the inputs of those figures

Revision ID: e092b8b0ef02
Revises: 4b053b091dc2
Create Date: 2026-11-23 22:39:02.564119

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e092b8b0ef02'
down_revision = '4b053b091dc2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ranking_stamp', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('progress_stamp', sa.String(length=16), nullable=True))
    # Existing competitions get random stamps (the app sets new ones from now on).
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE competitions SET ranking_stamp = substr(md5(random()::text || id::text), 1, 16), "
                   "progress_stamp = substr(md5(random()::text || id::text), 1, 16)")
    else:
        op.execute("UPDATE competitions SET ranking_stamp = lower(hex(randomblob(8))), "
                   "progress_stamp = lower(hex(randomblob(8)))")
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.alter_column('ranking_stamp', existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column('progress_stamp', existing_type=sa.String(length=16), nullable=False)


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('progress_stamp')
        batch_op.drop_column('ranking_stamp')
