"""directory: networks, technology fields, members, results posts, contact messages, join requests

Revision ID: 4b053b091dc2
Revises: 8dbf82608a13
Create Date: 2026-11-23 20:54:11.968102

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b053b091dc2'
down_revision = '8dbf82608a13'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=False),
    sa.Column('operator_name', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('external_status', sa.String(length=10), nullable=False),
    sa.Column('open_for_members', sa.Boolean(), nullable=False),
    sa.Column('published', sa.Boolean(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'funded' AND proposal_id IS NOT NULL) OR (kind = 'external' AND proposal_id IS NULL)", name=op.f('ck_networks_funded_has_proposal')),
    sa.CheckConstraint("external_status IN ('active', 'inactive')", name=op.f('ck_networks_external_status_known')),
    sa.CheckConstraint("kind IN ('funded', 'external')", name=op.f('ck_networks_kind_known')),
    sa.CheckConstraint('NOT published OR published_at IS NOT NULL', name=op.f('ck_networks_published_has_date')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_networks_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_networks_proposal_id_proposals'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('proposal_id', name='uq_networks_proposal_id'),
    sa.UniqueConstraint('slug', name='uq_networks_slug')
    )
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_networks_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_networks_published'), ['published'], unique=False)
        batch_op.create_index(batch_op.f('ix_networks_region'), ['region'], unique=False)
        batch_op.create_index(batch_op.f('ix_networks_sector'), ['sector'], unique=False)

    op.create_table('network_contact_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('sender_name', sa.String(length=120), nullable=False),
    sa.Column('sender_email', sa.String(length=254), nullable=False),
    sa.Column('sender_organisation', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_contact_messages_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_network_contact_messages_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_contact_messages'))
    )
    with op.batch_alter_table('network_contact_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_contact_messages_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_contact_messages_network_id'), ['network_id'], unique=False)

    op.create_table('network_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('listed_consent', sa.Boolean(), nullable=False),
    sa.Column('consent_recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('proposal_partner_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('proposal', 'join_request', 'manual')", name=op.f('ck_network_members_source_known')),
    sa.CheckConstraint('NOT listed_consent OR consent_recorded_at IS NOT NULL', name=op.f('ck_network_members_consent_has_date')),
    sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['users.id'], name=op.f('fk_network_members_consent_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_members_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_partner_id'], ['proposal_partners.id'], name=op.f('fk_network_members_proposal_partner_id_proposal_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_network_members_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_members')),
    sa.UniqueConstraint('network_id', 'proposal_partner_id', name='uq_network_members_network_partner')
    )
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_members_listed_consent'), ['listed_consent'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_members_user_id'), ['user_id'], unique=False)

    op.create_table('network_results_posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('rejection_reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'approved' OR approved_at IS NOT NULL", name=op.f('ck_network_results_posts_approved_has_date')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'rejected')", name=op.f('ck_network_results_posts_status_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_network_results_posts_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_network_results_posts_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_results_posts_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_results_posts'))
    )
    with op.batch_alter_table('network_results_posts', schema=None) as batch_op:
        batch_op.create_index('ix_network_results_posts_network_status', ['network_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_results_posts_status'), ['status'], unique=False)

    op.create_table('network_technology_fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_technology_fields_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_technology_fields'))
    )
    with op.batch_alter_table('network_technology_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_technology_fields_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_technology_fields_network_id'), ['network_id'], unique=False)

    op.create_table('network_join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('town', sa.String(length=100), nullable=False),
    sa.Column('sector', sa.String(length=120), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('listing_consent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('response_message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_network_join_requests_status_known')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_network_join_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['network_members.id'], name=op.f('fk_network_join_requests_member_id_network_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_join_requests_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_network_join_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_join_requests'))
    )
    with op.batch_alter_table('network_join_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_join_requests_network_id'), ['network_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_join_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_network_join_requests_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_network_join_requests_pending', ['network_id', 'user_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))



def downgrade():
    with op.batch_alter_table('network_join_requests', schema=None) as batch_op:
        batch_op.drop_index('uq_network_join_requests_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_network_join_requests_user_id'))
        batch_op.drop_index(batch_op.f('ix_network_join_requests_status'))
        batch_op.drop_index(batch_op.f('ix_network_join_requests_network_id'))

    op.drop_table('network_join_requests')
    with op.batch_alter_table('network_technology_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_technology_fields_network_id'))
        batch_op.drop_index(batch_op.f('ix_network_technology_fields_name'))

    op.drop_table('network_technology_fields')
    with op.batch_alter_table('network_results_posts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_results_posts_status'))
        batch_op.drop_index('ix_network_results_posts_network_status')

    op.drop_table('network_results_posts')
    with op.batch_alter_table('network_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_network_id'))
        batch_op.drop_index(batch_op.f('ix_network_members_listed_consent'))

    op.drop_table('network_members')
    with op.batch_alter_table('network_contact_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_contact_messages_network_id'))
        batch_op.drop_index(batch_op.f('ix_network_contact_messages_created_at'))

    op.drop_table('network_contact_messages')
    with op.batch_alter_table('networks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_networks_sector'))
        batch_op.drop_index(batch_op.f('ix_networks_region'))
        batch_op.drop_index(batch_op.f('ix_networks_published'))
        batch_op.drop_index(batch_op.f('ix_networks_kind'))

    op.drop_table('networks')
