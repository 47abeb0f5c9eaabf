"""an announcement's optional photo: Telegram's file id

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('announcements', sa.Column('photo_file_id', sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('announcements') as batch_op:
        batch_op.drop_column('photo_file_id')
