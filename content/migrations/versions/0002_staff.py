"""staff admin: staff users, failed sign-ins, API tokens, the audit log, and the review
workflow's columns on advice_versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:01:42.180442
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=320), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_at', ['action', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_actor_at', ['actor', 'at'], unique=False)
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)

    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_email_at', ['email', 'at'], unique=False)
        batch_op.create_index('ix_login_failures_ip_at', ['ip', 'at'], unique=False)

    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=320), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('based_on', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('submitted_by', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('returned_by', sa.String(length=320), nullable=True))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rollback_of', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('advice_versions', schema=None) as batch_op:
        batch_op.drop_column('rollback_of')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('returned_by')
        batch_op.drop_column('review_comment')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('submitted_by')
        batch_op.drop_column('based_on')

    op.drop_table('api_tokens')
    op.drop_table('staff_users')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_ip_at')
        batch_op.drop_index('ix_login_failures_email_at')

    op.drop_table('login_failures')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')
        batch_op.drop_index('ix_audit_log_actor_at')
        batch_op.drop_index('ix_audit_log_action_at')

    op.drop_table('audit_log')
