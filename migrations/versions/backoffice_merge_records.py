"""Merge records: what each merge moved, so that it can be undone exactly

Revision ID: backoffice_merge_records
Revises: b68d2f612426
Create Date: 2026-12-07 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'backoffice_merge_records'
down_revision = 'b68d2f612426'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('merge_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('previous_status', sa.String(length=20), nullable=False),
    sa.Column('moved_vote_ids', sa.JSON(), nullable=False),
    sa.Column('dropped_votes', sa.JSON(), nullable=False),
    sa.Column('added_follow_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_merge_records_moderator_id_users')),
    sa.ForeignKeyConstraint(['source_id'], ['submissions.id'], name=op.f('fk_merge_records_source_id_submissions')),
    sa.ForeignKeyConstraint(['target_id'], ['submissions.id'], name=op.f('fk_merge_records_target_id_submissions')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['users.id'], name=op.f('fk_merge_records_undone_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_records'))
    )
    with op.batch_alter_table('merge_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_records_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_merge_records_target_id'), ['target_id'], unique=False)


def downgrade():
    with op.batch_alter_table('merge_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_records_target_id'))
        batch_op.drop_index(batch_op.f('ix_merge_records_source_id'))
    op.drop_table('merge_records')
