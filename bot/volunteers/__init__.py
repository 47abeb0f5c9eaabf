"""The Bydelsmødre: joining by invitation, their profile, offers to talk with a woman, /pause.

service.py holds the use cases; screens.py (where there is one) what they say."""
