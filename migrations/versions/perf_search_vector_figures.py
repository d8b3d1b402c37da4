"""Search, counts and home figures that cost the same at any size: a stored tsvector under GIN
(PostgreSQL), an index of every filter for the capped counts, and the home page's figures kept
as running totals by triggers

Revision ID: perf_search_vector_figures
Revises: perf_listing_indexes_search
Create Date: 2026-12-07 06:20:00

"""
import sqlalchemy as sa
from alembic import op

from portal.services.submissions import figures, search

# revision identifiers, used by Alembic.
revision = 'perf_search_vector_figures'
down_revision = 'perf_listing_indexes_search'
branch_labels = None
depends_on = None

PLACE_AND_THEME = (('ix_submissions_territory_status', 'territory_id'),
                   ('ix_submissions_theme_status', 'theme_id'))
# What the former revision indexed on PostgreSQL: the vector computed at each search.
FORMER_PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_submissions_search ON submissions USING gin "
    "(to_tsvector('french'::regconfig, portal_unaccent(title || ' ' || body)))")


def upgrade():
    op.create_table(
        'site_figures',
        sa.Column('slot', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('submissions', sa.Integer(), nullable=False),
        sa.Column('supports', sa.Integer(), nullable=False),
        sa.Column('comments', sa.Integer(), nullable=False),
        sa.Column('residents', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('slot', name=op.f('pk_site_figures')),
    )
    op.create_index('ix_submissions_filters', 'submissions',
                    ['kind', 'status', 'theme_id', 'territory_id'], unique=False)
    for name, column in PLACE_AND_THEME:  # the newest of one place or theme, in index order
        op.drop_index(name, table_name='submissions')
        op.create_index(name, 'submissions', [column, 'created_at', 'status'], unique=False)
    connection = op.get_bind()
    search.install(connection, weighted=False)  # PostgreSQL: the stored column replaces the former index
    figures.install(connection)


def downgrade():
    connection = op.get_bind()
    figures.uninstall(connection)
    op.drop_table('site_figures')
    op.drop_index('ix_submissions_filters', table_name='submissions')
    for name, column in PLACE_AND_THEME:
        op.drop_index(name, table_name='submissions')
        op.create_index(name, 'submissions', [column, 'status', 'created_at'], unique=False)
    if connection.dialect.name == 'postgresql':
        connection.execute(sa.text('DROP INDEX IF EXISTS ix_submissions_search_vector'))
        connection.execute(sa.text('ALTER TABLE submissions DROP COLUMN IF EXISTS search_vector'))
        connection.execute(sa.text(FORMER_PG_INDEX))
