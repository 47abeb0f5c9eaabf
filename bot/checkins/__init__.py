"""Check-ins: the follow-up questions after a match, their schedule, and what the answers record.

service.py holds the use cases; screens.py (where there is one) what they say."""
