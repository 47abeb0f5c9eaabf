"""Looking after a running installation: back up, restore, rotate the key, check for pending migrations.

`python -m bot backup | restore | rotate-key | migrate --check` wire these use cases; see the README's
"Back up, restore, rotate, upgrade".
"""
