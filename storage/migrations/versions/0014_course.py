"""the course for Bydelsmødre: progress, talk days for the tips, coordinators' lesson texts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'course_progress',
        sa.Column('volunteer_id', sa.Integer(), nullable=False),
        sa.Column('lessons_done', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('next_due_at', storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column('offered_at', storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column('practice_answers', sa.JSON(), nullable=False),
        sa.Column('started_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['volunteer_id'],
            ['volunteers.id'],
            name=op.f('fk_course_progress_volunteer_id_volunteers'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('volunteer_id', name=op.f('pk_course_progress')),
    )
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_progress_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_progress_next_due_at'), ['next_due_at'], unique=False)
    op.create_table(
        'course_talks',
        sa.Column('match_id', sa.Integer(), nullable=False),
        sa.Column('talk_days', sa.Integer(), nullable=False),
        sa.Column('last_talk_on', sa.Date(), nullable=False),
        sa.Column('tips_sent', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['match_id'], ['matches.id'], name=op.f('fk_course_talks_match_id_matches'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('match_id', name=op.f('pk_course_talks')),
    )
    op.create_table(
        'course_lesson_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('lesson_id', sa.String(length=48), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('screens', sa.JSON(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_course_lesson_texts')),
        sa.UniqueConstraint('locale', 'lesson_id', name=op.f('uq_course_lesson_texts_locale')),
    )


def downgrade() -> None:
    op.drop_table('course_lesson_texts')
    op.drop_table('course_talks')
    with op.batch_alter_table('course_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_progress_next_due_at'))
        batch_op.drop_index(batch_op.f('ix_course_progress_status'))
    op.drop_table('course_progress')
