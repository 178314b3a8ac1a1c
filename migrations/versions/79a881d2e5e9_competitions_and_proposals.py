"""competitions, criteria, proposals with partners, measures, KPIs and attachments

Revision ID: 79a881d2e5e9
Revises: 1484f8221421
Create Date: 2026-11-23 19:39:45.027303

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '79a881d2e5e9'
down_revision = '1484f8221421'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('measure', sa.String(length=200), nullable=False),
    sa.Column('call_text', sa.Text(), nullable=False),
    sa.Column('eligibility_rules', sa.Text(), nullable=False),
    sa.Column('sectors', sa.JSON(), nullable=False),
    sa.Column('phase', sa.String(length=12), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('submission_opens_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submission_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('winners_min', sa.Integer(), nullable=False),
    sa.Column('winners_max', sa.Integer(), nullable=False),
    sa.Column('budget_cents', sa.BigInteger(), nullable=False),
    sa.Column('funding_sources', sa.JSON(), nullable=False),
    sa.Column('contract_months', sa.Integer(), nullable=False),
    sa.Column('scale_min', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('scale_max', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('scale_step', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('reviews_per_proposal', sa.Integer(), nullable=False),
    sa.Column('blind_review', sa.Boolean(), nullable=False),
    sa.Column('other_reviews_visibility', sa.String(length=10), nullable=False),
    sa.Column('overall_threshold', sa.Numeric(precision=8, scale=3), nullable=True),
    sa.Column('receipt_counter', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("other_reviews_visibility IN ('never', 'after_own', 'always')", name=op.f('ck_competitions_other_reviews_visibility_known')),
    sa.CheckConstraint("phase IN ('draft', 'open', 'precheck', 'review', 'consensus', 'decision', 'contracting', 'closed')", name=op.f('ck_competitions_phase_known')),
    sa.CheckConstraint('budget_cents >= 0', name=op.f('ck_competitions_budget_not_negative')),
    sa.CheckConstraint('contract_months >= 1', name=op.f('ck_competitions_contract_months_positive')),
    sa.CheckConstraint('reviews_per_proposal >= 1', name=op.f('ck_competitions_reviews_positive')),
    sa.CheckConstraint('scale_max > scale_min AND scale_step > 0', name=op.f('ck_competitions_scale_valid')),
    sa.CheckConstraint('winners_min >= 1 AND winners_max >= winners_min', name=op.f('ck_competitions_winners_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_competitions_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competitions_phase'), ['phase'], unique=False)

    op.create_table('criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('name_de', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('rubric_de', sa.Text(), nullable=False),
    sa.Column('rubric_en', sa.Text(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=3), nullable=False),
    sa.Column('threshold', sa.Numeric(precision=4, scale=2), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.CheckConstraint('priority >= 1', name=op.f('ck_criteria_priority_positive')),
    sa.CheckConstraint('weight > 0', name=op.f('ck_criteria_weight_positive')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_criteria_competition_id_competitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criteria'))
    )
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criteria_competition_id'), ['competition_id'], unique=False)

    op.create_table('proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('network_name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('initiative_kind', sa.String(length=12), nullable=False),
    sa.Column('keywords', sa.String(length=300), nullable=False),
    sa.Column('lead_name', sa.String(length=200), nullable=False),
    sa.Column('lead_street', sa.String(length=200), nullable=False),
    sa.Column('lead_postcode', sa.String(length=10), nullable=False),
    sa.Column('lead_town', sa.String(length=100), nullable=False),
    sa.Column('lead_contact_name', sa.String(length=120), nullable=False),
    sa.Column('lead_contact_email', sa.String(length=254), nullable=False),
    sa.Column('lead_contact_phone', sa.String(length=40), nullable=False),
    sa.Column('cluster_analysis', sa.Text(), nullable=False),
    sa.Column('objectives', sa.Text(), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('requested_funding_cents', sa.BigInteger(), nullable=True),
    sa.Column('own_contribution_cents', sa.BigInteger(), nullable=True),
    sa.Column('receipt_number', sa.String(length=30), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eligibility', sa.String(length=12), nullable=True),
    sa.Column('eligibility_reason', sa.Text(), nullable=False),
    sa.Column('precheck_checklist', sa.JSON(), nullable=True),
    sa.Column('prechecked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('prechecked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("eligibility IS NULL OR eligibility IN ('eligible', 'not_eligible')", name=op.f('ck_proposals_eligibility_known')),
    sa.CheckConstraint("status != 'submitted' OR (receipt_number IS NOT NULL AND snapshot IS NOT NULL)", name=op.f('ck_proposals_submitted_has_receipt')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'withdrawn')", name=op.f('ck_proposals_status_known')),
    sa.CheckConstraint('own_contribution_cents IS NULL OR own_contribution_cents >= 0', name=op.f('ck_proposals_own_contribution_not_negative')),
    sa.CheckConstraint('requested_funding_cents IS NULL OR requested_funding_cents >= 0', name=op.f('ck_proposals_requested_not_negative')),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_proposals_applicant_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_proposals_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prechecked_by_id'], ['users.id'], name=op.f('fk_proposals_prechecked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposals')),
    sa.UniqueConstraint('receipt_number', name='uq_proposals_receipt_number')
    )
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposals_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_eligibility'), ['eligibility'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposals_status'), ['status'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=160), nullable=False),
    sa.Column('mime_type', sa.String(length=120), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_attachments_proposal_id_proposals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('storage_key', name='uq_attachments_storage_key')
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_kpis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.Column('target', sa.Numeric(precision=14, scale=3), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_kpis_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_kpis'))
    )
    with op.batch_alter_table('proposal_kpis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_kpis_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('period', sa.String(length=100), nullable=False),
    sa.Column('cost_cents', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('cost_cents IS NULL OR cost_cents >= 0', name=op.f('ck_proposal_measures_cost_not_negative')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_measures_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_measures'))
    )
    with op.batch_alter_table('proposal_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_measures_proposal_id'), ['proposal_id'], unique=False)

    op.create_table('proposal_partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('in_programme_area', sa.Boolean(), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('size', sa.String(length=10), nullable=False),
    sa.Column('contact_name', sa.String(length=120), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('letter_of_intent', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_partners_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_partners'))
    )
    with op.batch_alter_table('proposal_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_partners_proposal_id'), ['proposal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('proposal_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_partners_proposal_id'))

    op.drop_table('proposal_partners')
    with op.batch_alter_table('proposal_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_measures_proposal_id'))

    op.drop_table('proposal_measures')
    with op.batch_alter_table('proposal_kpis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposal_kpis_proposal_id'))

    op.drop_table('proposal_kpis')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_proposal_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_proposals_status'))
        batch_op.drop_index(batch_op.f('ix_proposals_eligibility'))
        batch_op.drop_index(batch_op.f('ix_proposals_competition_id'))
        batch_op.drop_index(batch_op.f('ix_proposals_applicant_id'))

    op.drop_table('proposals')
    with op.batch_alter_table('criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criteria_competition_id'))

    op.drop_table('criteria')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competitions_phase'))

    op.drop_table('competitions')
