"""milestone instalments: one payment per accepted report instead of one per milestone; milestones can close

Revision ID: b5d1e7a3c9f2
Revises: 5d2e8c7a1b34
Create Date: 2026-12-07 21:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5d1e7a3c9f2'
down_revision = '5d2e8c7a1b34'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closing_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_check_constraint(op.f('ck_contract_milestones_reason_only_when_closed'), "closed_at IS NOT NULL OR closing_reason = ''")
    with op.batch_alter_table('contract_payments', schema=None) as batch_op:
        batch_op.drop_constraint('uq_contract_payments_milestone_id', type_='unique')
        batch_op.create_unique_constraint('uq_contract_payments_report_id', ['report_id'])
        batch_op.create_index(batch_op.f('ix_contract_payments_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_check_constraint(op.f('ck_contract_payments_milestone_has_report'), "kind != 'milestone' OR report_id IS NOT NULL")


def downgrade():
    # Only possible while no milestone has more than one instalment (the old rule: one payment per milestone).
    with op.batch_alter_table('contract_payments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contract_payments_milestone_has_report'), type_='check')
        batch_op.drop_index(batch_op.f('ix_contract_payments_milestone_id'))
        batch_op.drop_constraint('uq_contract_payments_report_id', type_='unique')
        batch_op.create_unique_constraint('uq_contract_payments_milestone_id', ['milestone_id'])
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contract_milestones_reason_only_when_closed'), type_='check')
        batch_op.drop_column('closing_reason')
        batch_op.drop_column('closed_at')
