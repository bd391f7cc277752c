"""Celery tasks of the partnership app. Thin: ids in, one service call.

Each app keeps its own tasks in its `tasks.py` (found by `app.autodiscover_tasks()`).
"""

import logging
from pathlib import Path

from celery import shared_task

from .retries import RETRY_ON_TRANSIENT_ERRORS
from .services import delivered_digests_send

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def heartbeat():
    """Beat's proof of life in the worker log."""
    logger.info("portal heartbeat")


@shared_task(ignore_result=True, soft_time_limit=20, time_limit=30)
def touch_file(path: str, content: str = "done"):
    """Write a file: lets an operator (and the tests) see that a worker runs queued tasks."""
    Path(path).write_text(content)


@shared_task(ignore_result=True, soft_time_limit=1200, time_limit=1260, **RETRY_ON_TRANSIENT_ERRORS)
def send_delivered_digests():
    """Once a month: e-mail each unit's managers what IT delivered for it the month before."""
    logger.info("delivered digests: %s sent", delivered_digests_send())
