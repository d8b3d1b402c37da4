"""Listing: the sorts' indexes hold the status, so the pages skipped before page N are read from
the index alone (PostgreSQL read each of them from the table to check it was open)

Revision ID: listing_sort_status
Revises: search_title_weight
Create Date: 2026-12-07 23:55:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'listing_sort_status'
down_revision = 'search_title_weight'
branch_labels = None
depends_on = None

SORTS = {
    'ix_submissions_created_at': ['created_at', 'id'],
    'ix_submissions_support_count': ['support_count', 'id'],
    'ix_submissions_trending': ['trending_score', 'support_count', 'id'],
}


def upgrade():
    for name, columns in SORTS.items():
        op.drop_index(name, table_name='submissions')
        op.create_index(name, 'submissions', [*columns, 'status'])


def downgrade():
    for name, columns in SORTS.items():
        op.drop_index(name, table_name='submissions')
        op.create_index(name, 'submissions', columns)
