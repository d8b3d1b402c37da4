"""Listing at any size: an index per filter and sort, a stored trending score and excerpt, and
the full-text search (PostgreSQL French + unaccent under GIN; SQLite FTS5)

Revision ID: perf_listing_indexes_search
Revises: b68d2f612426
Create Date: 2026-12-07 03:10:00

"""
import sqlalchemy as sa
from alembic import op

from portal.services.submissions import search

# revision identifiers, used by Alembic.
revision = 'perf_listing_indexes_search'
down_revision = 'abuse_trusted_authors'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_submissions_created_at', ['created_at', 'id']),
    ('ix_submissions_support_count', ['support_count', 'id']),
    ('ix_submissions_trending', ['trending_score', 'support_count', 'id']),
    ('ix_submissions_status_trending', ['status', 'trending_score']),
    ('ix_submissions_territory_status', ['territory_id', 'status', 'created_at']),
    ('ix_submissions_theme_status', ['theme_id', 'status', 'created_at']),
)


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excerpt', sa.String(length=300), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('trending_score', sa.Integer(), server_default='0',
                                      nullable=False))
    for name, columns in INDEXES:
        op.create_index(name, 'submissions', columns, unique=False)

    connection = op.get_bind()
    rows = connection.execute(sa.text('SELECT id, title, body FROM submissions')).all()
    for row in rows:  # the words as the search now indexes them, and the cards' excerpt
        connection.execute(
            sa.text('UPDATE submissions SET search_text = :words, excerpt = :excerpt '
                    'WHERE id = :id'),
            {'words': search.index_text(row.title, row.body),
             'excerpt': search.excerpt(row.body), 'id': row.id})
    # The worker's next decay pass makes the scores exact; this gives them a start.
    connection.execute(sa.text(
        'UPDATE submissions SET trending_score = (SELECT COALESCE(SUM(count), 0) '
        'FROM daily_supports WHERE daily_supports.submission_id = submissions.id)'))
    search.install(connection, weighted=False)


def downgrade():
    search.uninstall(op.get_bind())
    for name, _columns in INDEXES:
        op.drop_index(name, table_name='submissions')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('trending_score')
        batch_op.drop_column('excerpt')
