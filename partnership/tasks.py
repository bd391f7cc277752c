"""Celery tasks of the partnership app. Thin: ids in, one service call.

Each app keeps its own tasks in its `tasks.py` (found by `app.autodiscover_tasks()`).
"""

import logging
from pathlib import Path

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat():
    """Beat's proof of life in the worker log."""
    logger.info("portal heartbeat")


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def touch_file(path: str, content: str = "done"):
    """Write a file: lets an operator (and the tests) see that a worker runs queued tasks."""
    Path(path).write_text(content)
