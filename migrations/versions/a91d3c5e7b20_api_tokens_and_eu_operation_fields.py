"""api tokens and EU operation fields: personal API tokens (hashed, scoped, expiring) and the
fields the EU list of operations needs on competitions and contracts

Revision ID: a91d3c5e7b20
Revises: a7d3c9e1f402
Create Date: 2026-12-07 21:10:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a91d3c5e7b20'
down_revision = 'a7d3c9e1f402'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=12), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("scope IN ('read', 'read_write')", name=op.f('ck_api_tokens_scope_known')),
        sa.CheckConstraint('expires_at > created_at', name=op.f('ck_api_tokens_expires_after_creation')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('eu_fund', sa.String(length=20), server_default='ERDF', nullable=False))
        batch_op.add_column(sa.Column('eu_funding_source', sa.String(length=80), server_default='EFRE',
                                      nullable=False))
        batch_op.add_column(sa.Column('specific_objective', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('intervention_type', sa.String(length=200), server_default='',
                                      nullable=False))

    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('operation_purpose', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('operation_achievements', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('location_postcode', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('country', sa.String(length=2), server_default='DE', nullable=False))


def downgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('country')
        batch_op.drop_column('location_postcode')
        batch_op.drop_column('operation_achievements')
        batch_op.drop_column('operation_purpose')

    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('intervention_type')
        batch_op.drop_column('specific_objective')
        batch_op.drop_column('eu_funding_source')
        batch_op.drop_column('eu_fund')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
