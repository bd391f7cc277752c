"""Celery tasks of the initiatives app.

Overdue milestones are chased by the shared reminder sweep (initiatives/reminders.py registers
the kind), so this app needs no task of its own.
"""
