"""The talks through the bot: messages passed between a woman and her Bydelsmor, /end, /switch.

service.py holds the use cases; screens.py (where there is one) what they say."""
