"""Celery tasks of the listening app.

None yet: reminders of overdue acknowledgements are sent by the reminders issue through the
shared reminder ledger; the triage queue and the dashboard show them meanwhile.
"""
