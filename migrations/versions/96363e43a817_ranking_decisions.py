"""ranking: decisions and recorded draws

Revision ID: 96363e43a817
Revises: b02d5109df95
Create Date: 2026-11-23 19:46:50.650259

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96363e43a817'
down_revision = 'b02d5109df95'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ranking_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_ranking_draws_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_ranking_draws_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ranking_draws'))
    )
    with op.batch_alter_table('ranking_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ranking_draws_competition_id'), ['competition_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('meeting_note', sa.Text(), nullable=False),
    sa.Column('award_date', sa.Date(), nullable=True),
    sa.Column('rank_at_decision', sa.Integer(), nullable=True),
    sa.Column('total_at_decision', sa.String(length=20), nullable=True),
    sa.Column('method_at_decision', sa.String(length=20), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('letter_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("outcome != 'awarded' OR award_date IS NOT NULL", name=op.f('ck_decisions_award_has_date')),
    sa.CheckConstraint("outcome IN ('shortlisted', 'awarded', 'reserve', 'rejected')", name=op.f('ck_decisions_outcome_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_decisions_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('proposal_id', name='uq_decisions_proposal_id')
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_outcome'), ['outcome'], unique=False)



def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_outcome'))

    op.drop_table('decisions')
    with op.batch_alter_table('ranking_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ranking_draws_competition_id'))

    op.drop_table('ranking_draws')
