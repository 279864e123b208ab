"""translation state: for each version of a translated answer, its state (draft, needs_review,
reviewed), the English version it was made from, and who marked it reviewed and when

Translations already in the store were published by an approver and served to residents, so
the published ones count as reviewed and keep being served; any other one needs review. Which
English version they were made from was never recorded, so that stays empty.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translation_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('translated_from', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('translation_reviewed_by', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('translation_reviewed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE advice_versions SET translation_state = CASE WHEN published_at IS NOT NULL "
        "THEN 'reviewed' ELSE 'needs_review' END WHERE locale <> 'en'"
    )


def downgrade() -> None:
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.drop_column('translation_reviewed_at')
        batch_op.drop_column('translation_reviewed_by')
        batch_op.drop_column('translated_from')
        batch_op.drop_column('translation_state')
