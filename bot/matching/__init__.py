"""Matching a woman with a nearby Bydelsmor who speaks her language, and the offer she answers.

service.py holds the use cases; screens.py (where there is one) what they say."""
