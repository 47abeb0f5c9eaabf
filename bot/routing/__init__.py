"""Where a message goes: who is writing and what she is in the middle of, resolved once per update."""

from bot.routing.situation import Route, Situation, Whereabouts

__all__ = ["Route", "Situation", "Whereabouts"]
