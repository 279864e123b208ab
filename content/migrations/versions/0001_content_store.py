"""content store

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 13:36:59.549916
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('figures',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('format', sa.String(length=20), nullable=False),
    sa.Column('applies', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('topics',
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('advice_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_slug', sa.String(length=40), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sms_body', sa.Text(), nullable=False),
    sa.Column('related', sa.JSON(), nullable=False),
    sa.Column('sources', sa.JSON(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('reviewed', sa.Date(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('author', sa.String(length=320), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.String(length=320), nullable=True),
    sa.ForeignKeyConstraint(['topic_slug'], ['topics.slug'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.create_index('ix_advice_topic_locale_version', ['topic_slug', 'locale', 'version'], unique=True)
        batch_op.create_index('uq_advice_one_published', ['topic_slug', 'locale'], unique=True, sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))



def downgrade() -> None:
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_advice_one_published', sqlite_where=sa.text("status = 'published'"), postgresql_where=sa.text("status = 'published'"))
        batch_op.drop_index('ix_advice_topic_locale_version')

    op.drop_table('advice_versions')
    op.drop_table('topics')
    op.drop_table('figures')
