"""Closing the loop: comment counts leave hidden comments out; "is it still a need?" questions;
a webhook's former secret during a rotation's grace period

Revision ID: loop_closing_the_loop
Revises: (re-chained at merge)
Create Date: 2026-12-07 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'loop_closing_the_loop'
down_revision = 'b6cfdc1e871c'
branch_labels = None
depends_on = None

RECOUNT_COMMENTS = (
    "UPDATE submissions SET comment_count = (SELECT COUNT(comments.id) FROM comments "
    "WHERE comments.submission_id = submissions.id AND comments.deleted_at IS NULL{hidden})")


def upgrade():
    op.create_table('still_a_need_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('ask_again', sa.Boolean(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_still_a_need_questions_submission_id_submissions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_still_a_need_questions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_still_a_need_questions'))
    )
    with op.batch_alter_table('still_a_need_questions', schema=None) as batch_op:
        batch_op.create_index('ix_still_a_need_questions_submission_id_id', ['submission_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_still_a_need_questions_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('partner_organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('webhook_previous_secret', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('webhook_previous_secret_until', sa.DateTime(), nullable=True))
    # Hidden comments no longer count: make the stored counts true once.
    op.execute(RECOUNT_COMMENTS.format(hidden=" AND comments.hidden_at IS NULL"))


def downgrade():
    with op.batch_alter_table('partner_organisations', schema=None) as batch_op:
        batch_op.drop_column('webhook_previous_secret_until')
        batch_op.drop_column('webhook_previous_secret')
    with op.batch_alter_table('still_a_need_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_still_a_need_questions_user_id'))
        batch_op.drop_index('ix_still_a_need_questions_submission_id_id')
    op.drop_table('still_a_need_questions')
    op.execute(RECOUNT_COMMENTS.format(hidden=""))
