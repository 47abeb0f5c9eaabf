"""a Bydelsmor's held messages ("who is this for?") encrypted

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 10:00:00.000000

`volunteers.pending_messages` held file ids in clear (JSON [message id, kind, file id]). It becomes
`pending_messages_encrypted`: one Fernet token over a JSON list of {message_id, kind, text, file_id}.
Held messages are moved across when `python -m bot migrate` hands the data key over (storage.migrate);
without a key they cannot be encrypted, so they are dropped rather than kept in clear (a held message
waits minutes, and the Bydelsmor still has it in her chat).
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.migrate import CIPHER

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_messages_encrypted', sa.LargeBinary(), nullable=True))

    cipher = context.config.attributes.get(CIPHER)
    connection = op.get_bind()
    volunteers = sa.table(
        'volunteers',
        sa.column('id', sa.Integer()),
        sa.column('pending_messages', sa.JSON()),
        sa.column('pending_messages_encrypted', sa.LargeBinary()),
    )
    if cipher is not None:
        rows = connection.execute(sa.select(volunteers.c.id, volunteers.c.pending_messages)).all()
        for volunteer_id, held in rows:
            if not held:
                continue
            entries = [
                {'message_id': int(entry[0]), 'kind': str(entry[1]), 'text': None, 'file_id': entry[2] or None}
                for entry in held
            ]
            sealed = cipher.encrypt(json.dumps(entries, ensure_ascii=False))
            connection.execute(
                volunteers.update()
                .where(volunteers.c.id == volunteer_id)
                .values(pending_messages_encrypted=sealed)
            )

    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_column('pending_messages')


def downgrade() -> None:
    # Held messages are not decrypted back into clear text: they are dropped.
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pending_messages', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.drop_column('pending_messages_encrypted')
