"""applicant outcomes and letters: legal remedies notice per competition, ineligibility letters, letter copies

Revision ID: 5e1a7c0b3d14
Revises: b5d1e7a3c9f2
Create Date: 2026-12-07 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1a7c0b3d14'
down_revision = 'b5d1e7a3c9f2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_remedies_de', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('legal_remedies_en', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ineligibility_letter_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ineligibility_letter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_proposals_ineligibility_letter_id_outbox_messages'),
                                    'outbox_messages', ['ineligibility_letter_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_decisions_letter_id_outbox_messages'),
                                    'outbox_messages', ['letter_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_letter_id_outbox_messages'), type_='foreignkey')
        batch_op.drop_column('letter_id')
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposals_ineligibility_letter_id_outbox_messages'),
                                 type_='foreignkey')
        batch_op.drop_column('ineligibility_letter_id')
        batch_op.drop_column('ineligibility_letter_sent_at')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_column('legal_remedies_en')
        batch_op.drop_column('legal_remedies_de')
