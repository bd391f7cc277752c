"""Celery tasks of the listening app."""
