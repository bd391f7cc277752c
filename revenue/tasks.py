"""Celery tasks of the revenue app."""
