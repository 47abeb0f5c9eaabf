"""A local stand-in for the Telegram Bot API, with simulated users and a chat page.

See ``sandbox.standin`` (the fake Telegram), ``sandbox.ptb_request`` (in-process connection for
python-telegram-bot) and ``sandbox.web`` (HTTP server and chat page).
"""
