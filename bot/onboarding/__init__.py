"""The onboarding of a woman: her language, what is kept, where she lives, what she would like help with.

service.py holds the use cases; screens.py (where there is one) what they say."""
