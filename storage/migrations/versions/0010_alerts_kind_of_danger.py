"""alerts: the kind of danger, the language of the rule that found it, the coordinator's verdict

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('danger_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('danger_language', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('verdict', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('verdict_at', storage.models.UtcDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('verdict_at')
        batch_op.drop_column('verdict')
        batch_op.drop_column('danger_language')
        batch_op.drop_column('danger_kind')
