"""outbox payloads encrypted, and the author of a relayed message as a plain column

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 08:55:00.000000

Sent rows are deleted rather than encrypted: they were kept only to see what went out lately, and they hold
texts in the clear. Rows still waiting are encrypted with DATA_KEY, which `python -m bot migrate` (and
`run`) hand over; without the key the upgrade refuses to run while such rows exist, rather than lose them.
An edit still waiting keeps no author (its payload does not say whose words it carries); it is sent within
seconds, and the sent row is deleted two days later.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.crypto import FieldCipher
from storage.migrate import CIPHER


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

outbox = sa.table(
    'outbox',
    sa.column('id', sa.Integer()),
    sa.column('status', sa.String()),
    sa.column('payload', sa.JSON()),
    sa.column('payload_encrypted', sa.LargeBinary()),
    sa.column('from_chat_id', sa.BigInteger()),
)
DONE = ('sent', 'failed', 'blocked')


def _cipher(waiting: int) -> FieldCipher:
    cipher = context.config.attributes.get(CIPHER)
    if not isinstance(cipher, FieldCipher):
        raise RuntimeError(
            f'{waiting} outbox messages are waiting to be sent and must be re-encrypted:'
            ' run `python -m bot migrate` with DATA_KEY set'
        )
    return cipher


def _waiting() -> int:
    query = sa.select(sa.func.count()).select_from(outbox).where(outbox.c.status.not_in(DONE))
    return int(op.get_bind().execute(query).scalar_one())


def upgrade() -> None:
    # Asked before any change: SQLite does not undo an ALTER TABLE when a later step fails.
    waiting_count = _waiting()
    cipher = _cipher(waiting_count) if waiting_count else None
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_chat_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('payload_encrypted', sa.LargeBinary(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_from_chat_id'), ['from_chat_id'], unique=False)

    bind = op.get_bind()
    bind.execute(outbox.delete().where(outbox.c.status.in_(DONE)))
    waiting = list(bind.execute(sa.select(outbox.c.id, outbox.c.payload)).all())
    for row_id, payload in waiting:
        assert cipher is not None
        author = payload.get('from_chat_id')
        bind.execute(
            outbox.update()
            .where(outbox.c.id == row_id)
            .values(
                payload_encrypted=cipher.encrypt(json.dumps(payload, ensure_ascii=False)),
                from_chat_id=int(author) if author is not None else None,
            )
        )

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('payload_encrypted', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('payload')


def downgrade() -> None:
    waiting_count = _waiting()
    cipher = _cipher(waiting_count) if waiting_count else None
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payload', sa.JSON(), nullable=True))

    bind = op.get_bind()
    bind.execute(outbox.delete().where(outbox.c.status.in_(DONE)))
    waiting = list(bind.execute(sa.select(outbox.c.id, outbox.c.payload_encrypted)).all())
    for row_id, sealed in waiting:
        assert cipher is not None
        payload = json.loads(cipher.decrypt(sealed))
        bind.execute(outbox.update().where(outbox.c.id == row_id).values(payload=payload))

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('payload', existing_type=sa.JSON(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_outbox_from_chat_id'))
        batch_op.drop_column('payload_encrypted')
        batch_op.drop_column('from_chat_id')
