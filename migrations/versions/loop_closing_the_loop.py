"""Closing the loop: comment counts leave hidden comments out

Revision ID: loop_closing_the_loop
Revises: (re-chained at merge)
Create Date: 2026-12-07 03:00:00

"""
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
    # Hidden comments no longer count: make the stored counts true once.
    op.execute(RECOUNT_COMMENTS.format(hidden=" AND comments.hidden_at IS NULL"))


def downgrade():
    op.execute(RECOUNT_COMMENTS.format(hidden=""))
