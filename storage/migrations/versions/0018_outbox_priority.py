"""the outbox sends conversations (copies, offers, alerts) before bulk messages (check-ins, lessons, announcements)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), nullable=False, server_default='0'))
        batch_op.create_index('ix_outbox_status_priority_id', ['status', 'priority', 'id'])


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch_op:
        batch_op.drop_index('ix_outbox_status_priority_id')
        batch_op.drop_column('priority')
