"""Celery tasks of the steering app."""
