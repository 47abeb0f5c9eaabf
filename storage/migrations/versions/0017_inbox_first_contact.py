"""the inbox lets a newcomer's first updates ahead of (a bounded number of) the later steps of people it knows

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
        batch_op.add_column(sa.Column('queue_position', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute('UPDATE inbox SET queue_position = update_id')  # what was stored keeps its order
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_index('ix_inbox_status_update_id')
        batch_op.create_index('ix_inbox_status_queue_position', ['status', 'queue_position'])


def downgrade() -> None:
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_index('ix_inbox_status_queue_position')
        batch_op.create_index('ix_inbox_status_update_id', ['status', 'update_id'])
        batch_op.drop_column('queue_position')
