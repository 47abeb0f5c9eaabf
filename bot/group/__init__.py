"""The Bydelsmødre as a group: questions to their coordinators (service.py, screens.py)."""
