"""the outbox sends each chat's next message before any chat's second or later one (a turn per row: the
second at which it would go at its chat's pace)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 17:15:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('turn', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_index('ix_outbox_status_priority_id')
        batch_op.create_index('ix_outbox_status_priority_turn_id', ['status', 'priority', 'turn', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_index('ix_outbox_status_priority_turn_id')
        batch_op.create_index('ix_outbox_status_priority_id', ['status', 'priority', 'id'])
        batch_op.drop_column('turn')
