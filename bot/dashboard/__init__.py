"""The coordinators' dashboard, as use cases: who may see what, what the pages show, what the forms change.

The web layer (handlers/dashboard) turns these into pages; nothing here knows HTTP or Telegram.
"""
