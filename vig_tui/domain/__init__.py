"""Pure domain code: models, the checklist, rules, the calendar and priority.

Nothing here imports Textual or TinyDB; a test keeps it that way.
"""
