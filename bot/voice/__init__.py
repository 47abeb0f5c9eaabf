"""Voice notes of the key screens, recorded by the Bydelsmødre, for women who read little (issue 12).

screens.py    the key screens (what a recording belongs to) and the texts of /listen and /record
library.py    the approved recordings in force, and putting them above the key screens a listener gets
recordings.py the use cases: /listen, /record, the coordinators' review, export, and the figures
"""
