"""the inbox: updates stored before Telegram is told they arrived

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inbox',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('payload_encrypted', sa.LargeBinary(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('received_at', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('not_before', storage.models.UtcDateTime(timezone=True), nullable=False),
    sa.Column('handled_at', storage.models.UtcDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('update_id', name=op.f('pk_inbox'))
    )
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_chat_id'), ['chat_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_status'))
        batch_op.drop_index(batch_op.f('ix_inbox_received_at'))
        batch_op.drop_index(batch_op.f('ix_inbox_chat_id'))

    op.drop_table('inbox')
