"""indexes for the per-update paths: the inbox's next update, and a check-in awaiting her words

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:10:00.000000

Without (status, update_id) the inbox's claim read every pending update and sorted them, for each update it
handled: quadratic in a burst (13 ms an update with 600 waiting). Without checkins.chat_id the gate's
look-up for a check-in awaiting her words read the whole table on every update.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_inbox_status_update_id', 'inbox', ['status', 'update_id'])
    op.create_index('ix_checkins_chat_id_awaiting_comment', 'checkins', ['chat_id', 'awaiting_comment'])


def downgrade() -> None:
    op.drop_index('ix_checkins_chat_id_awaiting_comment', table_name='checkins')
    op.drop_index('ix_inbox_status_update_id', table_name='inbox')
