"""a Bydelsmor's questions to her coordinators; announcements, their answers and translations; women's news

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:35:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'coordinator_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('content_encrypted', sa.LargeBinary(), nullable=False),
        sa.Column('asked_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column('answer_encrypted', sa.LargeBinary(), nullable=True),
        sa.Column('answered_at', storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column('answered_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ['group_id'],
            ['groups.id'],
            name=op.f('fk_coordinator_questions_group_id_groups'),
            ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['volunteer_id'],
            ['volunteers.id'],
            name=op.f('fk_coordinator_questions_volunteer_id_volunteers'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_coordinator_questions')),
    )
    with op.batch_alter_table('coordinator_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coordinator_questions_volunteer_id'), ['volunteer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordinator_questions_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coordinator_questions_answered_at'), ['answered_at'], unique=False)
    op.create_table(
        'announcements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('starts_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('for_women', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['groups.id'], name=op.f('fk_announcements_group_id_groups'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements')),
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_announcements_group_id'), ['group_id'], unique=False)
    op.create_table(
        'announcement_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('coming', sa.Boolean(), nullable=False),
        sa.Column('answered_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['announcement_id'],
            ['announcements.id'],
            name=op.f('fk_announcement_answers_announcement_id_announcements'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['volunteer_id'],
            ['volunteers.id'],
            name=op.f('fk_announcement_answers_volunteer_id_volunteers'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_announcement_answers')),
        sa.UniqueConstraint(
            'announcement_id', 'volunteer_id', name=op.f('uq_announcement_answers_announcement_id')
        ),
    )
    with op.batch_alter_table('announcement_answers', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_announcement_answers_volunteer_id'), ['volunteer_id'], unique=False
        )
    op.create_table(
        'news_translations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('volunteer_id', sa.Integer(), nullable=True),
        sa.Column('created_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column('decided_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ['announcement_id'],
            ['announcements.id'],
            name=op.f('fk_news_translations_announcement_id_announcements'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['volunteer_id'],
            ['volunteers.id'],
            name=op.f('fk_news_translations_volunteer_id_volunteers'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_news_translations')),
    )
    with op.batch_alter_table('news_translations', schema=None) as batch_op:
        batch_op.create_index(
            'ix_news_translations_announcement_locale', ['announcement_id', 'locale'], unique=False
        )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('news', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('people', schema=None) as batch_op:
        # Every woman so far is off (the default); new rows get their value from the application.
        batch_op.alter_column('news', existing_type=sa.Boolean(), existing_nullable=False, server_default=None)
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('asking_since', storage.models.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table('coordinators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answering_question_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('answering_since', storage.models.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('coordinators', schema=None) as batch_op:
        batch_op.drop_column('answering_since')
        batch_op.drop_column('answering_question_id')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_column('asking_since')
    with op.batch_alter_table('coordinator_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coordinator_questions_answered_at'))
        batch_op.drop_index(batch_op.f('ix_coordinator_questions_group_id'))
        batch_op.drop_index(batch_op.f('ix_coordinator_questions_volunteer_id'))
    op.drop_table('coordinator_questions')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('news')
    with op.batch_alter_table('news_translations', schema=None) as batch_op:
        batch_op.drop_index('ix_news_translations_announcement_locale')
    op.drop_table('news_translations')
    with op.batch_alter_table('announcement_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcement_answers_volunteer_id'))
    op.drop_table('announcement_answers')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_announcements_group_id'))
    op.drop_table('announcements')
