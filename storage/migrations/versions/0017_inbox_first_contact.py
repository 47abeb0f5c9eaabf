"""the inbox handles a newcomer's first updates before the later steps of people it knows

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.add_column(sa.Column('priority', sa.SmallInteger(), nullable=False, server_default='1'))
        batch_op.drop_index('ix_inbox_status_update_id')
        batch_op.create_index('ix_inbox_status_priority_update_id', ['status', 'priority', 'update_id'])


def downgrade() -> None:
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_index('ix_inbox_status_priority_update_id')
        batch_op.create_index('ix_inbox_status_update_id', ['status', 'update_id'])
        batch_op.drop_column('priority')
