"""contracts: operators, shares, approval steps, team, milestones, reports, files, payments, amendments, reminders

Revision ID: 8dbf82608a13
Revises: 96363e43a817
Create Date: 2026-11-23 20:33:06.050706

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8dbf82608a13'
down_revision = '96363e43a817'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('award_date', sa.Date(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('fixed_cents', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('preliminary_planning', 'planning', 'implementation', 'completed')", name=op.f('ck_contracts_status_known')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_contracts_amount_positive')),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_contracts_end_after_start')),
    sa.CheckConstraint('fixed_cents >= 0 AND fixed_cents <= amount_cents', name=op.f('ck_contracts_fixed_within_amount')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_contracts_competition_id_competitions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contracts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_contracts_decision_id_decisions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_contracts_proposal_id_proposals'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_contracts_signed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('number', name='uq_contracts_number'),
    sa.UniqueConstraint('proposal_id', name='uq_contracts_proposal_id')
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_status'), ['status'], unique=False)

    op.create_table('contract_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(reason) > 0', name=op.f('ck_contract_amendments_reason_required')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_amendments_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_contract_amendments_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_amendments'))
    )
    with op.batch_alter_table('contract_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_amendments_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_approval_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_approval_steps_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_approval_steps'))
    )
    with op.batch_alter_table('contract_approval_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_approval_steps_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_funding_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('share', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.CheckConstraint('share > 0 AND share <= 100', name=op.f('ck_contract_funding_shares_share_in_range')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_funding_shares_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_funding_shares')),
    sa.UniqueConstraint('contract_id', 'source', name='uq_contract_funding_shares_contract_source')
    )
    with op.batch_alter_table('contract_funding_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_funding_shares_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('target', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=3), nullable=False),
    sa.Column('tranche_cents', sa.BigInteger(), nullable=False),
    sa.Column('rule', sa.String(length=10), nullable=False),
    sa.Column('minimum_level', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('cap', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("rule IN ('binary', 'pro_rata')", name=op.f('ck_contract_milestones_rule_known')),
    sa.CheckConstraint('cap > 0 AND cap <= 1', name=op.f('ck_contract_milestones_cap_in_range')),
    sa.CheckConstraint('minimum_level >= 0', name=op.f('ck_contract_milestones_minimum_level_not_negative')),
    sa.CheckConstraint('target != baseline', name=op.f('ck_contract_milestones_target_differs_from_baseline')),
    sa.CheckConstraint('tranche_cents >= 0', name=op.f('ck_contract_milestones_tranche_not_negative')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_contract_milestones_weight_positive')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_milestones_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestones'))
    )
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_milestones_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_milestones_due_date'), ['due_date'], unique=False)

    op.create_table('contract_operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_operators_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_operators'))
    )
    with op.batch_alter_table('contract_operators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_operators_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_team_members_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_team_members'))
    )
    with op.batch_alter_table('contract_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_team_members_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('due_soon', 'overdue')", name=op.f('ck_contract_reminders_kind_known')),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_reminders_milestone_id_contract_milestones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_reminders')),
    sa.UniqueConstraint('milestone_id', 'kind', 'sent_on', name='uq_contract_reminders_milestone_kind_day')
    )
    with op.batch_alter_table('contract_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_reminders_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('contract_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('achieved', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('evidence_text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verified_by_id', sa.Integer(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("status != 'rejected' OR length(rejection_reason) > 0", name=op.f('ck_contract_reports_rejection_has_reason')),
    sa.CheckConstraint("status IN ('submitted', 'accepted', 'rejected')", name=op.f('ck_contract_reports_status_known')),
    sa.CheckConstraint('achieved >= 0', name=op.f('ck_contract_reports_achieved_not_negative')),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_reports_milestone_id_contract_milestones'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_contract_reports_submitted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['verified_by_id'], ['users.id'], name=op.f('fk_contract_reports_verified_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_reports'))
    )
    with op.batch_alter_table('contract_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_reports_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_reports_status'), ['status'], unique=False)
        batch_op.create_index('uq_contract_reports_one_open', ['milestone_id'], unique=True, sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))

    op.create_table('contract_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=160), nullable=False),
    sa.Column('mime_type', sa.String(length=120), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'evidence') = (report_id IS NOT NULL)", name=op.f('ck_contract_files_evidence_has_report')),
    sa.CheckConstraint("kind IN ('document', 'evidence')", name=op.f('ck_contract_files_kind_known')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_files_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['contract_reports.id'], name=op.f('fk_contract_files_report_id_contract_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_contract_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_files')),
    sa.UniqueConstraint('storage_key', name='uq_contract_files_storage_key')
    )
    with op.batch_alter_table('contract_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_files_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_files_report_id'), ['report_id'], unique=False)

    op.create_table('contract_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('calculation', sa.JSON(), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'milestone') = (milestone_id IS NOT NULL)", name=op.f('ck_contract_payments_milestone_iff_kind')),
    sa.CheckConstraint("kind IN ('fixed', 'milestone')", name=op.f('ck_contract_payments_kind_known')),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_contract_payments_amount_not_negative')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_payments_contract_id_contracts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_payments_milestone_id_contract_milestones'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['released_by_id'], ['users.id'], name=op.f('fk_contract_payments_released_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['contract_reports.id'], name=op.f('fk_contract_payments_report_id_contract_reports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_payments')),
    sa.UniqueConstraint('milestone_id', name='uq_contract_payments_milestone_id')
    )
    with op.batch_alter_table('contract_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_payments_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_payments_released_at'), ['released_at'], unique=False)
        batch_op.create_index('uq_contract_payments_fixed_once', ['contract_id'], unique=True, sqlite_where=sa.text("kind = 'fixed'"), postgresql_where=sa.text("kind = 'fixed'"))

    op.create_table('contract_payment_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('share', sa.Numeric(precision=7, scale=4), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_contract_payment_parts_amount_not_negative')),
    sa.ForeignKeyConstraint(['payment_id'], ['contract_payments.id'], name=op.f('fk_contract_payment_parts_payment_id_contract_payments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_payment_parts')),
    sa.UniqueConstraint('payment_id', 'source', name='uq_contract_payment_parts_payment_source')
    )
    with op.batch_alter_table('contract_payment_parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_payment_parts_payment_id'), ['payment_id'], unique=False)



def downgrade():
    with op.batch_alter_table('contract_payment_parts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_payment_parts_payment_id'))

    op.drop_table('contract_payment_parts')
    with op.batch_alter_table('contract_payments', schema=None) as batch_op:
        batch_op.drop_index('uq_contract_payments_fixed_once', sqlite_where=sa.text("kind = 'fixed'"), postgresql_where=sa.text("kind = 'fixed'"))
        batch_op.drop_index(batch_op.f('ix_contract_payments_released_at'))
        batch_op.drop_index(batch_op.f('ix_contract_payments_contract_id'))

    op.drop_table('contract_payments')
    with op.batch_alter_table('contract_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_files_report_id'))
        batch_op.drop_index(batch_op.f('ix_contract_files_contract_id'))

    op.drop_table('contract_files')
    with op.batch_alter_table('contract_reports', schema=None) as batch_op:
        batch_op.drop_index('uq_contract_reports_one_open', sqlite_where=sa.text("status = 'submitted'"), postgresql_where=sa.text("status = 'submitted'"))
        batch_op.drop_index(batch_op.f('ix_contract_reports_status'))
        batch_op.drop_index(batch_op.f('ix_contract_reports_milestone_id'))

    op.drop_table('contract_reports')
    with op.batch_alter_table('contract_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_reminders_milestone_id'))

    op.drop_table('contract_reminders')
    with op.batch_alter_table('contract_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_team_members_contract_id'))

    op.drop_table('contract_team_members')
    with op.batch_alter_table('contract_operators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_operators_contract_id'))

    op.drop_table('contract_operators')
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_milestones_due_date'))
        batch_op.drop_index(batch_op.f('ix_contract_milestones_contract_id'))

    op.drop_table('contract_milestones')
    with op.batch_alter_table('contract_funding_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_funding_shares_contract_id'))

    op.drop_table('contract_funding_shares')
    with op.batch_alter_table('contract_approval_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_approval_steps_contract_id'))

    op.drop_table('contract_approval_steps')
    with op.batch_alter_table('contract_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_amendments_contract_id'))

    op.drop_table('contract_amendments')
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contracts_status'))
        batch_op.drop_index(batch_op.f('ix_contracts_decision_id'))
        batch_op.drop_index(batch_op.f('ix_contracts_competition_id'))

    op.drop_table('contracts')
