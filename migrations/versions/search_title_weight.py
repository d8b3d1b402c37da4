"""Search: a word of the title weighs more than a word of the text (the title's words stored
apart for SQLite's FTS5; the vector weighted A for the title, B for the text on PostgreSQL)

Revision ID: search_title_weight
Revises: perf_search_vector_figures
Create Date: 2026-12-07 20:30:00

"""
import sqlalchemy as sa
from alembic import op

from portal.services.submissions import search

# revision identifiers, used by Alembic.
revision = 'search_title_weight'
down_revision = 'perf_search_vector_figures'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    # The search's objects go first (SQLite checks its triggers when the table changes), and
    # come back over the new column.
    search.uninstall(connection)
    op.add_column('submissions', sa.Column('search_title', sa.Text(), server_default='',
                                           nullable=False))
    rows = connection.execute(sa.text('SELECT id, title FROM submissions')).all()
    if rows:
        connection.execute(sa.text('UPDATE submissions SET search_title = :words WHERE id = :id'),
                           [{'id': id_, 'words': search.index_title(title)}
                            for id_, title in rows])
    search.install(connection)


def downgrade():
    connection = op.get_bind()
    search.uninstall(connection)
    # Not a batch: recreating the table on SQLite would lose the home figures' triggers.
    connection.execute(sa.text('ALTER TABLE submissions DROP COLUMN search_title'))
    search.install(connection, weighted=False)
