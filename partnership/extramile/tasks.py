"""Celery tasks of "Take the extra mile". Thin and idempotent: one service call each."""

import logging

from celery import shared_task

from ..retries import RETRY_ON_TRANSIENT_ERRORS
from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150, **RETRY_ON_TRANSIENT_ERRORS)
def create_check_ins():
    """One check-in per key user of every maintenance window that has ended (once each)."""
    logger.info("extra mile: %s key users asked to check in", services.check_ins_create())


@shared_task(ignore_result=True, soft_time_limit=120, time_limit=150, **RETRY_ON_TRANSIENT_ERRORS)
def create_surveys():
    """A survey to the submitter and voters of each recently resolved pain point (once each)."""
    logger.info("extra mile: %s post-resolution surveys sent", services.surveys_create())


@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300, **RETRY_ON_TRANSIENT_ERRORS)
def refresh_suggestions():
    """Propose manuals, FAQs or trainings for repeated problems (each proposal once)."""
    logger.info("extra mile: %s new repeated-problem proposals", services.suggestions_refresh())
