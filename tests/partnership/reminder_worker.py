"""The Celery app of the reliability test's worker process: the portal's app with the test kind.

Run as `celery -A tests.partnership.reminder_worker worker --pool=solo`. Once Django is set up
(and the pillar apps have registered their kinds), the registry is narrowed to the test kind.
"""

from celery.signals import worker_ready

from partnership.celery import app

from .reminder_kinds import register_only_the_test_kind

__all__ = ["app"]


@worker_ready.connect
def _only_the_test_kind(**kwargs):
    register_only_the_test_kind()
