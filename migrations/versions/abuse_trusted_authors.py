"""Trusted authors: a moderator's "publish and trust" lets a resident skip pre-moderation

Revision ID: abuse_trusted_authors
Revises: b68d2f612426
Create Date: 2026-12-07 03:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'abuse_trusted_authors'
down_revision = 'loop_closing_the_loop'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trusted_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('trusted_at')
