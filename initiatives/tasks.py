"""Celery tasks of the initiatives app."""
