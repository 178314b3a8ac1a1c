"""privacy and legal texts: versioned legal pages, consents, deletion requests, erased users, retention end

Revision ID: a7d3c9e1f402
Revises: a7c3e91d5b20
Create Date: 2026-12-07 21:15:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'a7d3c9e1f402'
down_revision = 'a7c3e91d5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'legal_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('body_de', sa.Text(), nullable=False),
        sa.Column('body_en', sa.Text(), nullable=False),
        sa.Column('material', sa.Boolean(), nullable=False),
        sa.Column('enforcement_contact', sa.Text(), nullable=False),
        sa.Column('change_note', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('imprint', 'privacy', 'accessibility')", name=op.f('ck_legal_texts_kind_known')),
        sa.CheckConstraint('version >= 1', name=op.f('ck_legal_texts_version_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_legal_texts_created_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_texts')),
        sa.UniqueConstraint('kind', 'version', name='uq_legal_texts_kind_version'),
    )
    with op.batch_alter_table('legal_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_texts_kind'), ['kind'], unique=False)

    op.create_table(
        'consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('occasion', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consents_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_consents')),
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_user_id'), ['user_id'], unique=False)

    op.create_table(
        'deletion_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('filed_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=False),
        sa.Column('outcome', sa.JSON(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'completed', 'declined')",
                           name=op.f('ck_deletion_requests_status_known')),
        sa.CheckConstraint("channel IN ('self', 'letter')", name=op.f('ck_deletion_requests_channel_known')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_deletion_requests_user_id_users'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['filed_by_id'], ['users.id'], name=op.f('fk_deletion_requests_filed_by_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_deletion_requests_decided_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_requests')),
    )
    with op.batch_alter_table('deletion_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deletion_requests_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deletion_requests_status'), ['status'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('retention_reason', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('retention_reason')
        batch_op.drop_column('retention_until')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
    with op.batch_alter_table('deletion_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deletion_requests_status'))
        batch_op.drop_index(batch_op.f('ix_deletion_requests_user_id'))
    op.drop_table('deletion_requests')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_user_id'))
    op.drop_table('consents')
    with op.batch_alter_table('legal_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_texts_kind'))
    op.drop_table('legal_texts')
