"""/translate: the Bydelsmødre's better translations, the coordinators' review, the texts in force.

service.py holds the use cases; screens.py (where there is one) what they say."""
