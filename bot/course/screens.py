"""What a Bydelsmor reads around the course: the offer, /course, the buttons, the answer, a tip.

The lessons' own words are content files (bot/course/lessons/*.toml); only what frames them is gettext.
"""

from __future__ import annotations

from bot.course.content import Lesson
from bot.i18n import Texts
from bot.ui import Button, Reply

__all__ = [
    "answer",
    "not_a_bydelsmor",
    "offer",
    "paused",
    "practice",
    "screen",
    "status",
    "tip",
]


def _go_or_pause(t: Texts, *, first_label: str) -> tuple[tuple[Button, ...], ...]:
    _ = t.gettext
    return ((Button("▶️ " + first_label, "crs:go"),), (Button("⏸ " + _("Pause the course"), "crs:pause"),))


def offer(t: Texts, lesson: Lesson, count: int) -> Reply:
    """Sent by the tick: lesson 1 after she joined, each next one a week after the last."""
    _ = t.gettext
    return Reply(
        text="📖 "
        + _(
            "Your course, lesson {number} of {count}: {title}",
            number=lesson.number,
            count=count,
            title=lesson.title,
        )
        + "\n"
        + _("A few short screens, about five minutes. It helps you in your talks with the women."),
        buttons=_go_or_pause(t, first_label=_("Start the lesson")),
    )


def screen(t: Texts, lesson: Lesson, index: int) -> Reply:
    """Screen `index` (0-based) of a lesson, with the button to the next one or to the practice question."""
    _ = t.gettext
    last = index == len(lesson.screens) - 1
    label = _("To the practice question") if last else _("Next")
    data = f"crs:q:{lesson.number}" if last else f"crs:s:{lesson.number}:{index + 1}"
    header = f"📖 {lesson.title} · {index + 1}/{len(lesson.screens)}"
    return Reply(text=header + "\n\n" + lesson.screens[index], buttons=((Button(label + " ›", data),),))


def practice(t: Texts, lesson: Lesson) -> Reply:
    _ = t.gettext
    options = "\n".join(
        f"{number}. {option}" for number, option in enumerate(lesson.practice.options, start=1)
    )
    return Reply(
        text="✏️ " + _("Practice question") + "\n\n" + lesson.practice.question + "\n\n" + options,
        buttons=(tuple(Button(str(number), f"crs:a:{lesson.number}:{number}") for number in (1, 2, 3)),),
    )


def answer(t: Texts, lesson: Lesson, chosen: int, *, next_number: int | None) -> Reply:
    """Right or not, the explanation; then what comes next (a week, or the end of the course)."""
    _ = t.gettext
    verdict = (
        "✅ " + _("Yes, that is it.")
        if chosen == lesson.practice.answer
        else _("Not quite. The best answer is {number}.", number=lesson.practice.answer)
    )
    after = (
        _("Lesson {number} comes in a week. Write /course if you want it sooner.", number=next_number)
        if next_number is not None
        else "🌷 " + _("You have finished the course. Thank you for all you do for the women.")
    )
    return Reply(text=verdict + "\n\n" + lesson.practice.explanation + "\n\n" + after)


def status(t: Texts, *, done: int, count: int, state: str) -> Reply:
    """/course: how far she is, and buttons to go on now, or to pause or resume."""
    _ = t.gettext
    text = _("Your course: {done} of {count} lessons done.", done=done, count=count)
    if state == "finished":
        return Reply(
            text=text
            + "\n"
            + "🌷 "
            + _("You have finished the course. Thank you for all you do for the women.")
        )
    if state == "paused":
        return Reply(
            text=text + "\n" + _("The course is paused."),
            buttons=((Button("▶️ " + _("Resume the course"), "crs:go"),),),
        )
    return Reply(text=text, buttons=_go_or_pause(t, first_label=_("Next lesson now")))


def paused(t: Texts) -> Reply:
    return Reply(text=t.gettext("The course is paused. Write /course when you want to go on."))


def tip(t: Texts, lesson: Lesson, label: str) -> Reply:
    """Before her 2nd and 3rd talk with a woman: one sentence from a lesson."""
    _ = t.gettext
    return Reply(
        text="💡 "
        + _("Before your talk with {label}, a tip from your course:", label=label)
        + "\n\n"
        + lesson.tip
    )


def not_a_bydelsmor(t: Texts) -> Reply:
    return Reply(text=t.gettext("The course is for Bydelsmødre. Ask your coordinator for an invitation."))
