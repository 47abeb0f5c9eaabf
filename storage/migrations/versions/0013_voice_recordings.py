"""voice recordings of the key screens by the Bydelsmødre; a woman's choice to listen

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'voice_recordings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('screen_key', sa.String(length=32), nullable=False),
        sa.Column('source_hash', sa.String(length=16), nullable=False),
        sa.Column('file_id', sa.String(length=255), nullable=True),
        sa.Column('duration', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('keep_after_leaving', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=255), nullable=True),
        sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ['volunteer_id'],
            ['volunteers.id'],
            name=op.f('fk_voice_recordings_volunteer_id_volunteers'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_recordings')),
    )
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.create_index('ix_voice_recordings_locale_screen', ['locale', 'screen_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_voice_recordings_status'), ['status'], unique=False)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listen', sa.Boolean(), nullable=True))
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recording', sa.String(length=48), nullable=True))
        batch_op.add_column(
            sa.Column('recording_since', storage.models.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('keep_recordings', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_column('keep_recordings')
        batch_op.drop_column('recording_since')
        batch_op.drop_column('recording')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('listen')
    with op.batch_alter_table('voice_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_voice_recordings_status'))
        batch_op.drop_index('ix_voice_recordings_locale_screen')
    op.drop_table('voice_recordings')
